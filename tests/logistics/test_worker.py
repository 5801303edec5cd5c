"""A real Celery worker on the real broker polls the courier and completes orders."""

from __future__ import annotations

import pytest

from marketplace.logistics import services, tasks
from marketplace.logistics.models import Parcel
from marketplace.orders import services as order_services
from marketplace.orders.models import Order, OrderStatus, Shipment, ShipmentStatus
from marketplace.shipping.models import DeliveryKind, DeliveryMethod
from tests.builders.catalog import make_variant
from tests.builders.checkout import make_checkout
from tests.builders.seed import ensure_seeded
from tests.conftest import wait_for
from tests.logistics.carrier_server import API_KEY, SECRET, CarrierServer

pytestmark = pytest.mark.worker


@pytest.fixture
def courier_for_worker(monkeypatch, settings):
    """The courier's local server, configured for this process and (through the
    environment) for the worker started after it; completion waits no days."""
    with CarrierServer("courier") as server:
        for name, value in {
            "COURIER_API_URL": server.url,
            "COURIER_API_KEY": API_KEY,
            "COURIER_WEBHOOK_SECRET": SECRET,
            "COURIER_POLL": "1",
            "ORDER_AUTO_COMPLETE_DAYS": "0",
        }.items():
            monkeypatch.setenv(name, value)
        settings.LOGISTICS_CARRIERS = {"courier": server.carrier_settings(poll=True)}
        yield server


def test_the_worker_polls_and_completes(
    courier_for_worker, celery_worker_process, buyer, seller_a, staff_a
):
    courier = courier_for_worker
    ensure_seeded()
    variant = make_variant(seller_a, quantity=5)
    order, _payment = order_services.complete_checkout(
        actor=buyer, checkout=make_checkout([(variant, 2)], user=buyer), gateway="cod"
    )
    shipment = order.shipments.get()
    shipment.delivery_method = DeliveryMethod.objects.create(
        name="پیک", name_en="Courier", kind=DeliveryKind.COURIER
    )
    shipment.save()
    services.pack_shipment(actor=staff_a, shipment=shipment)
    services.ship_shipment(actor=staff_a, shipment=shipment)
    shipment.refresh_from_db()
    due = int(Parcel.objects.get(shipment=shipment).cash_to_collect)
    courier.scan(shipment.tracking_number, "DELIVERED", cash=due)

    tasks.poll_tracking.delay()
    assert wait_for(
        lambda: Shipment.objects.get(pk=shipment.pk).status == ShipmentStatus.DELIVERED, 120
    )
    assert Order.objects.get(pk=order.pk).status == OrderStatus.FULFILLED
    assert Parcel.objects.get(shipment=shipment).cash_collected == due

    tasks.auto_complete_orders.delay()
    assert wait_for(lambda: Order.objects.get(pk=order.pk).status == OrderStatus.COMPLETED, 120)
