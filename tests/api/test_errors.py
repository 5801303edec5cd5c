"""The API's error vocabulary: domain field paths in camelCase, codes as the ErrorCode
enum, and every error of a query reported."""

from __future__ import annotations

import pytest
from graphql_relay import to_global_id

from marketplace.api.core.errors import api_field
from marketplace.core.errors import ErrorCode

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("domain", "api"),
    [
        ("delivery_method_id", "deliveryMethodId"),
        ("lines.0.variant_id", "lines.0.variantId"),
        ("shipping_address.street_address_1", "shippingAddress.streetAddress1"),
        ("rates.2.max_weight", "rates.2.maxWeight"),
        ("id", "id"),
        (None, None),
    ],
)
def test_domain_field_paths_in_the_apis_names(domain, api):
    assert api_field(domain) == api


def test_error_codes_are_the_domains_enumeration(api):
    body = api('{ __type(name: "ErrorCode") { kind enumValues { name } } }')
    served = body["data"]["__type"]
    assert served["kind"] == "ENUM"
    assert [v["name"] for v in served["enumValues"]] == [code.value for code in ErrorCode]


def test_a_mutation_names_the_field_in_camel_case(api):
    body = api(
        """mutation($input: AccountRegisterInput!) {
          accountRegister(input: $input) { errors { field code } }
        }""",
        {"input": {"email": "new@example.com", "password": "x", "lastName": "ب" * 151}},
    )
    errors = body["data"]["accountRegister"]["errors"]
    assert {"field": "lastName", "code": "TOO_LONG"} in errors


def test_a_query_reports_every_error(api):
    body = api(
        """query($filter: ProductFilterInput) {
          products(first: 5, filter: $filter) { totalCount }
        }""",
        {
            "filter": {
                "categories": ["garbage", to_global_id("Seller", 1)],
                "price": {"gte": 1e30},
            }
        },
    )
    assert body["data"] is None
    assert [(e["path"], e["extensions"]) for e in body["errors"]] == [
        (["products"], {"code": "INVALID", "field": "filter.categories.0"}),
        (["products"], {"code": "INVALID", "field": "filter.categories.1"}),
        (["products"], {"code": "INVALID", "field": "filter.price.gte"}),
    ]
