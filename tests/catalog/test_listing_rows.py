"""The listing rows' copies (category, visibility, stock rows with unallocated units) stay
equal to what they copy after every kind of write, whoever makes it; availability also
follows reservations, which lapse by time with no write at all."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import F
from django.utils import timezone

from marketplace.catalog import selectors, services
from marketplace.catalog.models import Category, Product, ProductChannelListing
from marketplace.channels.models import Channel
from marketplace.checkout.models import Checkout, CheckoutLine
from marketplace.inventory import stock as inventory_stock
from marketplace.inventory.models import Reservation, Stock, Warehouse
from marketplace.sellers.models import SellerStatus
from tests.builders.catalog import make_product
from tests.builders.inventory import warehouse_of

pytestmark = pytest.mark.django_db

RECOMPUTED = """
SELECT l.id, p.category_id,
       p.is_published AND NOT p.is_hidden AND s.status = 'APPROVED',
       (SELECT count(*) FROM inventory_stock st
          JOIN catalog_productvariant v ON v.id = st.variant_id
         WHERE v.product_id = p.id AND st.quantity > st.quantity_allocated)
  FROM catalog_productchannellisting l
  JOIN catalog_product p ON p.id = l.product_id
  JOIN sellers_seller s ON s.id = p.seller_id
 ORDER BY l.id
"""


def assert_consistent() -> None:
    with connection.cursor() as cursor:
        cursor.execute(RECOMPUTED)
        expected = [tuple(row) for row in cursor.fetchall()]
    stored = list(
        ProductChannelListing.objects.order_by("pk").values_list(
            "pk", "category_id", "is_visible", "free_stocks"
        )
    )
    assert stored == expected


def listing(product: Product, channel: str = "ir") -> ProductChannelListing:
    return ProductChannelListing.objects.get(product=product, channel__slug=channel)


@pytest.fixture
def honey(db) -> Category:
    return Category.objects.create(name="عسل", name_en="Honey", slug="t-honey")


@pytest.fixture
def dairy(db) -> Category:
    return Category.objects.create(name="لبنیات", name_en="Dairy", slug="t-dairy")


@pytest.fixture
def product(seller_a, honey) -> Product:
    return make_product(seller_a, "عسل کنار", honey, price=900_000, stock=3)


def public_names(**filters) -> list[str]:
    channel = Channel.objects.get(slug="ir")
    rows = selectors.product_listing(None, channel, **filters)
    return [row.name for row in rows[0:100]]


def test_a_new_listing_row_copies_its_product(product, honey):
    row = listing(product)
    assert (row.category_id, row.is_visible, row.free_stocks) == (honey.pk, True, 1)
    assert_consistent()


def test_publishing_hiding_and_moving_a_product(seller_a, product, dairy):
    services.update_product(actor=seller_a.owner, product=product, is_published=False)
    assert listing(product).is_visible is False
    services.update_product(actor=seller_a.owner, product=product, is_published=True)
    assert listing(product).is_visible is True
    services.update_product(actor=seller_a.owner, product=product, category=dairy)
    assert listing(product).category_id == dairy.pk
    Product.objects.filter(pk=product.pk).update(is_hidden=True)
    assert listing(product).is_visible is False
    assert_consistent()


def test_seller_status_reaches_all_their_products(seller_a, product, honey):
    other = make_product(seller_a, "عسل گون", honey, intl=12)
    seller_a.status = SellerStatus.SUSPENDED
    seller_a.save()
    assert not ProductChannelListing.objects.filter(is_visible=True).exists()
    assert public_names() == []
    type(seller_a).objects.filter(pk=seller_a.pk).update(status=SellerStatus.APPROVED)
    assert ProductChannelListing.objects.filter(product=other).count() == 2
    assert set(ProductChannelListing.objects.values_list("is_visible", flat=True)) == {True}
    assert_consistent()


def test_stock_edits_count_rows_with_units(seller_a, product):
    variant = product.variants.get()
    own = warehouse_of(seller_a)
    services.update_variant_stocks(
        actor=seller_a.owner, variant=variant, stocks=[services.StockInput(own, 0)]
    )
    assert listing(product).free_stocks == 0
    assert public_names(is_available=True) == []
    assert public_names(is_available=False) == ["عسل کنار"]
    second = Warehouse.objects.create(name="انبار دوم", seller=seller_a)
    services.update_variant_stocks(
        actor=seller_a.owner,
        variant=variant,
        stocks=[services.StockInput(own, 4), services.StockInput(second, 2)],
    )
    assert listing(product).free_stocks == 2
    assert public_names(is_available=True) == ["عسل کنار"]
    Stock.objects.filter(warehouse=second).delete()
    assert listing(product).free_stocks == 1
    assert_consistent()


def test_allocations_sell_out_and_give_back(product):
    stock = Stock.objects.get(variant__product=product)
    Stock.objects.filter(pk=stock.pk).update(quantity_allocated=F("quantity") - 1)
    assert listing(product).free_stocks == 1  # one unit left: no change
    Stock.objects.filter(pk=stock.pk).update(quantity_allocated=F("quantity"))
    assert listing(product).free_stocks == 0
    assert public_names(is_available=True) == []
    Stock.objects.filter(pk=stock.pk).update(quantity_allocated=0)
    assert listing(product).free_stocks == 1
    assert_consistent()


def test_prices_keep_the_row_and_a_new_channel_counts_stock(seller_a, product):
    variant = product.variants.get()
    before = listing(product).pk
    services.set_variant_prices(
        actor=seller_a.owner,
        variant=variant,
        prices=[services.PriceInput("ir", "700000"), services.PriceInput("intl", "9.5")],
    )
    row = listing(product)
    assert (row.pk, row.price_min, row.free_stocks) == (before, Decimal("700000"), 1)
    intl = listing(product, "intl")
    assert (intl.is_visible, intl.free_stocks, intl.price_min) == (True, 1, Decimal("9.5"))
    assert_consistent()


def test_a_product_without_stock_rows_is_not_available(seller_a, honey):
    bare = make_product(seller_a, "عسل بی‌انبار", honey, stock=0)
    Stock.objects.filter(variant__product=bare).delete()
    assert listing(bare).free_stocks == 0
    assert public_names(is_available=True) == []
    assert_consistent()


def _reserve(product: Product, quantity: int, minutes: int) -> Reservation:
    variant = product.variants.get()
    checkout = Checkout.objects.create(channel=Channel.objects.get(slug="ir"))
    line = CheckoutLine.objects.create(checkout=checkout, variant=variant, quantity=quantity)
    until = timezone.now() + timedelta(minutes=minutes)
    inventory_stock.reserve(line=line, quantity=quantity, field="quantity", until=until)
    return Reservation.objects.get(checkout_line=line)


def test_reservations_count_while_live_and_stop_when_they_lapse(product, honey, monkeypatch):
    other = make_product(product.seller, "عسل آویشن", honey, price=950_000, stock=3)
    _reserve(product, 3, minutes=15)
    assert listing(product).free_stocks == 1  # reservations are not in the copy
    assert public_names(is_available=True, sort_field="PRICE", descending=False) == ["عسل آویشن"]
    assert public_names(is_available=False) == ["عسل کنار"]
    channel = Channel.objects.get(slug="ir")
    assert selectors.available_product_ids([product.pk, other.pk], channel) == {other.pk}
    # Sixteen minutes later, with nothing written in between, the hold has lapsed.
    later = timezone.now() + timedelta(minutes=16)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert public_names(is_available=True, sort_field="PRICE", descending=False) == [
        "عسل کنار",
        "عسل آویشن",
    ]
    assert public_names(is_available=False) == []
    assert selectors.available_product_ids([product.pk, other.pk], channel) == {
        product.pk,
        other.pk,
    }


def test_a_partly_reserved_product_stays_available(product):
    _reserve(product, 2, minutes=15)
    assert public_names(is_available=True) == ["عسل کنار"]
    assert public_names(is_available=False) == []


def test_deleting_a_product_removes_its_rows(seller_a, product):
    services.delete_product(actor=seller_a.owner, product=product)
    assert not ProductChannelListing.objects.exists()
    assert_consistent()
