"""Saved addresses through the API: accountAddressCreate/Update/Delete/SetDefault and
myAddresses, each user seeing only their own."""

from __future__ import annotations

import pytest

from marketplace.accounts import addresses
from marketplace.accounts.models import Address
from tests.builders.accounts import GERMAN, IRANIAN
from tests.support import gid

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seeded")]

ADDRESS_FIELDS = "id firstName lastName phone country countryArea city streetAddress1 "
ADDRESS_FIELDS += "streetAddress2 postalCode isDefault province { code }"
CREATE = f"""
mutation($input: AddressInput!, $default: Boolean) {{
  accountAddressCreate(input: $input, setDefault: $default) {{
    address {{ {ADDRESS_FIELDS} }}
    addresses {{ id isDefault }}
    errors {{ field code message }}
  }}
}}"""
UPDATE = f"""
mutation($id: ID!, $input: AddressInput!) {{
  accountAddressUpdate(id: $id, input: $input) {{
    address {{ {ADDRESS_FIELDS} }} errors {{ field code }}
  }}
}}"""
DELETE = """
mutation($id: ID!) { accountAddressDelete(id: $id) { addresses { id } errors { field code } } }"""
SET_DEFAULT = """
mutation($id: ID!) {
  accountAddressSetDefault(id: $id) { address { id isDefault } errors { field code } }
}"""
MINE = f"query {{ myAddresses {{ {ADDRESS_FIELDS} }} }}"

API_IRANIAN = {
    "firstName": "سارا",
    "lastName": "احمدی",
    "phone": "۰۹۱۲۱۲۳۴۵۶۷",
    "countryArea": "خراسان رضوي",
    "city": "مشهد",
    "streetAddress1": "بلوار وکیل‌آباد",
    "postalCode": "۹۱۷۷۹۴۸۹۷۴",
}


def test_api_create_list_update_delete(api, sara):
    created = api(CREATE, {"input": API_IRANIAN}, user=sara)["data"]["accountAddressCreate"]
    assert created["errors"] == []
    address = created["address"]
    assert address["phone"] == "+989121234567"
    assert address["postalCode"] == "9177948974"
    assert address["countryArea"] == "خراسان رضوی"
    assert address["country"] == "IR" and address["province"] == {"code": "IR-09"}
    assert address["isDefault"] is True and address["streetAddress2"] == ""
    second = api(
        CREATE,
        {"input": API_IRANIAN | {"countryArea": "Tehran", "city": "تهران"}, "default": True},
        user=sara,
    )["data"]["accountAddressCreate"]
    assert [a["isDefault"] for a in second["addresses"]] == [True, False]
    mine = api(MINE, user=sara)["data"]["myAddresses"]
    assert [a["city"] for a in mine] == ["تهران", "مشهد"]

    updated = api(
        UPDATE, {"id": address["id"], "input": API_IRANIAN | {"city": "نیشابور"}}, user=sara
    )["data"]["accountAddressUpdate"]
    assert updated["errors"] == [] and updated["address"]["city"] == "نیشابور"
    made_default = api(SET_DEFAULT, {"id": address["id"]}, user=sara)["data"]
    assert made_default["accountAddressSetDefault"]["address"]["isDefault"] is True
    deleted = api(DELETE, {"id": address["id"]}, user=sara)["data"]["accountAddressDelete"]
    assert deleted["errors"] == [] and len(deleted["addresses"]) == 1
    assert Address.objects.filter(user=sara, is_default=True).count() == 1


def test_api_bad_input_gives_field_errors_and_saves_nothing(api, sara):
    result = api(
        CREATE,
        {"input": API_IRANIAN | {"postalCode": "91779", "countryArea": "نارنیا"}},
        user=sara,
        lang="fa",
    )["data"]["accountAddressCreate"]
    assert result["address"] is None
    assert {(e["field"], e["code"]) for e in result["errors"]} == {
        ("input.postalCode", "INVALID"),
        ("input.countryArea", "INVALID"),
    }
    assert all(e["message"] for e in result["errors"])
    assert not Address.objects.filter(user=sara).exists()


def test_api_users_are_isolated(api, sara, reza):
    created = api(CREATE, {"input": API_IRANIAN}, user=sara)["data"]["accountAddressCreate"]
    address_id = created["address"]["id"]
    assert api(MINE, user=reza)["data"]["myAddresses"] == []
    for query, variables in (
        (UPDATE, {"id": address_id, "input": API_IRANIAN}),
        (DELETE, {"id": address_id}),
        (SET_DEFAULT, {"id": address_id}),
    ):
        data = api(query, variables, user=reza)["data"]
        (payload,) = data.values()
        assert payload["errors"] == [{"field": "id", "code": "PERMISSION_DENIED"}]
    node = api(
        "query($id: ID!) { node(id: $id) { ... on Address { city } } }",
        {"id": address_id},
        user=reza,
    )
    assert node["data"]["node"] is None
    assert Address.objects.get(user=sara).city == "مشهد"


def test_api_anonymous_and_unknown_ids(api, sara):
    assert api(MINE)["data"]["myAddresses"] == []
    anonymous = api(CREATE, {"input": API_IRANIAN})["data"]["accountAddressCreate"]
    assert anonymous["errors"][0]["code"] == "PERMISSION_DENIED"
    # A checkout's or an order's copy (no user) is not a saved address.
    copy = Address.objects.create(
        first_name="x",
        last_name="y",
        phone="+989121234567",
        country_area="تهران",
        city="تهران",
        street_address_1="z",
        postal_code="1234567890",
    )
    for address_id in (gid("Address", copy.pk), gid("Address", 10**9), "bad"):
        payload = api(DELETE, {"id": address_id}, user=sara)["data"]["accountAddressDelete"]
        assert payload["errors"][0]["field"] == "id"
        assert payload["errors"][0]["code"] in {"NOT_FOUND", "INVALID"}
    assert Address.objects.filter(pk=copy.pk).exists()


def test_my_addresses_query_count_does_not_grow(api, sara, django_assert_num_queries):
    for _ in range(6):
        addresses.create_address(user=sara, data=IRANIAN)
    addresses.create_address(user=sara, data=GERMAN)
    # The token's user, then one query for the addresses with their provinces.
    with django_assert_num_queries(2):
        result = api(MINE, user=sara)
    assert len(result["data"]["myAddresses"]) == 7
