from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from marketplace.channels.models import Channel
from marketplace.inventory.models import Warehouse
from marketplace.locations.models import Province
from marketplace.shipping.models import ShippingZone


def _seed(module: str, function: str) -> None:
    getattr(importlib.import_module(module), function)(apps, None)


@pytest.fixture
def seeded(db) -> None:
    """The migrations' seed rows (channels, provinces, platform delivery). A test run that
    flushed the database before (transactional tests) gets them back."""
    if not Channel.objects.filter(slug="ir").exists():
        _seed("marketplace.channels.migrations.0002_seed_channels", "seed")
    if Province.objects.filter(country="IR").count() < 31:
        _seed("marketplace.locations.migrations.0002_seed_locations", "seed_locations")
    if not ShippingZone.objects.filter(name="ایران").exists():
        _seed(
            "marketplace.shipping.migrations.0002_seed_platform_delivery",
            "seed_platform_delivery",
        )


@pytest.fixture
def ir(seeded) -> Channel:
    return Channel.objects.get(slug="ir")


@pytest.fixture
def intl(seeded) -> Channel:
    return Channel.objects.get(slug="intl")


@pytest.fixture
def razavi(seeded) -> Province:
    return Province.objects.get(code="IR-09")


@pytest.fixture
def tehran(seeded) -> Province:
    return Province.objects.get(code="IR-23")


@pytest.fixture
def zone_razavi(razavi) -> ShippingZone:
    zone = ShippingZone.objects.create(name="Razavi Khorasan only")
    zone.provinces.set([razavi])
    return zone


@pytest.fixture
def warehouse_a(coop_a) -> Warehouse:
    return Warehouse.objects.create(name="انبار تربت", cooperative=coop_a)


@pytest.fixture
def warehouse_b(coop_b) -> Warehouse:
    return Warehouse.objects.create(name="انبار کاشمر", cooperative=coop_b)
