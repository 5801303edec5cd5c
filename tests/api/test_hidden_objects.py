"""What a caller may not see is NOT_FOUND to them, never PERMISSION_DENIED (which would
confirm that it exists), and `node(id:)` reaches exactly what the dedicated query does."""

from __future__ import annotations

import pytest

from marketplace.sellers.models import SellerStatus
from tests.builders.catalog import category, make_product
from tests.builders.sellers import make_seller
from tests.support import codes, gid

pytestmark = pytest.mark.django_db

UPDATE = """mutation($id: ID!) { productUpdate(id: $id, input: {name: "عسل کنار"}) {
  errors { field code } } }"""
DELETE = "mutation($id: ID!) { productDelete(id: $id) { errors { field code } } }"
CREATE = """mutation($seller: ID!, $category: ID!) {
  productCreate(input: {seller: $seller, name: "عسل", category: $category}) {
    errors { field code } } }"""
BY_NODE = "query($id: ID!) { node(id: $id) { id } }"
BY_QUERY = "query($id: ID!) { product(id: $id) { id } }"


def _payload(body: dict) -> dict:
    return next(iter(body["data"].values()))


def test_another_sellers_draft_is_not_found(api, seller_a, seller_b):
    draft = make_product(seller_a, "عسل گون", category(), published=False)
    for document in (UPDATE, DELETE):
        body = api(document, {"id": gid(draft)}, user=seller_b.owner)
        assert codes(_payload(body)) == [("id", "NOT_FOUND")]


def test_another_sellers_published_product_is_denied(api, seller_a, seller_b):
    product = make_product(seller_a, "عسل گون", category())
    body = api(UPDATE, {"id": gid(product)}, user=seller_b.owner)
    assert codes(_payload(body)) == [("id", "PERMISSION_DENIED")]


def test_an_applicant_is_not_found_to_others(api, coop_a, seller_b):
    applicant = make_seller(
        "applicant@example.com", "زنبورداری نوپا", coop_a, status=SellerStatus.PENDING
    )
    variables = {"seller": gid(applicant), "category": gid(category())}
    body = api(CREATE, variables, user=seller_b.owner)
    assert codes(_payload(body)) == [("seller", "NOT_FOUND")]


def test_node_and_the_dedicated_query_agree(api, seller_a, seller_b, buyer):
    draft = make_product(seller_a, "عسل گون", category(), published=False)
    public = make_product(seller_a, "زعفران", category())
    for user, product, visible in [
        (None, draft, False),
        (buyer, draft, False),
        (seller_b.owner, draft, False),
        (seller_a.owner, draft, True),
        (None, public, True),
    ]:
        expected = {"id": gid(product)} if visible else None
        assert api(BY_QUERY, {"id": gid(product)}, user=user)["data"]["product"] == expected
        assert api(BY_NODE, {"id": gid(product)}, user=user)["data"]["node"] == expected
