"""Only an approved seller stocks, lists or sells: an applicant, or a seller suspended or
turned down, gets INVALID_STATUS from every mutation that would put goods in a
warehouse or in front of buyers, whoever acts for them; their products stay out of sight.
Shipping zones are shared by every method, so only platform staff add them."""

import pytest

from marketplace.catalog.models import Category, Product, ProductVariant, VariantChannelListing
from marketplace.inventory.models import Stock, Warehouse
from marketplace.sellers.models import Seller, SellerStatus
from marketplace.shipping.models import DeliveryMethod, ShippingZone
from tests.builders.accounts import make_user
from tests.builders.catalog import make_product
from tests.builders.inventory import warehouse_of
from tests.builders.sellers import make_seller
from tests.support import codes, gid

pytestmark = pytest.mark.django_db

NOT_APPROVED = [SellerStatus.PENDING, SellerStatus.SUSPENDED, SellerStatus.REJECTED]

PRODUCT_CREATE = """mutation($input: ProductCreateInput!) { productCreate(input: $input) {
  product { id } errors { field code message } } }"""
PRODUCT_UPDATE = """mutation($id: ID!, $input: ProductUpdateInput!) {
  productUpdate(id: $id, input: $input) { product { isPublished } errors { field code } } }"""
VARIANT_CREATE = """mutation($input: ProductVariantCreateInput!) {
  productVariantCreate(input: $input) { productVariant { id } errors { field code } } }"""
STOCKS = """mutation($id: ID!, $stocks: [StockInput!]!) {
  productVariantStocksUpdate(variantId: $id, stocks: $stocks) { errors { field code } } }"""
PRICES = """mutation($id: ID!, $listings: [ChannelPriceInput!]!) {
  productVariantPricesUpdate(variantId: $id, channelListings: $listings) {
    errors { field code } } }"""
WAREHOUSE = """mutation($input: WarehouseInput!) {
  warehouseCreate(input: $input) { warehouse { id } errors { field code } } }"""
METHOD = """mutation($input: DeliveryMethodCreateInput!) {
  deliveryMethodCreate(input: $input) { deliveryMethod { id } errors { field code } } }"""
ZONE = """mutation($input: ShippingZoneInput!) {
  shippingZoneCreate(input: $input) { shippingZone { id } errors { field code } } }"""
LISTING = "{ products(first: 20) { edges { node { slug } } } }"
PAGE = "query($slug: String!) { product(slug: $slug) { slug } }"
REFUSED = "Only an approved seller can stock, list or sell products."


@pytest.fixture
def saffron(db) -> Category:
    return Category.objects.create(name="زعفران", name_en="Saffron", slug="u-saffron")


@pytest.fixture(params=NOT_APPROVED)
def applicant(request, coop_a) -> Seller:
    return make_seller("new@example.com", "دامداری نو", coop_a, status=request.param)


@pytest.fixture(params=["owner", "coop_staff", "platform"])
def acting(request, applicant, staff_a, operator):
    """Whoever may act for the seller: the refusal is about the seller, not the caller."""
    return {"owner": applicant.owner, "coop_staff": staff_a, "platform": operator}[request.param]


@pytest.fixture
def their_product(applicant, saffron) -> Product:
    return make_product(applicant, "پنیر محلی", saffron, price=300_000, stock=4)


def payload(body: dict) -> dict:
    assert "errors" not in body, body
    return next(iter(body["data"].values()))


def test_product_create(api, applicant, acting, saffron):
    variables = {"input": {"name": "پنیر", "category": gid(saffron), "seller": gid(applicant)}}
    result = payload(api(PRODUCT_CREATE, variables, user=acting))
    assert codes(result) == [("seller", "INVALID_STATUS")]
    assert result["errors"][0]["message"] == REFUSED
    assert result["product"] is None
    assert not Product.objects.exists()


def test_publishing_is_refused_unpublishing_is_not(api, their_product, acting):
    their_product.is_published = False
    their_product.save()
    result = payload(
        api(PRODUCT_UPDATE, {"id": gid(their_product), "input": {"isPublished": True}}, user=acting)
    )
    assert codes(result) == [("isPublished", "INVALID_STATUS")]
    their_product.refresh_from_db()
    assert their_product.is_published is False
    result = payload(
        api(
            PRODUCT_UPDATE,
            {"id": gid(their_product), "input": {"isPublished": False, "name": "پنیر کوزه"}},
            user=acting,
        )
    )
    assert result["errors"] == []
    their_product.refresh_from_db()
    assert their_product.name == "پنیر کوزه"


def test_variant_create(api, their_product, applicant, acting):
    before = ProductVariant.objects.count()
    variables = {
        "input": {
            "product": gid(their_product),
            "channelListings": [{"channel": "ir", "price": 100_000}],
            "stocks": [{"warehouse": gid(warehouse_of(applicant)), "quantity": 1_000_000}],
        }
    }
    result = payload(api(VARIANT_CREATE, variables, user=acting))
    assert codes(result) == [("product", "INVALID_STATUS")]
    assert ProductVariant.objects.count() == before


def test_stock_may_only_go_down(api, their_product, applicant, acting, coop_a):
    variant = their_product.variants.get()
    own = warehouse_of(applicant)
    coop = Warehouse.objects.create(name="انبار تعاونی", cooperative=coop_a)
    for stocks in (
        [{"warehouse": gid(own), "quantity": 5}],
        [{"warehouse": gid(coop), "quantity": 1_000_000}],
        [{"warehouse": gid(own), "quantity": 0}, {"warehouse": gid(coop), "quantity": 1}],
    ):
        result = payload(api(STOCKS, {"id": gid(variant), "stocks": stocks}, user=acting))
        assert codes(result) == [("variantId", "INVALID_STATUS")]
        assert list(Stock.objects.values_list("warehouse_id", "quantity")) == [(own.pk, 4)]
    lower = [{"warehouse": gid(own), "quantity": 1}]
    assert payload(api(STOCKS, {"id": gid(variant), "stocks": lower}, user=acting))["errors"] == []
    assert Stock.objects.get(variant=variant).quantity == 1


def test_prices(api, their_product, acting):
    variant = their_product.variants.get()
    listings = [{"channel": "intl", "price": 30}, {"channel": "ir", "price": 1}]
    result = payload(api(PRICES, {"id": gid(variant), "listings": listings}, user=acting))
    assert codes(result) == [("variantId", "INVALID_STATUS")]
    assert list(VariantChannelListing.objects.values_list("channel__slug", "price")) == [
        ("ir", 300_000)
    ]


def test_own_warehouse(api, applicant, acting):
    variables = {"input": {"name": "انبار خانه", "seller": gid(applicant)}}
    result = payload(api(WAREHOUSE, variables, user=acting))
    assert codes(result) == [("seller", "INVALID_STATUS")]
    assert not Warehouse.objects.exists()


def test_own_delivery_method(api, seeded, applicant, acting):
    before = DeliveryMethod.objects.count()
    zone = ShippingZone.objects.get(name="ایران")
    variables = {
        "input": {
            "name": "پیک روستا",
            "kind": "COURIER",
            "seller": gid(applicant),
            "zones": [gid(zone)],
            "rates": [{"channel": "ir", "price": 400_000}],
        }
    }
    result = payload(api(METHOD, variables, user=acting))
    assert codes(result) == [("seller", "INVALID_STATUS")]
    assert DeliveryMethod.objects.count() == before


def test_others_learn_nothing_of_the_status(api, applicant, seller_b, saffron):
    variables = {"input": {"name": "پنیر", "category": gid(saffron), "seller": gid(applicant)}}
    result = payload(api(PRODUCT_CREATE, variables, user=seller_b.owner))
    # As for a seller that does not exist: the applicant is hidden from outsiders.
    assert codes(result) == [("seller", "NOT_FOUND")]


def test_their_products_stay_out_of_sight_until_approved(api, their_product, applicant, buyer):
    for user in (None, buyer):
        assert payload(api(LISTING, user=user))["edges"] == []
        assert payload(api(PAGE, {"slug": their_product.slug}, user=user)) is None
    Seller.objects.filter(pk=applicant.pk).update(status=SellerStatus.APPROVED)
    edges = payload(api(LISTING, user=buyer))["edges"]
    assert edges == [{"node": {"slug": their_product.slug}}]


def test_an_approved_seller_does_all_of_it(api, seller_a, saffron):
    variables = {"input": {"name": "زعفران", "category": gid(saffron), "isPublished": True}}
    created = payload(api(PRODUCT_CREATE, variables, user=seller_a.owner))
    assert created["errors"] == []
    variables = {
        "input": {
            "product": created["product"]["id"],
            "channelListings": [{"channel": "ir", "price": 100_000}],
            "stocks": [{"warehouse": gid(warehouse_of(seller_a)), "quantity": 3}],
        }
    }
    assert payload(api(VARIANT_CREATE, variables, user=seller_a.owner))["errors"] == []
    assert payload(api(LISTING))["edges"] != []


@pytest.mark.parametrize("who", ["approved_seller", "coop_staff", "applicant"])
def test_zones_are_for_platform_staff(api, seeded, who, seller_a, staff_a, coop_a, operator):
    actors = {
        "approved_seller": seller_a.owner,
        "coop_staff": staff_a,
        "applicant": make_seller("p@example.com", "نو", coop_a, SellerStatus.PENDING).owner,
    }
    before = ShippingZone.objects.count()
    variables = {"input": {"name": "آلمان", "countries": ["DE"]}}
    result = payload(api(ZONE, variables, user=actors[who]))
    assert codes(result) == [(None, "PERMISSION_DENIED")]
    assert ShippingZone.objects.count() == before
    assert payload(api(ZONE, variables, user=operator))["errors"] == []
    shipping_manager = make_user("zones@example.com", is_staff=True)
    assert payload(api(ZONE, variables, user=shipping_manager))["errors"] == [
        {"field": None, "code": "PERMISSION_DENIED"}
    ]
