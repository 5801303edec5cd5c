"""The listing rows' copies under concurrent writes, each thread on its own connection and
each transaction held open a moment so that they overlap (these tests commit)."""

from __future__ import annotations

import importlib
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, transaction
from django.db.models import F

from marketplace.catalog import services
from marketplace.catalog.models import Category, Product
from marketplace.channels.models import Channel
from marketplace.core.errors import DomainError
from marketplace.inventory.models import Stock
from marketplace.sellers.models import Seller, SellerStatus
from tests.builders.catalog import make_product
from tests.catalog.test_listing_rows import assert_consistent, listing
from tests.support import codes

pytestmark = pytest.mark.django_db(transaction=True)

CHANNELS = importlib.import_module("marketplace.channels.migrations.0002_seed_channels").CHANNELS

HOLD = 0.3


def overlap(*works: Callable[[], object]) -> None:
    """Run each `work` in its own transaction, started together and kept open HOLD s."""
    barrier = threading.Barrier(len(works))

    def run(work: Callable[[], object]) -> None:
        try:
            with transaction.atomic():
                barrier.wait(timeout=30)
                work()
                time.sleep(HOLD)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(works)) as pool:
        for future in [pool.submit(run, work) for work in works]:
            future.result()


@pytest.fixture
def honey(db) -> Category:
    # Transactional tests flush the database, the channels seeded by migration included.
    for data in CHANNELS:
        Channel.objects.get_or_create(slug=data["slug"], defaults=data)
    return Category.objects.create(name="عسل", name_en="Honey", slug="t-honey")


def _sell_out(stock_id: int) -> Callable[[], object]:
    return lambda: Stock.objects.filter(pk=stock_id).update(quantity_allocated=F("quantity"))


def test_two_variants_selling_out_together(seller_a, honey):
    product = make_product(seller_a, "عسل کنار", honey, variants=2, stock=1)
    first, second = Stock.objects.filter(variant__product=product).order_by("pk")
    assert listing(product).free_stocks == 2
    overlap(_sell_out(first.pk), _sell_out(second.pk))
    assert listing(product).free_stocks == 0
    assert_consistent()


def test_publishing_while_the_seller_is_suspended(seller_a, honey):
    draft = make_product(seller_a, "عسل گون", honey, published=False)

    def publish() -> None:
        # Refused when the suspension is seen first; either way nothing may show.
        try:
            services.update_product(
                actor=seller_a.owner, product=Product.objects.get(pk=draft.pk), is_published=True
            )
        except DomainError as exc:
            assert codes(exc) == [("is_published", "INVALID_STATUS")]

    def suspend() -> None:
        Seller.objects.filter(pk=seller_a.pk).update(status=SellerStatus.SUSPENDED)

    overlap(publish, suspend)
    assert listing(draft).is_visible is False
    assert_consistent()


def test_a_new_channel_price_while_stock_sells_out(seller_a, honey):
    product = make_product(seller_a, "عسل آویشن", honey, stock=1)
    variant = product.variants.get()
    stock = Stock.objects.get(variant=variant)

    def price_abroad() -> None:
        services.set_variant_prices(
            actor=seller_a.owner,
            variant=variant,
            prices=[services.PriceInput("intl", "12")],
        )

    overlap(price_abroad, _sell_out(stock.pk))
    assert listing(product, "intl").free_stocks == 0
    assert listing(product).free_stocks == 0
    assert_consistent()
