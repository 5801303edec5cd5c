"""Fixtures of the fulfilment tests (domain and API): placed orders of two cooperatives."""

from __future__ import annotations

import pytest

from marketplace.logistics import carriers
from marketplace.orders import services as order_services
from tests.builders.catalog import make_variant
from tests.builders.checkout import make_checkout
from tests.builders.seed import ensure_seeded


@pytest.fixture(autouse=True)
def fresh_carriers():
    carriers.reset()
    yield
    carriers.reset()


@pytest.fixture
def seeded(db) -> None:
    ensure_seeded()


def place(buyer, lines, *, gateway: str = "cod"):
    checkout = make_checkout(lines, user=buyer)
    order, _payment = order_services.complete_checkout(
        actor=buyer, checkout=checkout, gateway=gateway
    )
    return order


@pytest.fixture
def two_coop_order(seeded, buyer, seller_a, seller_b):
    """A cash-on-delivery order: 3 units from coop A's member, 1 from coop B's."""
    saffron = make_variant(seller_a, quantity=10, price=250_000)
    raisins = make_variant(seller_b, quantity=10, price=90_000)
    order = place(buyer, [(saffron, 3), (raisins, 1)])
    shipments = {s.cooperative_id: s for s in order.shipments.all()}
    return order, shipments[seller_a.cooperative_id], shipments[seller_b.cooperative_id], saffron


@pytest.fixture
def post_server():
    from tests.logistics.carrier_server import CarrierServer

    with CarrierServer("post") as server:
        yield server


@pytest.fixture
def courier_server():
    from tests.logistics.carrier_server import CarrierServer

    with CarrierServer("courier") as server:
        yield server


@pytest.fixture
def carrier_servers(post_server, courier_server, settings):
    """Both carriers configured against their local servers; the post sends webhooks,
    the courier is polled."""
    settings.LOGISTICS_CARRIERS = {
        "post": post_server.carrier_settings(poll=False),
        "courier": courier_server.carrier_settings(poll=True),
    }
    carriers.reset()
    yield post_server, courier_server
    carriers.reset()
