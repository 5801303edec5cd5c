"""The public listing's hand-written SQL (catalog.public_listing) answers what the ORM
path (selectors.catalogue and its filters) answers, for every order and filter."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from marketplace.catalog import availability, selectors, services
from marketplace.catalog.models import Category, Product
from marketplace.channels.models import Channel
from marketplace.checkout.models import Checkout, CheckoutLine
from marketplace.inventory import stock as inventory_stock
from marketplace.inventory.models import Stock
from marketplace.sellers.models import SellerStatus
from tests.builders.catalog import make_product
from tests.builders.sellers import make_seller

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop(seller_a, seller_b, coop_a):
    food = Category.objects.create(name="خوراکی", name_en="Food", slug="t-food")
    honey = Category.objects.create(name="عسل", name_en="Honey", slug="t-honey", parent=food)
    rugs = Category.objects.create(name="فرش", name_en="Rugs", slug="t-rugs")
    pending = make_seller("p@example.com", "در انتظار", coop_a, status=SellerStatus.PENDING)
    names = ["عسل کنار", "عسل گون", "گلیم", "فرش", "عسل آویشن", "زیلو", "عسل بهار"]
    products = []
    for index, name in enumerate(names):
        seller = [seller_a, seller_b][index % 2]
        category = [honey, rugs, food][index % 3]
        price = 1_000_000 + (index % 3) * 250_000  # equal prices: the id decides
        products.append(
            make_product(
                seller, name, category, price=price, stock=index % 3, name_en=f"N{index % 4}"
            )
        )
    services.update_product(actor=seller_a.owner, product=products[0], is_published=False)
    make_product(pending, "پنیر", honey)
    make_product(seller_a, "بی‌قیمت", honey, price=None)
    Product.objects.filter(pk=products[1].pk).update(rating=Decimal("4.5"))
    # All of one product's units held by a live checkout, part of another's.
    for product, quantity in ((products[4], 1), (products[5], 1)):
        variant = product.variants.get()
        Stock.objects.filter(variant=variant).update(quantity=2 if product == products[5] else 1)
        checkout = Checkout.objects.create(channel=Channel.objects.get(slug="ir"))
        line = CheckoutLine.objects.create(checkout=checkout, variant=variant, quantity=quantity)
        until = timezone.now() + timedelta(minutes=10)
        inventory_stock.reserve(line=line, quantity=quantity, field="q", until=until)
    return {"food": food, "honey": honey, "rugs": rugs}


def orm_names(channel, *, categories=None, gte=None, available=None, field, descending, english):
    queryset = selectors.catalogue(None, channel)
    if categories is not None:
        queryset = queryset.filter(listing_category_id__in=categories)
    if gte is not None:
        queryset = queryset.filter(listing_price_min__gte=gte)
    if available is not None:
        queryset = queryset.filter(
            availability.available() if available else availability.unavailable()
        )
    queryset = selectors.sort_products(
        queryset, field, descending=descending, english=english, priced=True
    )
    return [row.name for row in selectors.ProductRows(queryset, channel)[0:50]]


@pytest.mark.parametrize("field", ["CREATED", "PRICE", "NAME", "RATING"])
@pytest.mark.parametrize("descending", [False, True])
@pytest.mark.parametrize(
    "filters",
    [{}, {"available": True}, {"available": False}, {"gte": 1_250_000}, {"category": "food"}],
)
def test_same_answer_as_the_orm(shop, field, descending, filters):
    channel = Channel.objects.get(slug="ir")
    categories = None
    if "category" in filters:
        categories = selectors.category_with_descendants([shop[filters["category"]].pk])
    expected = orm_names(
        channel,
        categories=categories,
        gte=filters.get("gte"),
        available=filters.get("available"),
        field=field,
        descending=descending,
        english=field == "NAME",
    )
    rows = selectors.product_listing(
        None,
        channel,
        category_ids=[shop[filters["category"]].pk] if "category" in filters else None,
        price_gte=filters.get("gte"),
        is_available=filters.get("available"),
        sort_field=field,
        descending=descending,
        english=field == "NAME",
    )
    assert [row.name for row in rows[0:50]] == expected
    assert rows.count() == len(expected)
    assert [row.name for row in rows[1:3]] == expected[1:3]
    assert expected  # every case lists something


def test_availability_cases(shop):
    channel = Channel.objects.get(slug="ir")
    available = {r.name for r in selectors.product_listing(None, channel, is_available=True)[0:50]}
    sold_out = {r.name for r in selectors.product_listing(None, channel, is_available=False)[0:50]}
    # No stock ("فرش", "عسل بهار"), all units reserved ("عسل آویشن"); "زیلو" keeps one.
    assert sold_out == {"فرش", "عسل بهار", "عسل آویشن"}
    assert available == {"عسل گون", "گلیم", "زیلو"}
