"""Fixtures of the ledger tests: orders placed through the real checkout services."""

from __future__ import annotations

from decimal import Decimal

import pytest

from marketplace.channels.models import Channel
from marketplace.orders import services as order_services
from marketplace.orders.models import Order
from tests.builders.catalog import make_variant
from tests.builders.checkout import make_checkout
from tests.builders.seed import ensure_seeded
from tests.builders.sellers import make_seller
from tests.orders.gateways import online_gateway


@pytest.fixture(autouse=True)
def _guests_unbounded(settings):
    # The orders here are guests' with one phone, paying on delivery: the bound on such
    # orders (orders.guests) is not what the ledger tests look at.
    settings.GUEST_UNPAID_ORDERS_PER_PHONE = 1000


@pytest.fixture
def ir(db) -> Channel:
    ensure_seeded()
    return Channel.objects.get(slug="ir")


@pytest.fixture
def independent(ir):
    return make_seller("solo@example.com", "عسل کوهستان", None)


@pytest.fixture
def online(ir):
    with online_gateway() as gateway:
        yield gateway


def place(lines, *, buyer=None, gateway: str = "cod", voucher=None) -> Order:
    """An order for `lines` [(variant, quantity)], placed by complete_checkout."""
    checkout = make_checkout(lines, user=buyer, voucher=voucher)
    order, _payment = order_services.complete_checkout(
        actor=buyer, checkout=checkout, gateway=gateway
    )
    return order


@pytest.fixture
def three_sellers(ir, seller_a, seller_b, independent, coop_a, coop_b):
    """Two cooperatives' members and an independent seller; fee 5% (coop_a) and 10%."""
    coop_b.fee_rate = Decimal("0.10")
    coop_b.save(update_fields=["fee_rate"])
    return seller_a, seller_b, independent


@pytest.fixture
def variants(three_sellers):
    seller_a, seller_b, independent = three_sellers
    return [
        make_variant(seller_a, quantity=50, price=2_500_001),
        make_variant(seller_b, quantity=50, price=3_000_000),
        make_variant(independent, quantity=50, price=4_000_003),
    ]


@pytest.fixture
def stripe_server(settings):
    from tests.ledger import stripe_server as server_module

    server, state = server_module.start()
    settings.PAYOUT_STRIPE_API_BASE = f"http://127.0.0.1:{server.server_address[1]}"
    settings.PAYOUT_STRIPE_SECRET_KEY = "sk_test_local"
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
