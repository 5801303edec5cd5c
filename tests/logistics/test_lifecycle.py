"""A shipment's life by its fulfiller: pack (also short), ship with a tracking number,
deliver with the cash; the order becomes FULFILLED, then COMPLETED."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from marketplace.core.errors import DomainError
from marketplace.logistics import services, signals
from marketplace.logistics.models import Parcel, ShipmentEvent
from marketplace.notifications.models import Notification
from marketplace.orders.events import EventType
from marketplace.orders.models import OrderStatus, ShipmentStatus
from tests.builders.inventory import stock_of

POST_NUMBER = "123456789012345678901234"


@pytest.fixture
def unsent(monkeypatch):
    """Messages are queued but not handed to the broker when callbacks run on commit."""
    from marketplace.notifications import tasks

    monkeypatch.setattr(tasks.send_notification, "delay", lambda *args, **kwargs: None)


def codes(exc: pytest.ExceptionInfo) -> list[tuple[str | None, str]]:
    return [(e.field, e.code) for e in exc.value.errors]


def run_all(staff_a, staff_b, order, first, second, number_b="999956789012345678901234"):
    services.pack_shipment(actor=staff_a, shipment=first)
    services.pack_shipment(actor=staff_b, shipment=second)
    services.ship_shipment(actor=staff_a, shipment=first, tracking_number=POST_NUMBER)
    services.ship_shipment(actor=staff_b, shipment=second, tracking_number=number_b)
    for staff, shipment in ((staff_a, first), (staff_b, second)):
        due = Parcel.objects.get(shipment=shipment).cash_to_collect
        services.deliver_shipment(actor=staff, shipment=shipment, cash_collected=due)


def test_the_whole_way_to_completed(
    two_coop_order, staff_a, staff_b, buyer, django_capture_on_commit_callbacks, unsent
):
    order, first, second, saffron = two_coop_order
    heard = []
    receiver = lambda sender, signal, **kw: heard.append(sorted(kw))  # noqa: E731
    for signal in (signals.shipment_delivered, signals.cash_collected, signals.order_completed):
        signal.connect(receiver, weak=False)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            run_all(staff_a, staff_b, order, first, second)
        order.refresh_from_db()
        assert order.status == OrderStatus.FULFILLED
        assert stock_of(saffron).quantity == 7 and stock_of(saffron).quantity_allocated == 0
        assert [e.type for e in ShipmentEvent.objects.filter(shipment=first)] == [
            "PACKED",
            "SHIPPED",
            "DELIVERED",
            "CASH_COLLECTED",
        ]
        with django_capture_on_commit_callbacks(execute=True):
            services.confirm_receipt(actor=buyer, order=order)
    finally:
        for signal in (signals.shipment_delivered, signals.cash_collected, signals.order_completed):
            signal.disconnect(receiver)
    order.refresh_from_db()
    assert order.status == OrderStatus.COMPLETED
    history = list(order.events.values_list("type", flat=True))
    assert history.count(EventType.SHIPMENT_DELIVERED) == 2
    # The last parcel's cash marks the cash-on-delivery payment paid.
    assert history[-3:] == [EventType.FULFILLED, EventType.PAYMENT_CAPTURED, EventType.COMPLETED]
    assert order.payment_status == "CHARGED"
    assert heard.count(["automatic", "order"]) == 1
    assert heard.count(["amount", "shipment", "short"]) == 2


def test_invalid_moves_are_refused(two_coop_order, staff_a, buyer):
    order, first, _second, _v = two_coop_order
    with pytest.raises(DomainError) as exc:
        services.ship_shipment(actor=staff_a, shipment=first, tracking_number=POST_NUMBER)
    assert codes(exc) == [("id", "INVALID_STATUS")]
    with pytest.raises(DomainError) as exc:
        services.deliver_shipment(actor=staff_a, shipment=first)
    assert codes(exc) == [("id", "INVALID_STATUS")]
    services.pack_shipment(actor=staff_a, shipment=first)
    with pytest.raises(DomainError) as exc:
        services.pack_shipment(actor=staff_a, shipment=first)
    assert codes(exc) == [("id", "INVALID_STATUS")]
    with pytest.raises(DomainError) as exc:
        services.confirm_receipt(actor=buyer, order=order)
    assert codes(exc) == [("id", "INVALID_STATUS")]
    first.refresh_from_db()
    assert first.status == ShipmentStatus.PACKED


def test_another_cooperatives_shipment_is_not_theirs(two_coop_order, staff_a, staff_b, buyer):
    _order, first, _second, _v = two_coop_order
    for actor in (staff_b, buyer, None):
        with pytest.raises(DomainError) as exc:
            services.pack_shipment(actor=actor, shipment=first)
        assert codes(exc) == [("id", "PERMISSION_DENIED")]
    first.refresh_from_db()
    assert first.status == ShipmentStatus.UNFULFILLED
    assert not ShipmentEvent.objects.exists()


def test_packing_short_writes_off_and_takes_it_off_the_cash(
    two_coop_order, staff_a, django_capture_on_commit_callbacks, unsent
):
    _order, first, _second, saffron = two_coop_order
    line = first.lines.get()
    heard = []
    receiver = lambda sender, shipment, amount, **kw: heard.append(amount)  # noqa: E731
    signals.shipment_packed_short.connect(receiver, weak=False)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            services.pack_shipment(actor=staff_a, shipment=first, quantities={line.pk: 2})
    finally:
        signals.shipment_packed_short.disconnect(receiver)
    parcel = Parcel.objects.get(shipment=first)
    assert parcel.short_amount == Decimal(250_000)
    assert heard == [Decimal(250_000)]
    # COD: 2 units of saffron plus this parcel's delivery.
    assert parcel.cash_to_collect == Decimal(500_000) + first.shipping_price
    stock = stock_of(saffron)
    assert (stock.quantity, stock.quantity_allocated) == (9, 2)
    assert line.allocations.get().quantity == 2
    assert Notification.objects.filter(
        template="shipment.packed_short.buyer", event_key=f"shipment:{first.pk}:packed_short"
    ).exists()
    assert list(ShipmentEvent.objects.filter(shipment=first).values_list("type", flat=True)) == [
        "PACKED",
        "PACKED_SHORT",
    ]


@pytest.mark.parametrize(
    ("quantity", "field"),
    [(4, "lines.0.quantity"), (-1, "lines.0.quantity"), (0, "lines")],
)
def test_bad_short_quantities(two_coop_order, staff_a, quantity, field):
    _order, first, _second, saffron = two_coop_order
    line = first.lines.get()
    with pytest.raises(DomainError) as exc:
        services.pack_shipment(actor=staff_a, shipment=first, quantities={line.pk: quantity})
    assert codes(exc)[0][0] == field
    assert stock_of(saffron).quantity_allocated == 3
    assert not Parcel.objects.exists()


def test_a_line_of_another_shipment_is_not_found(two_coop_order, staff_a):
    _order, first, second, _v = two_coop_order
    with pytest.raises(DomainError) as exc:
        services.pack_shipment(actor=staff_a, shipment=first, quantities={second.lines.get().pk: 1})
    assert codes(exc) == [("lines.0.line_id", "NOT_FOUND")]


def test_tracking_numbers_of_the_wrong_shape(two_coop_order, staff_a):
    _order, first, _second, _v = two_coop_order
    services.pack_shipment(actor=staff_a, shipment=first)
    for wrong in ("12345", "12345678901234567890123X", "CR1234567890"):
        with pytest.raises(DomainError) as exc:
            services.ship_shipment(actor=staff_a, shipment=first, tracking_number=wrong)
        assert codes(exc) == [("tracking_number", "INVALID")]
    with pytest.raises(DomainError) as exc:
        services.ship_shipment(
            actor=staff_a, shipment=first, tracking_number="CR1234567890", carrier="nope"
        )
    assert codes(exc) == [("carrier", "INVALID")]
    services.ship_shipment(
        actor=staff_a, shipment=first, tracking_number="CR1234567890", carrier="courier"
    )
    first.refresh_from_db()
    assert (first.status, first.carrier, first.tracking_number) == (
        ShipmentStatus.SHIPPED,
        "courier",
        "CR1234567890",
    )


def test_cash_on_delivery_needs_the_cash(two_coop_order, staff_a):
    _order, first, _second, _v = two_coop_order
    services.pack_shipment(actor=staff_a, shipment=first)
    services.ship_shipment(actor=staff_a, shipment=first, tracking_number=POST_NUMBER)
    with pytest.raises(DomainError) as exc:
        services.deliver_shipment(actor=staff_a, shipment=first)
    assert codes(exc) == [("cash_collected", "REQUIRED")]
    for wrong in (Decimal("-1"), Decimal("1000.5")):
        with pytest.raises(DomainError) as exc:
            services.deliver_shipment(actor=staff_a, shipment=first, cash_collected=wrong)
        assert codes(exc) == [("cash_collected", "INVALID")]
    services.deliver_shipment(actor=staff_a, shipment=first, cash_collected=Decimal(1000))
    assert Parcel.objects.get(shipment=first).cash_collected == Decimal(1000)


def test_unpaid_orders_are_not_packed(two_coop_order, staff_a):
    order, first, _second, _v = two_coop_order
    order.status = OrderStatus.UNCONFIRMED
    order.save()
    with pytest.raises(DomainError) as exc:
        services.pack_shipment(actor=staff_a, shipment=first)
    assert codes(exc) == [("id", "INVALID_STATUS")]


def test_auto_completion_after_the_waiting_days(two_coop_order, staff_a, staff_b, settings):
    settings.ORDER_AUTO_COMPLETE_DAYS = 7
    order, first, second, _v = two_coop_order
    run_all(staff_a, staff_b, order, first, second)
    now = timezone.now()
    assert services.auto_complete_orders(now=now + timedelta(days=6)) == 0
    blocker = lambda sender, order, **kw: True  # noqa: E731
    signals.auto_complete_blocked.connect(blocker, weak=False)
    try:
        assert services.auto_complete_orders(now=now + timedelta(days=8)) == 0
    finally:
        signals.auto_complete_blocked.disconnect(blocker)
    assert services.auto_complete_orders(now=now + timedelta(days=8)) == 1
    assert services.auto_complete_orders(now=now + timedelta(days=9)) == 0
    order.refresh_from_db()
    assert order.status == OrderStatus.COMPLETED
    assert order.events.last().data == {"automatic": True}


def test_a_canceled_packed_order_gives_its_stock_back(two_coop_order, staff_a, buyer):
    from marketplace.orders import services as order_services

    order, first, _second, saffron = two_coop_order
    services.pack_shipment(actor=staff_a, shipment=first, quantities={first.lines.get().pk: 2})
    order_services.cancel_order(actor=buyer, order=order)
    stock = stock_of(saffron)
    assert (stock.quantity, stock.quantity_allocated) == (9, 0)


def test_the_buyer_hears_of_each_parcel_shipped_with_its_tracking_link_and_delivered(
    two_coop_order, staff_a, staff_b, buyer, django_capture_on_commit_callbacks, unsent
):
    order, first, second, _v = two_coop_order
    with django_capture_on_commit_callbacks(execute=True):
        run_all(staff_a, staff_b, order, first, second)
    shipped = Notification.objects.filter(template="shipment.shipped.buyer")
    assert sorted(shipped.values_list("event_key", flat=True)) == sorted(
        f"shipment:{s.pk}:shipped" for s in (first, second)
    )
    assert {row.user_id for row in shipped} == {buyer.pk}
    first_message = shipped.get(event_key=f"shipment:{first.pk}:shipped")
    assert POST_NUMBER in first_message.context["tracking_url"]
    assert first_message.context["tracking_url"].startswith("http")
    delivered = Notification.objects.filter(template="shipment.delivered.buyer")
    assert sorted(delivered.values_list("event_key", flat=True)) == sorted(
        f"shipment:{s.pk}:delivered" for s in (first, second)
    )
    # Each row has its one outbox job.
    from marketplace.core.models import Job

    for row in (*shipped, *delivered):
        assert Job.objects.filter(dedup_key=f"notification:{row.pk}").count() == 1


@pytest.mark.parametrize(
    ("kind", "template"),
    [
        ("COOP_DELIVERY", "shipment.shipped_untracked.buyer"),
        ("PICKUP", "shipment.ready_for_pickup.buyer"),
    ],
)
def test_a_parcel_without_a_tracking_link_sends_the_buyer_to_their_account(
    two_coop_order, staff_a, coop_a, kind, template, unsent
):
    from marketplace.inventory.models import Warehouse
    from marketplace.notifications import services as notifications
    from marketplace.shipping.models import DeliveryMethod

    _order, first, _second, _v = two_coop_order
    point = Warehouse.objects.create(name="انبار مرکزی", cooperative=coop_a)
    first.delivery_method = DeliveryMethod.objects.create(
        name="تحویل تعاونی", kind=kind, cooperative=coop_a, pickup_warehouse=point
    )
    first.save()
    services.pack_shipment(actor=staff_a, shipment=first)
    services.ship_shipment(actor=staff_a, shipment=first)
    row = Notification.objects.get(event_key=f"shipment:{first.pk}:shipped")
    assert row.template == template
    _subject, text = notifications.render(row)
    assert "tracking" not in text.lower() and text.rstrip().endswith(".")
