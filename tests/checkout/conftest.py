"""Fixtures of the checkout tests; builders and documents are in factories.py."""

from __future__ import annotations

import pytest

from marketplace.channels.models import Channel
from marketplace.checkout.models import Checkout
from marketplace.sellers.models import Seller
from marketplace.shipping.models import DeliveryMethod
from tests.checkout import factories
from tests.conftest import make_seller


@pytest.fixture
def ir(db) -> Channel:
    return Channel.objects.get(slug="ir")


@pytest.fixture
def intl(db) -> Channel:
    return Channel.objects.get(slug="intl")


@pytest.fixture
def express_post(db) -> DeliveryMethod:
    return DeliveryMethod.objects.get(name=factories.EXPRESS_POST, cooperative=None, seller=None)


@pytest.fixture
def independent(db) -> Seller:
    return make_seller("solo@example.com", "عسل کوهستان", None)


@pytest.fixture
def create(api):
    """checkoutCreate as `user` (anonymous by default); the payload."""

    def run(lines, *, user=None, email="guest@example.com", channel=None, lang="en") -> dict:
        data = {"lines": lines}
        if email is not None:
            data["email"] = email
        if channel is not None:
            data["channel"] = channel
        return api(factories.CREATE, {"input": data}, user=user, lang=lang)["data"][
            "checkoutCreate"
        ]

    return run


@pytest.fixture
def call(api):
    """Run a checkout mutation document on a checkout; the payload."""

    def run(document: str, checkout: Checkout | str, *, user=None, lang="en", **variables):
        token = checkout if isinstance(checkout, str) else factories.gid("Checkout", checkout.pk)
        answer = api(document, {"id": token, **variables}, user=user, lang=lang)
        assert "errors" not in answer, answer
        return next(iter(answer["data"].values()))

    return run
