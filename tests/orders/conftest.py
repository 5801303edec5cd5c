"""Fixtures of the order tests; the builders are in factories.py."""

from __future__ import annotations

import pytest

from marketplace.channels.models import Channel
from marketplace.shipping.models import DeliveryMethod
from tests.commerce import EXPRESS_POST, ensure_seeded


@pytest.fixture
def seeded(db) -> None:
    ensure_seeded()


@pytest.fixture
def ir(seeded) -> Channel:
    return Channel.objects.get(slug="ir")


@pytest.fixture
def intl(seeded) -> Channel:
    return Channel.objects.get(slug="intl")


@pytest.fixture
def express_post(seeded) -> DeliveryMethod:
    return DeliveryMethod.objects.get(name=EXPRESS_POST, cooperative=None, seller=None)
