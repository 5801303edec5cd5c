"""The API fields the panel reads, and who sees them: a cooperative's applicants, a
seller's own warehouses and sales, and changing a variant's unit and weight."""

from __future__ import annotations

import pytest

from marketplace.inventory.models import Warehouse
from marketplace.sellers.models import SellerStatus
from tests.builders.catalog import make_variant
from tests.builders.seed import ensure_seeded
from tests.builders.sellers import make_seller
from tests.support import gid

pytestmark = pytest.mark.django_db

APPLICANTS = "query($slug: String!) { cooperative(slug: $slug) { applicants { totalCount edges { node { name } } } } }"
SELLER = "query($id: ID!) { seller(id: $id) { warehouses { name } sales { totalCount } } }"
VARIANT_UPDATE = """
mutation($id: ID!, $input: ProductVariantUpdateInput!) {
  productVariantUpdate(id: $id, input: $input) {
    productVariant { name weight } errors { field code }
  }
}
"""


def test_applicants_only_for_the_cooperatives_staff(api, coop_a, staff_a, staff_b, seller_a):
    make_seller("new@example.com", "دامداری نو", coop_a, status=SellerStatus.PENDING)
    for user, names in ((staff_a, ["دامداری نو"]), (staff_b, []), (seller_a.owner, []), (None, [])):
        body = api(APPLICANTS, {"slug": coop_a.slug}, user=user)
        edges = body["data"]["cooperative"]["applicants"]["edges"]
        assert [e["node"]["name"] for e in edges] == names


def test_own_warehouses_and_sales_only_for_those_acting_for_the_seller(
    api, seller_a, seller_b, staff_a, staff_b
):
    Warehouse.objects.create(name="انبار خانه", seller=seller_a)
    seller_id = gid("Seller", seller_a.pk)
    for user in (seller_a.owner, staff_a):
        data = api(SELLER, {"id": seller_id}, user=user)["data"]["seller"]
        assert data == {"warehouses": [{"name": "انبار خانه"}], "sales": {"totalCount": 0}}
    for user in (seller_b.owner, staff_b, None):
        data = api(SELLER, {"id": seller_id}, user=user)["data"]["seller"]
        assert data == {"warehouses": None, "sales": {"totalCount": 0}}


def test_variant_unit_and_weight(api, seller_a, seller_b):
    ensure_seeded()
    variant = make_variant(seller_a)
    variables = {
        "id": gid("ProductVariant", variant.pk),
        "input": {"name": "۱۰ گرمی", "weight": 0.01},
    }
    denied = api(VARIANT_UPDATE, variables, user=seller_b.owner)["data"]["productVariantUpdate"]
    assert denied["errors"][0]["code"] == "PERMISSION_DENIED"
    bad = api(VARIANT_UPDATE, {**variables, "input": {"weight": -1}}, user=seller_a.owner)
    assert bad["data"]["productVariantUpdate"]["errors"] == [{"field": "weight", "code": "INVALID"}]
    done = api(VARIANT_UPDATE, variables, user=seller_a.owner, lang="fa")
    done = done["data"]["productVariantUpdate"]
    assert done == {"productVariant": {"name": "۱۰ گرمی", "weight": 0.01}, "errors": []}
