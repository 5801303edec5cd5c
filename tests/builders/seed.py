"""The rows the migrations seed: channels, provinces and the platform's delivery."""

from __future__ import annotations

import importlib

from django.apps import apps

from marketplace.channels.models import Channel
from marketplace.locations.models import Province
from marketplace.shipping.models import ShippingZone


def _seed(module: str, function: str) -> None:
    getattr(importlib.import_module(module), function)(apps, None)


def ensure_seeded() -> None:
    """The migrations' seed rows (channels, provinces, platform delivery); transactional
    tests flush the database, so they are put back when missing."""
    if not Channel.objects.filter(slug="ir").exists():
        _seed("marketplace.channels.migrations.0002_seed_channels", "seed")
    if Province.objects.filter(country="IR").count() < 31:
        _seed("marketplace.locations.migrations.0002_seed_locations", "seed_locations")
    if not ShippingZone.objects.filter(name="ایران").exists():
        _seed(
            "marketplace.shipping.migrations.0002_seed_platform_delivery",
            "seed_platform_delivery",
        )
