"""Catalogue mutations: what they do, who may run them, and bad input that changes nothing."""

from decimal import Decimal

import pytest

from marketplace.catalog.models import (
    Product,
    ProductChannelListing,
    ProductVariant,
    VariantChannelListing,
)
from marketplace.inventory.models import Stock, Warehouse
from tests.builders.catalog import make_product
from tests.builders.inventory import warehouse_of
from tests.builders.orders import order_referencing
from tests.support import codes, gid

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
ALLOWED = {"owner", "coop_staff", "platform"}

CREATE = """mutation($input: ProductCreateInput!) { productCreate(input: $input) {
  product { id name slug isPublished seller { slug } category { slug } origin { name } }
  errors { field code message } } }"""
UPDATE = """mutation($id: ID!, $input: ProductUpdateInput!) { productUpdate(id: $id, input: $input) {
  product { id name description isPublished category { slug } } errors { field code message } } }"""
DELETE = """mutation($id: ID!) { productDelete(id: $id) {
  product { id name slug } errors { field code message } } }"""
VARIANT_CREATE = """mutation($input: ProductVariantCreateInput!) {
  productVariantCreate(input: $input) {
    productVariant { id sku name weight quantityAvailable
      pricing { price { gross { amount currency } } }
      intl: pricing(channel: "intl") { price { gross { amount currency } } }
      product { slug pricing { priceRange { start { gross { amount } } } } } }
    errors { field code message } } }"""
STOCKS = """mutation($id: ID!, $stocks: [StockInput!]!) {
  productVariantStocksUpdate(variantId: $id, stocks: $stocks) {
    productVariant { quantityAvailable stocks { quantity warehouse { name } } }
    errors { field code message } } }"""
PRICES = """mutation($id: ID!, $listings: [ChannelPriceInput!]!) {
  productVariantPricesUpdate(variantId: $id, channelListings: $listings) {
    productVariant { intl: pricing(channel: "intl") { price { gross { amount currency } } } }
    errors { field code message } } }"""


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
def variant(product):
    return product.variants.get()


def payload(body: dict) -> dict:
    assert "errors" not in body, body
    return next(iter(body["data"].values()))


def snapshot() -> tuple:
    """Everything the catalogue mutations can change."""
    return (
        list(Product.objects.order_by("pk").values()),
        list(ProductVariant.objects.order_by("pk").values()),
        list(VariantChannelListing.objects.order_by("pk").values()),
        list(ProductChannelListing.objects.order_by("pk").values()),
        list(Stock.objects.order_by("pk").values()),
    )


# ---------------------------------------------------------------- what they do


def test_create_defaults_to_the_callers_seller(api, seller_a, saffron):
    result = payload(
        api(
            CREATE,
            {
                "input": {
                    "name": " زعفران نگین ",
                    "nameEn": "Negin saffron",
                    "category": gid(saffron),
                }
            },
            user=seller_a.owner,
        )
    )
    assert result["errors"] == []
    created = result["product"]
    assert created["name"] == "Negin saffron"  # the test client asks for English
    assert created["seller"]["slug"] == seller_a.slug
    assert created["category"]["slug"] == saffron.slug
    assert created["isPublished"] is False
    assert Product.objects.get(slug=created["slug"]).name == "زعفران نگین"


def test_cooperative_staff_name_the_member(api, staff_a, seller_a, saffron):
    result = payload(api(CREATE, {"input": {"name": "x", "category": gid(saffron)}}, user=staff_a))
    assert codes(result) == [("seller", "REQUIRED")]
    variables = {"input": {"name": "x", "category": gid(saffron), "seller": gid(seller_a)}}
    result = payload(api(CREATE, variables, user=staff_a))
    assert result["errors"] == [] and result["product"]["seller"]["slug"] == seller_a.slug


def test_update(api, product, crafts):
    variables = {
        "id": gid(product),
        "input": {
            "name": "زعفران ممتاز",
            "descriptionEn": "Hand picked",
            "category": gid(crafts),
            "isPublished": False,
        },
    }
    result = payload(api(UPDATE, variables, user=product.seller.owner))
    assert result["errors"] == []
    assert result["product"]["description"] == "Hand picked"
    assert result["product"]["category"]["slug"] == crafts.slug
    product.refresh_from_db()
    assert (product.name, product.is_published) == ("زعفران ممتاز", False)


def test_delete_removes_or_hides(api, product, seller_a, saffron):
    result = payload(api(DELETE, {"id": gid(product)}, user=seller_a.owner))
    assert result["errors"] == []
    assert result["product"] == {"id": gid(product), "name": product.name, "slug": product.slug}
    assert not Product.objects.filter(pk=product.pk).exists()
    ordered = make_product(seller_a, "زعفران پوشال", saffron)
    order_referencing(ordered.variants.get())
    result = payload(api(DELETE, {"id": gid(ordered)}, user=seller_a.owner))
    assert result["errors"] == [] and result["product"]["slug"] == ordered.slug
    ordered.refresh_from_db()
    assert (ordered.is_hidden, ordered.is_published) == (True, False)
    listing = api("{ products(first: 10) { edges { node { slug } } } }")
    assert listing["data"]["products"]["edges"] == []


def test_variant_create_with_prices_and_stock(api, product, seller_a):
    warehouse = warehouse_of(seller_a)
    variables = {
        "input": {
            "product": gid(product),
            "sku": "SAF-NEGIN-1",
            "name": "۱ مثقال",
            "weight": 0.0046,
            "channelListings": [
                {"channel": "ir", "price": 1_500_000.4},
                {"channel": "intl", "price": 12.345},
            ],
            "stocks": [{"warehouse": gid(warehouse), "quantity": 7}],
        }
    }
    result = payload(api(VARIANT_CREATE, variables, user=seller_a.owner))
    assert result["errors"] == []
    created = result["productVariant"]
    assert created["sku"] == "SAF-NEGIN-1"
    assert created["weight"] == pytest.approx(0.005)  # kept to the gram
    assert created["quantityAvailable"] == 7
    assert created["pricing"]["price"]["gross"] == {"amount": 1_500_000, "currency": "IRR"}
    assert created["intl"]["price"]["gross"] == {"amount": 12.35, "currency": "USD"}
    # The product's range now starts at the new, lower price.
    assert created["product"]["pricing"]["priceRange"]["start"]["gross"]["amount"] == 1_500_000


def test_stocks_and_prices_update(api, variant, seller_a, coop_a):
    own = warehouse_of(seller_a)
    coop = Warehouse.objects.create(name="انبار تعاونی", cooperative=coop_a)
    stocks = [
        {"warehouse": gid(own), "quantity": 2},
        {"warehouse": gid(coop), "quantity": 9},
    ]
    result = payload(api(STOCKS, {"id": gid(variant), "stocks": stocks}, user=seller_a.owner))
    assert result["errors"] == []
    assert result["productVariant"]["quantityAvailable"] == 11
    assert sorted(s["quantity"] for s in result["productVariant"]["stocks"]) == [2, 9]
    listings = [{"channel": "intl", "price": 30}]
    result = payload(api(PRICES, {"id": gid(variant), "listings": listings}, user=seller_a.owner))
    assert result["errors"] == []
    assert result["productVariant"]["intl"]["price"]["gross"] == {"amount": 30, "currency": "USD"}
    assert ProductChannelListing.objects.filter(product=variant.product).count() == 2


def test_stock_never_below_what_orders_hold(api, variant, seller_a):
    Stock.objects.filter(variant=variant).update(quantity=5, quantity_allocated=4)
    stocks = [{"warehouse": gid(warehouse_of(seller_a)), "quantity": 3}]
    result = payload(api(STOCKS, {"id": gid(variant), "stocks": stocks}, user=seller_a.owner))
    assert codes(result) == [("stocks.0.quantity", "INVALID")]
    assert Stock.objects.get(variant=variant).quantity == 5


# ---------------------------------------------------------------- who may run them


def _cases(world: dict) -> dict:
    product, variant, saffron = world["product"], world["variant"], world["saffron"]
    warehouse = world["warehouse"]
    return {
        "productCreate": (
            CREATE,
            {
                "input": {
                    "name": "زعفران تازه",
                    "category": gid(saffron),
                    "seller": gid(product.seller),
                }
            },
            lambda: Product.objects.filter(name="زعفران تازه").exists(),
        ),
        "productUpdate": (
            UPDATE,
            {"id": gid(product), "input": {"name": "نام تازه"}},
            lambda: Product.objects.filter(name="نام تازه").exists(),
        ),
        "productDelete": (
            DELETE,
            {"id": gid(product)},
            lambda: not Product.objects.filter(pk=product.pk).exists(),
        ),
        "productVariantCreate": (
            VARIANT_CREATE,
            {
                "input": {
                    "product": gid(product),
                    "channelListings": [{"channel": "ir", "price": 5}],
                }
            },
            lambda: product.variants.count() == 2,
        ),
        "productVariantStocksUpdate": (
            STOCKS,
            {"id": gid(variant), "stocks": [{"warehouse": gid(warehouse), "quantity": 40}]},
            lambda: Stock.objects.filter(variant=variant, quantity=40).exists(),
        ),
        "productVariantPricesUpdate": (
            PRICES,
            {"id": gid(variant), "listings": [{"channel": "ir", "price": 777}]},
            lambda: VariantChannelListing.objects.filter(variant=variant, price=777).exists(),
        ),
    }


MUTATIONS = [
    "productCreate",
    "productUpdate",
    "productDelete",
    "productVariantCreate",
    "productVariantStocksUpdate",
    "productVariantPricesUpdate",
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("mutation", MUTATIONS)
def test_permission_matrix(api, users, product, variant, saffron, seller_a, mutation, role):
    world = {
        "product": product,
        "variant": variant,
        "saffron": saffron,
        "warehouse": warehouse_of(seller_a),
    }
    query, variables, changed = _cases(world)[mutation]
    before = snapshot()
    result = payload(api(query, variables, user=users[role]))
    if role in ALLOWED:
        assert result["errors"] == []
        assert changed()
    else:
        assert [e["code"] for e in result["errors"]] == ["PERMISSION_DENIED"]
        assert snapshot() == before


# ---------------------------------------------------------------- bad input


HUGE = "ق" * 1_000_000


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"name": "   "}, ("name", "REQUIRED")),
        ({"name": HUGE}, ("name", "TOO_LONG")),
        ({"nameEn": HUGE}, ("nameEn", "TOO_LONG")),
        ({"description": HUGE}, ("description", "TOO_LONG")),
        ({"slug": HUGE}, ("slug", "TOO_LONG")),
        ({"category": gid("Seller", 1)}, ("category", "INVALID")),
        ({"category": gid("Category", 99999999)}, ("category", "NOT_FOUND")),
        ({"category": HUGE}, ("category", "INVALID")),
        ({"origin": gid("Category", 1)}, ("origin", "INVALID")),
        ({"origin": gid("Village", 99999999)}, ("origin", "NOT_FOUND")),
        ({"seller": gid("Seller", 99999999)}, ("seller", "NOT_FOUND")),
        ({"seller": gid("Warehouse", 1)}, ("seller", "INVALID")),
    ],
)
def test_create_rejects_bad_input(api, seller_a, saffron, fields, expected):
    before = snapshot()
    variables = {"input": {"name": "زعفران", "category": gid(saffron), **fields}}
    result = payload(api(CREATE, variables, user=seller_a.owner))
    assert result["product"] is None
    assert expected in codes(result)
    assert snapshot() == before


def test_create_reports_every_bad_id_at_once(api, seller_a):
    variables = {
        "input": {
            "name": "زعفران",
            "category": gid("Category", 99999999),
            "origin": "garbage",
        }
    }
    result = payload(api(CREATE, variables, user=seller_a.owner))
    assert codes(result) == [("category", "NOT_FOUND"), ("origin", "INVALID")]


def test_create_for_another_seller_or_without_one(api, buyer, seller_b, saffron):
    variables = {"input": {"name": "x", "category": gid(saffron)}}
    assert codes(payload(api(CREATE, variables, user=buyer))) == [("seller", "REQUIRED")]
    variables["input"]["seller"] = gid(seller_b)
    assert codes(payload(api(CREATE, variables, user=buyer))) == [("seller", "PERMISSION_DENIED")]
    assert not Product.objects.exists()


def test_slug_must_be_free(api, product, seller_a, saffron):
    variables = {"input": {"name": "x", "category": gid(saffron), "slug": product.slug}}
    assert codes(payload(api(CREATE, variables, user=seller_a.owner))) == [("slug", "UNIQUE")]


@pytest.mark.parametrize(
    ("id_value", "fields", "expected"),
    [
        ("product", {"name": HUGE}, ("name", "TOO_LONG")),
        ("product", {"name": ""}, ("name", "REQUIRED")),
        ("product", {"category": gid("Product", 1)}, ("category", "INVALID")),
        (gid("Product", 99999999), {"name": "x"}, ("id", "NOT_FOUND")),
        (gid("Category", 1), {"name": "x"}, ("id", "INVALID")),
    ],
)
def test_update_rejects_bad_input(api, product, id_value, fields, expected):
    before = snapshot()
    id_value = gid(product) if id_value == "product" else id_value
    result = payload(api(UPDATE, {"id": id_value, "input": fields}, user=product.seller.owner))
    assert result["product"] is None
    assert expected in codes(result)
    assert snapshot() == before


def test_hidden_products_cannot_be_updated(api, product):
    Product.objects.filter(pk=product.pk).update(is_hidden=True)
    variables = {"id": gid(product), "input": {"name": "x"}}
    assert codes(payload(api(UPDATE, variables, user=product.seller.owner))) == [
        ("id", "NOT_FOUND")
    ]


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        (
            {"channelListings": [{"channel": "ir", "price": -5}]},
            ("channelListings.0.price", "INVALID"),
        ),
        (
            {"channelListings": [{"channel": "ir", "price": 0}]},
            ("channelListings.0.price", "INVALID"),
        ),
        (
            {"channelListings": [{"channel": "ir", "price": 1e30}]},
            ("channelListings.0.price", "INVALID"),
        ),
        (
            {"channelListings": [{"channel": "mars", "price": 5}]},
            ("channelListings.0.channel", "NOT_FOUND"),
        ),
        (
            {"channelListings": [{"channel": HUGE, "price": 5}]},
            ("channelListings.0.channel", "NOT_FOUND"),
        ),
        ({"channelListings": []}, ("channelListings", "REQUIRED")),
        ({"channelListings": [{"channel": "ir", "price": 5}] * 21}, ("channelListings", "INVALID")),
        ({"stocks": [{"warehouse": "own", "quantity": -1}]}, ("stocks.0.quantity", "INVALID")),
        (
            {"stocks": [{"warehouse": "own", "quantity": 2_000_000_000}]},
            ("stocks.0.quantity", "INVALID"),
        ),
        (
            {"stocks": [{"warehouse": gid("Warehouse", 99999999), "quantity": 1}]},
            ("stocks.0.warehouse", "NOT_FOUND"),
        ),
        (
            {"stocks": [{"warehouse": gid("Seller", 1), "quantity": 1}]},
            ("stocks.0.warehouse", "INVALID"),
        ),
        (
            {"stocks": [{"warehouse": "other", "quantity": 1}]},
            ("stocks.0.warehouse", "PERMISSION_DENIED"),
        ),
        ({"stocks": [{"warehouse": "own", "quantity": 1}] * 2}, ("stocks.1.warehouse", "UNIQUE")),
        ({"sku": HUGE}, ("sku", "TOO_LONG")),
        ({"name": HUGE}, ("name", "TOO_LONG")),
        ({"weight": -1}, ("weight", "INVALID")),
        ({"weight": 1e300}, ("weight", "INVALID")),
        ({"product": gid("Product", 99999999)}, ("product", "NOT_FOUND")),
        ({"product": gid("ProductVariant", 1)}, ("product", "INVALID")),
    ],
)
def test_variant_create_rejects_bad_input(api, product, seller_a, seller_b, fields, expected):
    names = {"own": gid(warehouse_of(seller_a)), "other": gid(warehouse_of(seller_b))}
    for stock in fields.get("stocks", []):
        stock["warehouse"] = names.get(stock["warehouse"], stock["warehouse"])
    before = snapshot()
    variables = {
        "input": {
            "product": gid(product),
            "channelListings": [{"channel": "ir", "price": 1000}],
            **fields,
        }
    }
    result = payload(api(VARIANT_CREATE, variables, user=seller_a.owner))
    assert result["productVariant"] is None
    assert expected in codes(result)
    assert snapshot() == before


@pytest.mark.parametrize(
    ("variant_id", "stocks", "expected"),
    [
        (
            "variant",
            [{"warehouse": "other", "quantity": 1}],
            ("stocks.0.warehouse", "PERMISSION_DENIED"),
        ),
        ("variant", [{"warehouse": "own", "quantity": -3}], ("stocks.0.quantity", "INVALID")),
        ("variant", [{"warehouse": "garbage", "quantity": 3}], ("stocks.0.warehouse", "INVALID")),
        (gid("ProductVariant", 99999999), [], ("variantId", "NOT_FOUND")),
        (gid("Product", 1), [], ("variantId", "INVALID")),
    ],
)
def test_stocks_update_rejects_bad_input(
    api, variant, seller_a, seller_b, variant_id, stocks, expected
):
    names = {"own": gid(warehouse_of(seller_a)), "other": gid(warehouse_of(seller_b))}
    for stock in stocks:
        stock["warehouse"] = names.get(stock["warehouse"], stock["warehouse"])
    variant_id = gid(variant) if variant_id == "variant" else variant_id
    before = snapshot()
    result = payload(api(STOCKS, {"id": variant_id, "stocks": stocks}, user=seller_a.owner))
    assert expected in codes(result)
    assert snapshot() == before


@pytest.mark.parametrize(
    ("listings", "expected"),
    [
        ([{"channel": "ir", "price": -1}], ("channelListings.0.price", "INVALID")),
        ([{"channel": "moon", "price": 1}], ("channelListings.0.channel", "NOT_FOUND")),
        ([], ("channelListings", "REQUIRED")),
    ],
)
def test_prices_update_rejects_bad_input(api, variant, seller_a, listings, expected):
    before = snapshot()
    variables = {"id": gid(variant), "listings": listings}
    assert expected in codes(payload(api(PRICES, variables, user=seller_a.owner)))
    assert snapshot() == before


def test_numbers_beyond_graphql_int_are_refused_before_anything_runs(api, variant, seller_a):
    before = snapshot()
    stocks = [{"warehouse": gid(warehouse_of(seller_a)), "quantity": 10**12}]
    body = api(STOCKS, {"id": gid(variant), "stocks": stocks}, user=seller_a.owner, status=400)
    assert body["errors"] and "data" not in body
    assert snapshot() == before


def test_prices_keep_the_currencys_precision(api, variant, seller_a):
    listings = [{"channel": "ir", "price": 1234.5}, {"channel": "intl", "price": 0.125}]
    payload(api(PRICES, {"id": gid(variant), "listings": listings}, user=seller_a.owner))
    prices = dict(
        VariantChannelListing.objects.filter(variant=variant).values_list("currency", "price")
    )
    assert prices == {"IRR": Decimal("1235"), "USD": Decimal("0.13")}
