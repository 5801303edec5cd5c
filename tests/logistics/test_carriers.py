"""Booking with the carriers' APIs (local servers), signed tracking webhooks, polling."""

from __future__ import annotations

import hashlib
import hmac
from decimal import Decimal

import pytest

from marketplace.core.errors import DomainError
from marketplace.logistics import services, tracking
from marketplace.logistics.carriers import get_carrier
from marketplace.logistics.models import Parcel, ShipmentEvent
from marketplace.orders.models import OrderStatus, ShipmentStatus
from marketplace.shipping.models import DeliveryKind, DeliveryMethod
from tests.logistics.carrier_server import SECRET


def packed(staff, shipment):
    services.pack_shipment(actor=staff, shipment=shipment)
    shipment.refresh_from_db()
    return shipment


def webhook(client, server, events, *, secret=SECRET, header=None):
    body = server.state.webhook_body(events)
    name = header or (
        "HTTP_X_POST_SIGNATURE" if server.state.kind == "post" else "HTTP_X_COURIER_SIGNATURE"
    )
    headers = {name: hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()} if secret else {}
    return client.post(
        f"/logistics/{server.state.kind}/webhook/",
        data=body,
        content_type="application/json",
        **headers,
    )


def use_courier(shipment):
    method = DeliveryMethod.objects.create(name="پیک", name_en="Courier", kind=DeliveryKind.COURIER)
    shipment.delivery_method = method
    shipment.save()


def test_booking_the_post_keeps_the_number_and_label(two_coop_order, staff_a, carrier_servers):
    post, _courier = carrier_servers
    _order, first, _second, _v = two_coop_order
    services.ship_shipment(actor=staff_a, shipment=packed(staff_a, first))
    first.refresh_from_db()
    assert first.status == ShipmentStatus.SHIPPED and first.carrier == "post"
    assert len(first.tracking_number) == 24 and first.tracking_number.isdigit()
    parcel = Parcel.objects.get(shipment=first)
    assert bytes(parcel.label_pdf).startswith(b"%PDF")
    booked = post.state.parcels[first.tracking_number]["request"]
    assert booked["service"] == "express"
    assert booked["cod_amount"] == int(parcel.cash_to_collect) > 0
    keys = [key for method, path, key in post.state.requests if path == "/v1/parcels"]
    assert keys == [f"bazarcheh-shipment-{first.pk}-1"]
    assert [e.type for e in ShipmentEvent.objects.filter(shipment=first)] == [
        "PACKED",
        "BOOKED",
        "SHIPPED",
    ]


def test_a_failing_carrier_is_retried_with_the_same_key(two_coop_order, staff_a, carrier_servers):
    post, _courier = carrier_servers
    _order, first, _second, _v = two_coop_order
    post.state.failures = ["500", "500"]
    services.ship_shipment(actor=staff_a, shipment=packed(staff_a, first))
    first.refresh_from_db()
    keys = {key for method, path, key in post.state.requests if path == "/v1/parcels"}
    assert keys == {f"bazarcheh-shipment-{first.pk}-1"}
    assert len(post.state.parcels) == 1


def test_a_carrier_that_keeps_failing_leaves_the_parcel_packed(
    two_coop_order, staff_a, carrier_servers
):
    post, _courier = carrier_servers
    _order, first, _second, _v = two_coop_order
    packed(staff_a, first)
    post.state.failures = ["timeout", "500", "500"]
    with pytest.raises(DomainError) as exc:
        services.ship_shipment(actor=staff_a, shipment=first)
    assert [(e.field, e.code) for e in exc.value.errors] == [("carrier", "CARRIER_ERROR")]
    first.refresh_from_db()
    assert (first.status, first.tracking_number) == (ShipmentStatus.PACKED, "")
    assert Parcel.objects.get(shipment=first).bookings == 0
    assert [e.type for e in ShipmentEvent.objects.filter(shipment=first)] == ["PACKED"]
    services.ship_shipment(actor=staff_a, shipment=first)
    first.refresh_from_db()
    assert first.status == ShipmentStatus.SHIPPED


def test_the_same_idempotency_key_books_once(carrier_servers):
    post, _courier = carrier_servers
    from marketplace.logistics.carriers import Address, ParcelRequest

    somewhere = Address("a", "0912", "خراسان رضوی", "مشهد", "خیابان", "9177948974")
    request = ParcelRequest(
        reference="1-1", sender=somewhere, recipient=somewhere, weight_grams=500
    )
    carrier = get_carrier("post")
    first = carrier.book(request, idempotency_key="k-1")
    again = carrier.book(request, idempotency_key="k-1")
    assert first.tracking_number == again.tracking_number
    assert carrier.quote(request).price == Decimal(425_000)
    assert len(post.state.parcels) == 1


def test_signed_webhooks_deliver_once(client, two_coop_order, staff_a, carrier_servers):
    post, _courier = carrier_servers
    order, first, _second, _v = two_coop_order
    services.ship_shipment(actor=staff_a, shipment=packed(staff_a, first))
    first.refresh_from_db()
    due = int(Parcel.objects.get(shipment=first).cash_to_collect)
    transit = post.scan(first.tracking_number, "IN_TRANSIT", location="تهران")
    delivered = post.scan(first.tracking_number, "DELIVERED", cash=due)

    assert webhook(client, post, [transit, delivered], secret="").status_code == 401
    assert webhook(client, post, [transit, delivered], secret="forged").status_code == 403
    first.refresh_from_db()
    assert first.status == ShipmentStatus.SHIPPED

    answer = webhook(client, post, [transit, delivered])
    assert answer.status_code == 200 and answer.json()["applied"] == 2
    replay = webhook(client, post, [transit, delivered])
    assert replay.json() == {"applied": 0, "duplicate": 2, "unknown": 0}
    first.refresh_from_db()
    assert first.status == ShipmentStatus.DELIVERED
    parcel = Parcel.objects.get(shipment=first)
    assert parcel.cash_collected == due
    types = [e.type for e in ShipmentEvent.objects.filter(shipment=first)]
    assert types.count("DELIVERED") == 1 and "CASH_COLLECTED" in types
    order.refresh_from_db()
    assert order.status == OrderStatus.CONFIRMED  # the other cooperative's parcel is still out


def test_webhooks_with_unknown_numbers_or_bad_bodies(client, db, carrier_servers):
    post, _courier = carrier_servers
    unknown = post.scan("9" * 24, "DELIVERED")
    assert webhook(client, post, [unknown]).json() == {"applied": 0, "duplicate": 0, "unknown": 1}
    body = b'{"events": [{"id": "x"}]}'
    signature = hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    bad = client.post(
        "/logistics/post/webhook/",
        data=body,
        content_type="application/json",
        HTTP_X_POST_SIGNATURE=signature,
    )
    assert bad.status_code == 400
    assert (
        client.post(
            "/logistics/nobody/webhook/", data=b"{}", content_type="application/json"
        ).status_code
        == 404
    )
    assert client.get("/logistics/post/webhook/").status_code == 405


def test_polling_the_courier_is_deduplicated_with_its_webhooks(
    client, two_coop_order, staff_a, carrier_servers
):
    _post, courier = carrier_servers
    _order, first, _second, _v = two_coop_order
    use_courier(first)
    services.ship_shipment(actor=staff_a, shipment=packed(staff_a, first))
    first.refresh_from_db()
    assert first.carrier == "courier" and first.tracking_number.startswith("CR")
    scanned = courier.scan(first.tracking_number, "OUT_FOR_DELIVERY")
    assert webhook(client, courier, [scanned]).json()["applied"] == 1
    due = int(Parcel.objects.get(shipment=first).cash_to_collect)
    courier.scan(first.tracking_number, "DELIVERED", cash=due)
    assert tracking.poll_all() == {"applied": 1, "duplicate": 1, "unknown": 0, "failed": 0}
    assert tracking.poll_all() == {"applied": 0, "duplicate": 0, "unknown": 0, "failed": 0}
    first.refresh_from_db()
    assert first.status == ShipmentStatus.DELIVERED


def test_a_failing_poll_changes_nothing(two_coop_order, staff_a, carrier_servers):
    _post, courier = carrier_servers
    _order, first, _second, _v = two_coop_order
    use_courier(first)
    services.ship_shipment(actor=staff_a, shipment=packed(staff_a, first))
    courier.state.failures = ["500"] * 3
    assert tracking.poll_all()["failed"] == 1
    first.refresh_from_db()
    assert first.status == ShipmentStatus.SHIPPED


@pytest.mark.parametrize("name", ["post", "courier"])
def test_quote_label_and_cancel_against_each_carrier(carrier_servers, name):
    from marketplace.logistics.carriers import Address, CarrierError, ParcelRequest

    server = dict(zip(("post", "courier"), carrier_servers, strict=True))[name]
    somewhere = Address("a", "0912", "خراسان رضوی", "مشهد", "خیابان", "9177948974")
    request = ParcelRequest(
        reference="2-1", sender=somewhere, recipient=somewhere, weight_grams=1000
    )
    carrier = get_carrier(name)
    quote = carrier.quote(request)
    assert (quote.price, quote.currency, quote.days) == (Decimal(450_000), "IRR", 3)

    booked = carrier.book(request, idempotency_key=f"{name}-cancel-1")
    assert carrier.valid_tracking_number(booked.tracking_number)
    assert carrier.label(booked.tracking_number).startswith(b"%PDF")
    carrier.cancel(booked.tracking_number, idempotency_key=f"{name}-cancel-1-c")
    assert server.state.parcels[booked.tracking_number]["canceled"] is True

    # Once the carrier has the parcel in hand it can no longer be called off.
    taken = carrier.book(request, idempotency_key=f"{name}-cancel-2")
    server.scan(taken.tracking_number, "ACCEPTED")
    with pytest.raises(CarrierError, match="409"):
        carrier.cancel(taken.tracking_number, idempotency_key=f"{name}-cancel-2-c")
    with pytest.raises(CarrierError, match="404"):
        carrier.label("0" * 24 if name == "post" else "CR9999999999")


def test_the_carriers_delivery_after_the_clerks_is_one_step(
    client, two_coop_order, staff_a, carrier_servers
):
    post, _courier = carrier_servers
    _order, first, _second, _v = two_coop_order
    services.ship_shipment(actor=staff_a, shipment=packed(staff_a, first))
    first.refresh_from_db()
    due = Parcel.objects.get(shipment=first).cash_to_collect
    services.deliver_shipment(actor=staff_a, shipment=first, cash_collected=due)
    delivered = post.scan(first.tracking_number, "DELIVERED", cash=int(due))

    assert webhook(client, post, [delivered]).json()["applied"] == 1
    assert webhook(client, post, [delivered]).json() == {
        "applied": 0,
        "duplicate": 1,
        "unknown": 0,
    }
    steps = ShipmentEvent.objects.filter(shipment=first, type="DELIVERED")
    assert [(e.user_id, e.carrier) for e in steps] == [(staff_a.pk, "post")]
    assert Parcel.objects.get(shipment=first).cash_collected == due
