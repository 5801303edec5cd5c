from __future__ import annotations

import pytest

from marketplace.shipping.models import ShippingZone


@pytest.fixture
def zone_razavi(razavi) -> ShippingZone:
    zone = ShippingZone.objects.create(name="Razavi Khorasan only")
    zone.provinces.set([razavi])
    return zone
