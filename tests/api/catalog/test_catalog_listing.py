"""`products`: prices, availability, filters, order, pagination, search; `categories`;
the fields of a product page."""

from decimal import Decimal

import pytest
from graphql_relay import offset_to_cursor

from marketplace.catalog.models import (
    Attribute,
    AttributeValue,
    Product,
    ProductAttributeValue,
    ProductMedia,
)
from marketplace.inventory.models import Stock
from tests.builders.catalog import make_product
from tests.support import gid

pytestmark = pytest.mark.django_db

PAGE = """
query($first: Int, $after: String, $last: Int, $before: String, $filter: ProductFilterInput,
      $sortBy: ProductOrder, $search: String, $channel: String) {
  products(first: $first, after: $after, last: $last, before: $before, filter: $filter,
           sortBy: $sortBy, search: $search, channel: $channel) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { slug name } }
  }
}"""


def page(api, **variables) -> dict:
    body = api(PAGE, {"first": 100, **variables}, lang="fa")
    assert "errors" not in body, body
    return body["data"]["products"]


def names(connection) -> list[str]:
    return [edge["node"]["name"] for edge in connection["edges"]]


@pytest.fixture
def shelf(seller_a, seller_b, saffron, crafts, food):
    """Six public products with distinct prices, names and ratings."""
    rows = [
        (seller_a, "زعفران سرگل", saffron, 3_000_000, "Sargol saffron", Decimal("4.50")),
        (seller_a, "زرشک پفکی", food, 800_000, "Barberry", None),
        (seller_b, "گلیم دستباف", crafts, 9_000_000, "Kilim", Decimal("4.90")),
        (seller_b, "کشمش سبز", food, 500_000, "", Decimal("3.10")),
        (seller_a, "زعفران نگین", saffron, 4_000_000, "Negin saffron", None),
        (seller_b, "عناب خشک", food, 650_000, "Dried jujube", Decimal("4.00")),
    ]
    products = []
    for seller, name, category, price, name_en, rating in rows:
        product = make_product(seller, name, category, price=price, name_en=name_en)
        Product.objects.filter(pk=product.pk).update(rating=rating)
        products.append(product)
    return products


def test_newest_first_by_default(api, shelf):
    assert names(page(api)) == [p.name for p in reversed(shelf)]


@pytest.mark.parametrize(
    ("field", "direction", "expected"),
    [
        ("PRICE", "ASC", ["کشمش سبز", "عناب خشک", "زرشک پفکی", "زعفران سرگل"]),
        ("PRICE", "DESC", ["گلیم دستباف", "زعفران نگین", "زعفران سرگل", "زرشک پفکی"]),
        ("RATING", "DESC", ["گلیم دستباف", "زعفران سرگل", "عناب خشک", "کشمش سبز"]),
        ("RATING", "ASC", ["کشمش سبز", "عناب خشک", "زعفران سرگل", "گلیم دستباف"]),
        ("NAME", "ASC", ["زرشک پفکی", "زعفران سرگل", "زعفران نگین", "عناب خشک"]),
        ("CREATED", "ASC", ["زعفران سرگل", "زرشک پفکی", "گلیم دستباف", "کشمش سبز"]),
    ],
)
def test_sort(api, shelf, field, direction, expected):
    found = names(page(api, sortBy={"field": field, "direction": direction}))
    assert found[:4] == expected
    if field == "RATING":  # unrated last whichever the direction, then by id
        unrated = ["زرشک پفکی", "زعفران نگین"]
        assert found[4:] == (unrated if direction == "ASC" else unrated[::-1])


def test_name_sort_follows_the_language(api, shelf):
    body = api(PAGE, {"first": 3, "sortBy": {"field": "NAME", "direction": "ASC"}}, lang="en")
    # English names where they exist, the Persian one otherwise (sorted after Latin).
    assert names(body["data"]["products"]) == ["Barberry", "Dried jujube", "Kilim"]


def test_rank_without_search_is_newest_first(api, shelf):
    found = names(page(api, sortBy={"field": "RANK", "direction": "DESC"}))
    assert found == [p.name for p in reversed(shelf)]


def test_filters(api, shelf, food, saffron, seller_a, seller_b, coop_b):
    def found(**product_filter) -> set[str]:
        return {e["node"]["name"] for e in page(api, filter=product_filter)["edges"]}

    assert found(categories=[gid(saffron)]) == {"زعفران سرگل", "زعفران نگین"}
    # A category includes those below it.
    assert found(categories=[gid(food)]) == {
        "زعفران سرگل",
        "زعفران نگین",
        "زرشک پفکی",
        "کشمش سبز",
        "عناب خشک",
    }
    assert found(sellers=[gid(seller_b)]) == {"گلیم دستباف", "کشمش سبز", "عناب خشک"}
    assert found(cooperatives=[gid(coop_b)]) == {"گلیم دستباف", "کشمش سبز", "عناب خشک"}
    assert found(price={"gte": 800_000, "lte": 3_000_000}) == {"زرشک پفکی", "زعفران سرگل"}
    assert found(price={"lte": 600_000}, sellers=[gid(seller_b)]) == {"کشمش سبز"}
    assert found(categories=[gid("Category", 99999999)]) == set()
    assert found(sellers=[]) == set()


def test_availability(api, shelf):
    sold_out = shelf[0]
    Stock.objects.filter(variant__product=sold_out).update(quantity=0)
    partly = shelf[1]
    Stock.objects.filter(variant__product=partly).update(quantity=3, quantity_allocated=3)
    unavailable = {sold_out.name, partly.name}
    assert {e["node"]["name"] for e in page(api, filter={"isAvailable": False})["edges"]} == (
        unavailable
    )
    available = {e["node"]["name"] for e in page(api, filter={"isAvailable": True})["edges"]}
    assert available == {p.name for p in shelf} - unavailable
    query = """query($s: String) { product(slug: $s) {
      isAvailable variants { quantityAvailable } } }"""
    product = api(query, {"s": partly.slug})["data"]["product"]
    assert product == {"isAvailable": False, "variants": [{"quantityAvailable": 0}]}
    product = api(query, {"s": shelf[2].slug})["data"]["product"]
    assert product == {"isAvailable": True, "variants": [{"quantityAvailable": 5}]}


@pytest.mark.parametrize(
    "product_filter",
    [
        {"categories": [gid("Seller", 1)]},
        {"sellers": [gid("Category", 1)]},
        {"cooperatives": ["garbage"]},
        {"sellers": ["x" * 1_000_000]},
        {"categories": [gid("Category", 1)] * 101},
    ],
)
def test_bad_filter_ids_are_invalid(api, shelf, product_filter):
    body = api(PAGE, {"first": 5, "filter": product_filter})
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "INVALID"


def test_forward_and_backward_pagination(api, shelf):
    expected = [p.name for p in reversed(shelf)]
    seen, after = [], None
    while True:
        connection = page(api, first=4, after=after)
        seen += names(connection)
        assert connection["pageInfo"]["hasPreviousPage"] == (after is not None)
        if not connection["pageInfo"]["hasNextPage"]:
            break
        after = connection["pageInfo"]["endCursor"]
    assert seen == expected
    last_two = page(api, first=None, last=2)
    assert names(last_two) == expected[-2:]
    assert last_two["pageInfo"]["hasPreviousPage"] is True
    before = last_two["pageInfo"]["startCursor"]
    previous = page(api, first=None, last=3, before=before)
    assert names(previous) == expected[1:4]
    assert previous["pageInfo"]["hasPreviousPage"] is True
    assert page(api, first=2)["totalCount"] == 6


@pytest.mark.parametrize("variables", [{"first": 101}, {"first": -1}, {"last": 101}])
def test_page_size_is_capped(api, shelf, variables):
    body = api(PAGE, {"first": None, **variables})
    assert body["data"] is None and body["errors"]


@pytest.mark.parametrize(
    "cursor",
    ["نه-یک-مکان", offset_to_cursor(10**19), offset_to_cursor(-5)],
    ids=["garbage", "past-bigint", "negative"],
)
@pytest.mark.parametrize("argument", ["after", "before"])
def test_bad_cursor_is_an_error_not_a_crash(api, shelf, cursor, argument):
    body = api(PAGE, {"first": 2, argument: cursor})
    assert body["data"] is None
    assert (
        "cursor is not valid" in body["errors"][0]["message"]
        or "معتبر" in body["errors"][0]["message"]
    )


def test_search_ranks_and_forgives_arabic_letters(api, shelf):
    # Arabic kaf and yeh, and a half-space, still find "کشمش سبز".
    found = names(page(api, search="كشمش\u200cسبز"))
    assert found[0] == "کشمش سبز"
    # Named saffron ranks above sold by a seller whose name says saffron.
    found = names(page(api, search="زعفران"))
    assert set(found[:2]) == {"زعفران سرگل", "زعفران نگین"}
    assert found[2:] == ["زرشک پفکی"]
    found = names(page(api, search="زعفران", sortBy={"field": "PRICE", "direction": "DESC"}))
    assert found == ["زعفران نگین", "زعفران سرگل", "زرشک پفکی"]
    counted = page(api, first=1, search="زعفران", filter={"price": {"gte": 1_000_000}})
    assert counted["totalCount"] == 2
    assert names(page(api, search="ز" * 1_000_000)) == []
    assert names(page(api, search="   ")) == [p.name for p in reversed(shelf)]


def test_prices_in_each_channel(api, seller_a, saffron):
    product = make_product(seller_a, "زعفران", saffron, price=2_000_000, intl=12.5, variants=2)
    query = """query($s: String, $c: String) { product(slug: $s, channel: $c) {
      pricing { onSale priceRange {
        start { gross { amount currency } net { amount } tax { amount currency } currency }
        stop { gross { amount } } } }
      intl: pricing(channel: "intl") { priceRange { start { gross { amount currency } } } }
      variants { pricing { price { gross { amount currency } } }
                 intl: pricing(channel: "intl") { price { gross { amount } } } }
    } }"""
    data = api(query, {"s": product.slug})["data"]["product"]
    assert data["pricing"] == {
        "onSale": False,
        "priceRange": {
            "start": {
                "gross": {"amount": 2_000_000, "currency": "IRR"},
                "net": {"amount": 2_000_000},
                "tax": {"amount": 0, "currency": "IRR"},
                "currency": "IRR",
            },
            "stop": {"gross": {"amount": 2_001_000}},
        },
    }
    assert data["intl"] == {"priceRange": {"start": {"gross": {"amount": 12.5, "currency": "USD"}}}}
    assert [v["pricing"]["price"]["gross"] for v in data["variants"]] == [
        {"amount": 2_000_000, "currency": "IRR"},
        {"amount": 2_001_000, "currency": "IRR"},
    ]
    assert [v["intl"]["price"]["gross"]["amount"] for v in data["variants"]] == [12.5, 12.5]
    in_intl = api(query, {"s": product.slug, "c": "intl"})["data"]["product"]
    assert in_intl["pricing"]["priceRange"]["start"]["gross"]["currency"] == "USD"
    assert in_intl["variants"][0]["pricing"]["price"]["gross"]["currency"] == "USD"


def test_listing_prices_can_be_asked_in_another_channel(api, seller_a, saffron):
    make_product(seller_a, "زعفران", saffron, price=2_000_000, intl=12.5)
    make_product(seller_a, "زرشک", saffron, price=900_000)
    query = """{ products(first: 5) { edges { node { name
      pricing(channel: "intl") { priceRange { start { gross { amount currency } } } }
      isAvailable(channel: "intl") } } } }"""
    edges = api(query)["data"]["products"]["edges"]
    assert [(e["node"]["pricing"], e["node"]["isAvailable"]) for e in edges] == [
        (None, False),
        ({"priceRange": {"start": {"gross": {"amount": 12.5, "currency": "USD"}}}}, True),
    ]


def test_product_page_fields(api, seller_a, saffron, food):
    from marketplace.locations.models import County, Province, Village

    county = County.objects.create(
        province=Province.objects.create(code="T-1", name="خراسان", name_en="Khorasan"),
        name="تربت حیدریه",
        name_en="Torbat-e Heydarieh",
    )
    seller_a.village = Village.objects.create(county=county, name="رباط", name_en="Robat")
    seller_a.save()
    product = make_product(
        seller_a,
        "زعفران سرگل",
        saffron,
        name_en="Sargol saffron",
        description="زعفران مرغوب",
        media=2,
    )
    ProductMedia.objects.filter(product=product, sort_order=1).update(sort_order=0, alt="")
    ProductMedia.objects.filter(product=product, alt="عکس 1").update(
        sort_order=5, thumbnails={"240": "products/t/a_240.webp", "480": "products/t/a_480.webp"}
    )
    grade = Attribute.objects.create(slug="t-grade", name="درجه", name_en="Grade")
    value = AttributeValue.objects.create(attribute=grade, slug="one", name="یک", name_en="One")
    ProductAttributeValue.objects.create(product=product, attribute=grade, value=value)
    weight = Attribute.objects.create(slug="t-weight", name="وزن", input_type="NUMERIC")
    ProductAttributeValue.objects.create(product=product, attribute=weight, numeric="4.600")
    query = """query($s: String) { product(slug: $s) {
      name description slug isPublished created rating
      category { name parent { name } }
      seller { name } cooperative { name } origin { name county province }
      thumbnail(size: 200) { url alt }
      media { url alt sortOrder big: url(size: 300) }
      attributes { slug name value }
      variants { name sku weight product { slug } }
    } }"""
    data = api(query, {"s": product.slug}, lang="en")["data"]["product"]
    assert data["name"] == "Sargol saffron"
    assert data["description"] == "زعفران مرغوب"  # no English text: the Persian one
    assert data["category"] == {"name": "Saffron", "parent": {"name": "Food"}}
    assert data["seller"]["name"] == seller_a.name
    assert data["cooperative"]["name"] == seller_a.cooperative.name
    assert data["origin"] == {
        "name": "Robat",
        "county": "Torbat-e Heydarieh",
        "province": "Khorasan",
    }
    # The first photo has no alt text: the product's name stands in.
    assert data["thumbnail"]["alt"] == "Sargol saffron"
    assert [m["sortOrder"] for m in data["media"]] == [0, 5]
    assert data["media"][1]["big"].endswith("products/t/a_480.webp")
    assert data["media"][1]["url"].endswith(".jpg")
    assert data["attributes"] == [
        {"slug": "t-grade", "name": "Grade", "value": "One"},
        {"slug": "t-weight", "name": "وزن", "value": "4.6"},
    ]
    assert data["variants"] == [
        {"name": "بسته 1", "sku": None, "weight": None, "product": {"slug": product.slug}}
    ]
    persian = api(query, {"s": product.slug}, lang="fa")["data"]["product"]
    assert persian["name"] == "زعفران سرگل"
    assert persian["attributes"][0]["value"] == "یک"


def test_categories(api, food, saffron, crafts):
    query = """query($level: Int) { categories(first: 100, level: $level) {
      edges { node { slug name parent { slug } children { slug } } } } }"""
    edges = api(query, lang="en")["data"]["categories"]["edges"]
    by_slug = {e["node"]["slug"]: e["node"] for e in edges}
    assert by_slug["t-food"]["children"] == [{"slug": "t-saffron"}]
    assert by_slug["t-saffron"]["parent"] == {"slug": "t-food"}
    assert by_slug["t-crafts"]["name"] == "Crafts"
    top = api(query, {"level": 0})["data"]["categories"]["edges"]
    assert {"t-food", "t-crafts"} <= {e["node"]["slug"] for e in top}
    assert all(e["node"]["parent"] is None for e in top)
    second = api(query, {"level": 1})["data"]["categories"]["edges"]
    assert "t-saffron" in {e["node"]["slug"] for e in second}
    assert all(e["node"]["parent"] is not None for e in second)
