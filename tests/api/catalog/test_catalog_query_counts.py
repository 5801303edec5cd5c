"""SQL queries of the catalogue's hot paths, pinned: a page of 100 costs what a page of 1
costs, and a product page does not grow with its variants and photos."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from marketplace.catalog.models import Attribute, AttributeValue, ProductAttributeValue
from marketplace.locations.models import County, Province, Village
from tests.builders.catalog import make_product
from tests.builders.sellers import make_seller
from tests.support import gid

pytestmark = pytest.mark.django_db

CARDS = """
query($first: Int) {
  products(first: $first) {
    pageInfo { hasNextPage endCursor }
    edges { node {
      id name slug
      thumbnail(size: 240) { url }
      pricing { priceRange { start { gross { amount currency } } } }
      seller { name } origin { name } cooperative { name } rating
    } }
  }
}"""
PAGE = """
query($slug: String) {
  product(slug: $slug) {
    id name description slug rating isAvailable
    pricing { priceRange { start { gross { amount currency } } stop { gross { amount } } } }
    variants { id name sku weight quantityAvailable pricing { price { gross { amount currency } } } }
    media { id url(size: 480) alt }
    thumbnail(size: 240) { url alt }
    attributes { name value }
    seller { name slug village { name } } cooperative { name } origin { name county }
    category { name slug }
  }
}"""


def queries(api, query, variables=None, **kwargs) -> tuple[int, dict]:
    with CaptureQueriesContext(connection) as context:
        body = api(query, variables, **kwargs)
    assert "errors" not in body, body
    return len(context.captured_queries), body


@pytest.fixture
def many(coop_a, coop_b, saffron, crafts):
    """110 public products of 12 sellers, each from the seller's village, some with photos."""
    county = County.objects.create(
        province=Province.objects.create(code="T-KR", name="خراسان", name_en="Khorasan"),
        name="تربت",
    )
    sellers = []
    for index in range(12):
        cooperative = [coop_a, coop_b, None][index % 3]
        seller = make_seller(f"s{index}@example.com", f"فروشنده {index}", cooperative)
        seller.village = Village.objects.create(county=county, name=f"روستای {index}")
        seller.save()
        sellers.append(seller)
    for index in range(110):
        seller = sellers[index % 12]
        category = [saffron, crafts][index % 2]
        make_product(seller, f"محصول {index}", category, price=1000 + index, media=index % 3)
    return sellers


@pytest.mark.parametrize("first", [1, 20, 100])
def test_listing_cards(api, many, first):
    count, body = queries(api, CARDS, {"first": first})
    assert len(body["data"]["products"]["edges"]) == first
    # The channel, the page of rows (prices and first photo included) and the sellers
    # (with their cooperative and village, the products' origin).
    assert count == 3


@pytest.mark.parametrize("first", [1, 20, 100])
def test_listing_cards_with_more(api, many, first):
    query = CARDS.replace("rating", "rating category { name } isAvailable description")
    query = query.replace("pageInfo {", "totalCount pageInfo {")
    count, body = queries(api, query, {"first": first}, user=many[0].owner)
    assert len(body["data"]["products"]["edges"]) == first
    # + the signed-in user, categories, availability, descriptions and the count.
    assert count == 8


def test_search_and_filters_cost_the_same(api, many, saffron):
    query = """query($search: String, $filter: ProductFilterInput) {
      products(first: 50, search: $search, filter: $filter,
               sortBy: {field: PRICE, direction: ASC}) {
        edges { node { name seller { name } pricing { priceRange { start { gross { amount } } } } } }
      } }"""
    count, body = queries(api, query, {"search": "محصول"})
    assert len(body["data"]["products"]["edges"]) == 50
    assert count == 4  # the spelling-correction lookup is one small query
    product_filter = {"categories": [gid(saffron)], "isAvailable": True, "price": {"gte": 1}}
    count, body = queries(api, query, {"filter": product_filter})
    assert len(body["data"]["products"]["edges"]) == 50
    assert count == 4  # + the category tree


def _page_product(seller, category, size: int):
    product = make_product(seller, f"زعفران {size}", category, variants=size, media=size)
    for index in range(size):
        attribute = Attribute.objects.create(slug=f"t-a{size}-{index}", name=f"ویژگی {index}")
        value = AttributeValue.objects.create(attribute=attribute, slug="v", name="مقدار")
        ProductAttributeValue.objects.create(product=product, attribute=attribute, value=value)
    return product


@pytest.mark.parametrize("size", [1, 6])
def test_product_page(api, seller_a, saffron, size):
    product = _page_product(seller_a, saffron, size)
    count, body = queries(api, PAGE, {"slug": product.slug})
    page = body["data"]["product"]
    assert (len(page["variants"]), len(page["media"]), len(page["attributes"])) == (size,) * 3
    # The channel; the product with seller, cooperative, category, origin, prices,
    # photos and attributes; its variants with their prices; their quantities;
    # whether it is available.
    assert count == 5


@pytest.mark.parametrize("size", [1, 6])
def test_product_page_for_its_owner(api, seller_a, saffron, size):
    product = _page_product(seller_a, saffron, size)
    query = PAGE.replace(
        "quantityAvailable", "quantityAvailable stocks { quantity warehouse { name } }"
    )
    count, body = queries(api, query, {"slug": product.slug}, user=seller_a.owner)
    assert len(body["data"]["product"]["variants"]) == size
    assert count == 7  # + the signed-in user and the stocks


@pytest.mark.parametrize("sellers", [1, 6])
def test_seller_pages_with_their_products(api, many, sellers):
    query = """query($first: Int) { sellers(first: $first) { edges { node { name
      products(first: 3) { totalCount edges { node { name thumbnail { url } } } } } } } }"""
    count, body = queries(api, query, {"first": sellers})
    edges = body["data"]["sellers"]["edges"]
    assert len(edges) == sellers
    assert all(len(e["node"]["products"]["edges"]) == 3 for e in edges)
    # Sellers; the channel; one window of products for all sellers; one count for all.
    assert count == 4
