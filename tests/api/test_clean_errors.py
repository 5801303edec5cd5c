"""Malformed input is refused with a clean error, never an internal one."""

from __future__ import annotations

import pytest
from graphql_relay import to_global_id

from tests.support import codes

pytestmark = pytest.mark.django_db

NODE = "query($id: ID!) { node(id: $id) { id } }"


def _codes(body: dict) -> list[str | None]:
    return [error.get("extensions", {}).get("code") for error in body["errors"]]


@pytest.mark.parametrize(
    ("node_id", "code"),
    [
        ("", "REQUIRED"),
        ("abc", "INVALID"),
        ("%%%", "INVALID"),
        (to_global_id("Product", "abc"), "INVALID"),
        (to_global_id("Order", "1 OR 1=1"), "INVALID"),
        (to_global_id("Product", "9" * 30), "INVALID"),
        (to_global_id("Nope", "1"), "INVALID"),
        (to_global_id("Error", "1"), "INVALID"),
    ],
)
def test_a_malformed_node_id_is_a_clean_error(api, seeded, node_id, code):
    body = api(NODE, {"id": node_id})
    assert body["data"] == {"node": None}
    assert _codes(body) == [code]
    assert body["errors"][0]["extensions"]["field"] == "id"


def test_an_unknown_object_is_null(api, seeded):
    assert api(NODE, {"id": to_global_id("Product", "999999")}) == {"data": {"node": None}}


def test_a_nul_character_in_a_literal_is_refused(api, seeded):
    body = api('{ product(slug: "a\\u0000b") { id } }', status=400)
    assert _codes(body) == ["INVALID"]


def test_a_nul_character_in_a_variable_meets_the_fields_own_checks(api, seeded):
    body = api("query($slug: String) { product(slug: $slug) { id } }", {"slug": "a\x00b"})
    assert body == {"data": {"product": None}}
    body = api(
        """query($s: String, $c: String) {
          products(first: 1, search: $s, channel: $c) { totalCount } }""",
        {"s": "\x00x", "c": "ir\x00"},
    )
    assert [e["extensions"]["code"] for e in body["errors"]] == ["NOT_FOUND"]
    body = api(
        """mutation($input: AccountRegisterInput!) {
          accountRegister(input: $input) { errors { field code } }
        }""",
        {"input": {"email": "nul\x00@example.com", "password": "x", "firstName": "a"}},
    )
    assert ("email", "INVALID") in codes(body["data"]["accountRegister"])


def test_deeply_nested_json_is_a_bad_request(client, seeded):
    deep = "[" * 100_000 + "]" * 100_000
    response = client.post(
        "/graphql/",
        data='{"query": "{ __typename }", "variables": {"a": ' + deep + "}}",
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["message"]


def test_a_null_country_lists_the_default_countrys_provinces(api, seeded):
    named = api("{ provinces { code } }")["data"]["provinces"]
    assert len(named) == 31
    assert api("{ provinces(country: null) { code } }") == {"data": {"provinces": named}}
