from decimal import Decimal

import pytest

from marketplace.catalog import services
from marketplace.catalog.models import (
    Category,
    Product,
    ProductChannelListing,
    VariantChannelListing,
)
from marketplace.core.errors import DomainError
from marketplace.inventory.models import Stock, Warehouse
from tests.builders.sellers import make_seller
from tests.support import codes

pytestmark = pytest.mark.django_db


@pytest.fixture
def category(db):
    return Category.objects.create(name="زعفران", name_en="Saffron", slug="saffron-test")


def test_create_product_with_variant_prices_and_stock(seller_a, coop_a, category):
    warehouse = Warehouse.objects.create(name="انبار تعاونی", cooperative=coop_a)
    product = services.create_product(
        actor=seller_a.owner,
        seller=seller_a,
        name="زعفران سرگل",
        category=category,
        is_published=True,
    )
    assert product.slug == "زعفران-سرگل"
    variant = services.create_variant(
        actor=seller_a.owner,
        product=product,
        sku="SAF-1",
        name="۱ مثقال",
        weight=0.0046,
        prices=[services.PriceInput("ir", 2_500_000.4), services.PriceInput("intl", "12.345")],
        stocks=[services.StockInput(warehouse, 10)],
    )
    prices = {
        row.channel.slug: row.price for row in VariantChannelListing.objects.filter(variant=variant)
    }
    assert prices == {"ir": Decimal("2500000"), "intl": Decimal("12.35")}
    assert Stock.objects.get(variant=variant).quantity == 10
    services.create_variant(
        actor=seller_a.owner, product=product, prices=[services.PriceInput("ir", 9_000_000)]
    )
    listing = ProductChannelListing.objects.get(product=product, channel__slug="ir")
    assert (listing.price_min, listing.price_max) == (Decimal("2500000"), Decimal("9000000"))
    product.refresh_from_db()
    assert "زعفران سرگل" in product.search_text


def test_other_seller_and_other_coop_cannot_touch(seller_a, seller_b, staff_b, category):
    for actor in (seller_b.owner, staff_b):
        with pytest.raises(DomainError) as exc:
            services.create_product(actor=actor, seller=seller_a, name="x", category=category)
        assert codes(exc) == [("seller", "PERMISSION_DENIED")]
    assert not Product.objects.exists()


def test_stock_only_in_warehouses_holding_the_sellers_goods(seller_a, coop_a, coop_b, category):
    independent = make_seller("ind@example.com", "مستقل", None)
    own = Warehouse.objects.create(name="انبار خودم", seller=seller_a)
    coop_wh = Warehouse.objects.create(name="انبار الف", cooperative=coop_a)
    other_coop = Warehouse.objects.create(name="انبار ب", cooperative=coop_b)
    other_seller = Warehouse.objects.create(name="انبار دیگری", seller=independent)
    product = services.create_product(
        actor=seller_a.owner, seller=seller_a, name="x", category=category
    )
    variant = services.create_variant(
        actor=seller_a.owner, product=product, prices=[services.PriceInput("ir", 1000)]
    )
    services.update_variant_stocks(
        actor=seller_a.owner,
        variant=variant,
        stocks=[services.StockInput(own, 3), services.StockInput(coop_wh, 4)],
    )
    for warehouse in (other_coop, other_seller):
        with pytest.raises(DomainError) as exc:
            services.update_variant_stocks(
                actor=seller_a.owner, variant=variant, stocks=[services.StockInput(warehouse, 1)]
            )
        assert codes(exc) == [("stocks.0.warehouse", "PERMISSION_DENIED")]
    assert sorted(Stock.objects.values_list("quantity", flat=True)) == [3, 4]


@pytest.mark.parametrize(
    ("prices", "field"),
    [
        ([services.PriceInput("ir", -5)], "channel_listings.0.price"),
        ([services.PriceInput("ir", 0)], "channel_listings.0.price"),
        ([services.PriceInput("ir", 1e30)], "channel_listings.0.price"),
        ([services.PriceInput("ir", float("nan"))], "channel_listings.0.price"),
        ([services.PriceInput("mars", 100)], "channel_listings.0.channel"),
        ([], "channel_listings"),
    ],
)
def test_bad_prices_store_nothing(seller_a, category, prices, field):
    product = services.create_product(
        actor=seller_a.owner, seller=seller_a, name="x", category=category
    )
    with pytest.raises(DomainError) as exc:
        services.create_variant(actor=seller_a.owner, product=product, prices=prices)
    assert field in [f for f, _ in codes(exc)]
    assert not product.variants.exists()


def test_negative_or_absurd_stock(seller_a, coop_a, category):
    warehouse = Warehouse.objects.create(name="w", cooperative=coop_a)
    product = services.create_product(
        actor=seller_a.owner, seller=seller_a, name="x", category=category
    )
    for quantity in (-1, 10_000_001):
        with pytest.raises(DomainError) as exc:
            services.create_variant(
                actor=seller_a.owner,
                product=product,
                prices=[services.PriceInput("ir", 1000)],
                stocks=[services.StockInput(warehouse, quantity)],
            )
        assert codes(exc) == [("stocks.0.quantity", "INVALID")]


def test_delete_removes_an_unreferenced_product(seller_a, staff_a, category):
    product = services.create_product(
        actor=seller_a.owner, seller=seller_a, name="x", category=category
    )
    assert services.delete_product(actor=staff_a, product=product) is True
    assert not Product.objects.exists()
