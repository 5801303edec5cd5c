"""Who sees which products: `products`, `product(id|slug)`, `node` and Seller.products,
for every kind of caller."""

import pytest

from marketplace.catalog.models import Product
from tests.builders.catalog import make_product
from tests.support import gid

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "buyer",
    "owner",
    "other_seller",
    "coop_staff",
    "other_coop_staff",
    "platform",
]
EDITORS = {"owner", "coop_staff", "platform"}

LIST = """
query($filter: ProductFilterInput, $channel: String) {
  products(first: 100, filter: $filter, channel: $channel) { edges { node { slug } } }
}"""
BY_SLUG = "query($slug: String) { product(slug: $slug) { slug isPublished } }"
BY_ID = "query($id: ID) { product(id: $id) { slug } }"


@pytest.fixture
def users(buyer, operator, seller_a, seller_b, staff_a, staff_b):
    return {
        "anonymous": None,
        "buyer": buyer,
        "owner": seller_a.owner,
        "other_seller": seller_b.owner,
        "coop_staff": staff_a,
        "other_coop_staff": staff_b,
        "platform": operator,
    }


@pytest.fixture
def hidden(seller_a, saffron):
    product = make_product(seller_a, "زعفران قدیمی", saffron)
    Product.objects.filter(pk=product.pk).update(is_hidden=True, is_published=False)
    return product


def slugs(body) -> set[str]:
    assert "errors" not in body, body
    return {edge["node"]["slug"] for edge in body["data"]["products"]["edges"]}


@pytest.mark.parametrize("role", ROLES)
def test_the_listing_is_the_public_set_for_everyone(api, users, catalogue, hidden, role):
    public = {catalogue["public_a"].slug, catalogue["public_b"].slug}
    assert slugs(api(LIST, user=users[role])) == public


def test_the_channel_decides_what_is_priced(api, catalogue):
    assert slugs(api(LIST, {"channel": "intl"})) == {catalogue["public_b"].slug}
    body = api(LIST, {"channel": "mars"})
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"


@pytest.mark.parametrize("role", ROLES)
def test_naming_a_seller_shows_its_editors_the_rest(api, users, catalogue, hidden, seller_a, role):
    body = api(LIST, {"filter": {"sellers": [gid(seller_a)]}}, user=users[role])
    expected = {catalogue["public_a"].slug}
    if role in EDITORS:
        expected |= {catalogue["draft_a"].slug, catalogue["unpriced_a"].slug}
    assert slugs(body) == expected  # never the hidden one, not even for platform staff


@pytest.mark.parametrize("role", ROLES)
def test_naming_a_cooperative_shows_its_staff_the_members_rest(api, users, catalogue, coop_a, role):
    body = api(LIST, {"filter": {"cooperatives": [gid(coop_a)]}}, user=users[role])
    expected = {catalogue["public_a"].slug}
    if role in {"coop_staff", "platform"}:
        expected |= {c.slug for k, c in catalogue.items() if k in {"draft_a", "unpriced_a"}}
        expected.add(catalogue["pending"].slug)  # a pending member's product
    elif role == "owner":
        expected |= {catalogue["draft_a"].slug, catalogue["unpriced_a"].slug}
    assert slugs(body) == expected


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("kind", "allowed"),
    [
        ("public_a", set(ROLES)),
        ("draft_a", EDITORS),
        ("unpriced_a", EDITORS),
        ("pending", {"coop_staff", "platform"}),
    ],
)
def test_product_page_visibility(api, users, catalogue, role, kind, allowed):
    product = catalogue[kind]
    for query, variables in ((BY_SLUG, {"slug": product.slug}), (BY_ID, {"id": gid(product)})):
        found = api(query, variables, user=users[role])["data"]["product"]
        assert (found is not None) == (role in allowed), (query, role, kind)


def test_a_pending_sellers_own_products_are_visible_to_them(api, catalogue, pending_seller):
    body = api(BY_SLUG, {"slug": catalogue["pending"].slug}, user=pending_seller.owner)
    assert body["data"]["product"]["slug"] == catalogue["pending"].slug


@pytest.mark.parametrize("role", ROLES)
def test_hidden_products_only_for_platform_staff_by_id(api, users, hidden, role):
    by_id = api(BY_ID, {"id": gid(hidden)}, user=users[role])["data"]["product"]
    assert (by_id is not None) == (role == "platform")
    assert api(BY_SLUG, {"slug": hidden.slug}, user=users[role])["data"]["product"] is None


def test_unpriced_in_the_asked_channel_is_not_public(api, catalogue):
    slug = catalogue["public_a"].slug
    query = 'query($s: String) { product(slug: $s, channel: "intl") { slug } }'
    assert api(query, {"s": slug})["data"]["product"] is None
    query = 'query($s: String) { product(slug: $s, channel: "intl") { slug pricing { priceRange { start { gross { amount } } } } } }'
    owner = catalogue["public_a"].seller.owner
    assert api(query, {"s": slug}, user=owner)["data"]["product"] == {"slug": slug, "pricing": None}


def test_product_lookup_needs_an_id_or_slug_of_the_right_type(api, catalogue, seller_a):
    body = api("{ product { slug } }")
    assert body["errors"][0]["extensions"]["code"] == "REQUIRED"
    body = api(BY_ID, {"id": gid(seller_a)})
    assert body["errors"][0]["extensions"]["code"] == "INVALID"
    assert api(BY_ID, {"id": "garbage"})["errors"][0]["extensions"]["code"] == "INVALID"
    assert api(BY_SLUG, {"slug": "x" * 1_000_000})["data"]["product"] is None
    assert api(BY_ID, {"id": gid(Product(pk=99999999))})["data"]["product"] is None


@pytest.mark.parametrize("role", ROLES)
def test_node_lookups_follow_the_product(api, users, catalogue, role):
    draft = catalogue["draft_a"]
    variant = draft.variants.get()
    query = """query($p: ID!, $v: ID!) {
      p: node(id: $p) { id ... on Product { slug } }
      v: node(id: $v) { id ... on ProductVariant { product { slug } } }
    }"""
    data = api(query, {"p": gid(draft), "v": gid(variant)}, user=users[role])["data"]
    if role in EDITORS:
        assert data["p"]["slug"] == draft.slug
        assert data["v"]["product"]["slug"] == draft.slug
    else:
        assert data == {"p": None, "v": None}


def test_media_nodes_follow_the_product(api, catalogue):
    media = catalogue["public_a"].media.order_by("sort_order").first()
    query = "query($id: ID!) { node(id: $id) { ... on ProductMedia { alt url } } }"
    assert api(query, {"id": gid(media)})["data"]["node"]["alt"] == media.alt
    Product.objects.filter(pk=media.product_id).update(is_published=False)
    assert api(query, {"id": gid(media)})["data"]["node"] is None


SELLER_PRODUCTS = """
query($id: ID) { seller(id: $id) { rating products(first: 10) { totalCount edges { node { slug } } } } }
"""


@pytest.mark.parametrize("role", ROLES)
def test_seller_products_follow_the_same_rule(api, users, catalogue, hidden, seller_a, role):
    body = api(SELLER_PRODUCTS, {"id": gid(seller_a)}, user=users[role])
    seller = body["data"]["seller"]
    found = {edge["node"]["slug"] for edge in seller["products"]["edges"]}
    expected = {catalogue["public_a"].slug}
    if role in EDITORS:
        expected |= {catalogue["draft_a"].slug, catalogue["unpriced_a"].slug}
    assert found == expected
    assert seller["products"]["totalCount"] == len(expected)
    assert seller["rating"] is None


def test_variant_stocks_only_for_those_who_edit_the_product(api, users, catalogue):
    query = """query($s: String) { product(slug: $s) {
      variants { quantityAvailable stocks { warehouse { name } quantity quantityAllocated } }
    } }"""
    for role, user in users.items():
        variant = api(query, {"s": catalogue["public_a"].slug}, user=user)["data"]["product"][
            "variants"
        ][0]
        assert variant["quantityAvailable"] == 5
        if role in EDITORS:
            assert [s["quantity"] for s in variant["stocks"]] == [5]
        else:
            assert variant["stocks"] is None
