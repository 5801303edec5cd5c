"""The platform's delivery, seeded by migration: every fulfiller ships from day one."""

from __future__ import annotations

import importlib
from decimal import Decimal

import pytest
from django.apps import apps

from marketplace.locations.models import Province
from marketplace.sellers.models import Cooperative
from marketplace.shipping import selectors
from marketplace.shipping.models import DeliveryMethod, DeliveryRate, ShippingZone
from tests.builders.accounts import foreign_address, ir_address
from tests.builders.sellers import make_seller

pytestmark = pytest.mark.django_db


def test_iran_zone_holds_all_31_provinces(seeded):
    zone = ShippingZone.objects.get(name="ایران")
    assert zone.countries == ["IR"]
    assert zone.provinces.count() == 31 == Province.objects.filter(country="IR").count()


def test_world_zone_is_every_other_country(seeded):
    zone = ShippingZone.objects.get(name="International")
    assert "IR" not in zone.countries
    assert {"DE", "AE", "US", "AF", "IQ", "TR"} <= set(zone.countries)
    assert len(zone.countries) > 200


def test_platform_methods_and_their_rates(ir, intl):
    express = DeliveryMethod.objects.get(name="پست پیشتاز")
    registered = DeliveryMethod.objects.get(name="پست سفارشی")
    world = DeliveryMethod.objects.get(name="پست بین‌المللی")
    for method in (express, registered, world):
        assert method.kind == "POST" and method.is_active
        assert method.cooperative_id is None and method.seller_id is None
    assert (express.min_days, express.max_days) == (2, 5)
    assert (registered.min_days, registered.max_days) == (4, 8)
    brackets = [
        (r.max_weight, r.price, r.free_above)
        for r in DeliveryRate.objects.filter(method=express, channel=ir)
    ]
    assert brackets == [
        (Decimal("1.000"), Decimal("750000"), Decimal("50000000")),
        (Decimal("3.000"), Decimal("1100000"), Decimal("50000000")),
        (Decimal("10.000"), Decimal("2000000"), Decimal("50000000")),
        (None, Decimal("3500000"), Decimal("50000000")),
    ]
    # The registered post is the cheaper, slower one.
    for weight in ("0.5", "2", "7", "40"):
        w = Decimal(weight)
        assert selectors.delivery_price(
            method=registered, channel=ir, weight=w, subtotal=Decimal(0)
        ) < selectors.delivery_price(method=express, channel=ir, weight=w, subtotal=Decimal(0))
    assert DeliveryRate.objects.filter(method=world, channel=intl).exists()
    assert not DeliveryRate.objects.filter(method=world, channel=ir).exists()


def test_a_cooperative_created_today_ships_at_once(ir, intl, tehran):
    cooperative = Cooperative.objects.create(name="تعاونی تازه", slug="new-coop")
    found = selectors.available_methods(
        channel=ir, address=ir_address(tehran), cooperative=cooperative
    )
    assert {m.name for m in found} == {"پست پیشتاز", "پست سفارشی"}
    abroad = selectors.available_methods(
        channel=intl, address=foreign_address("CA"), cooperative=cooperative
    )
    assert [m.name for m in abroad] == ["پست بین‌المللی"]


def test_an_independent_seller_created_today_ships_at_once(ir, razavi):
    seller = make_seller("fresh@example.com", "تازه", None)
    found = selectors.available_methods(channel=ir, address=ir_address(razavi), seller=seller)
    assert {m.name for m in found} == {"پست پیشتاز", "پست سفارشی"}


def test_the_seed_runs_again_without_duplicates(seeded):
    module = importlib.import_module("marketplace.shipping.migrations.0002_seed_platform_delivery")
    before = (
        ShippingZone.objects.count(),
        DeliveryMethod.objects.count(),
        DeliveryRate.objects.count(),
    )
    module.seed_platform_delivery(apps, None)
    after = (
        ShippingZone.objects.count(),
        DeliveryMethod.objects.count(),
        DeliveryRate.objects.count(),
    )
    assert before == after
