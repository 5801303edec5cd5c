"""Malformed input is refused with a clean error, never an internal one."""

from __future__ import annotations

import pytest
from graphql_relay import to_global_id

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


def test_a_nul_character_in_a_variable_is_refused(api, seeded):
    body = api(
        "query($slug: String) { product(slug: $slug) { id } }", {"slug": "a\x00b"}, status=400
    )
    assert _codes(body) == ["INVALID"]
    body = api(
        """mutation($input: AccountRegisterInput!) {
          accountRegister(input: $input) { errors { field code } }
        }""",
        {"input": {"email": "nul@example.com", "password": "x", "firstName": "a\x00"}},
        status=400,
    )
    assert _codes(body) == ["INVALID"]


def test_deeply_nested_json_is_a_bad_request(client, seeded):
    deep = "[" * 100_000 + "]" * 100_000
    response = client.post(
        "/graphql/",
        data='{"query": "{ __typename }", "variables": {"a": ' + deep + "}}",
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["message"]
