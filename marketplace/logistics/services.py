"""A shipment's life: UNFULFILLED → PACKED → SHIPPED → DELIVERED, and the order's
FULFILLED → COMPLETED that follows.

Every write locks the order row first and the shipment row second (the order services
lock in the same order), checks the move under those locks, and records the step both on
the shipment's timeline and in the order's history in the same transaction. Other apps
hear about it through `marketplace.logistics.signals`, after the commit.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from marketplace.channels.money import quantize
from marketplace.core.errors import DomainError, ErrorCode
from marketplace.ledger.split import split_order
from marketplace.logistics import carriers as carrier_registry
from marketplace.logistics import inventory, parcels, pickup, settlement, signals
from marketplace.logistics.carriers import CarrierError
from marketplace.logistics.models import PackedLine, Parcel, ShipmentEvent, ShipmentEventType
from marketplace.logistics.permissions import require_fulfiller
from marketplace.notifications import announce
from marketplace.orders import events
from marketplace.orders.events import EventType
from marketplace.orders.models import Order, OrderLine, OrderStatus, Shipment, ShipmentStatus
from marketplace.orders.permissions import is_buyer
from marketplace.orders.services import run_with_retries
from marketplace.shipping.models import DeliveryKind

TRACKING_NUMBER_MAX = 100


def lock_shipment(shipment_id: int) -> tuple[Order, Shipment]:
    """The shipment's order and the shipment, both locked (order first). For this app's
    writes: it checks no permission."""
    order_id = Shipment.objects.filter(pk=shipment_id).values_list("order_id", flat=True).first()
    if order_id is None:
        raise DomainError.of(ErrorCode.NOT_FOUND, "id")
    order = Order.objects.select_for_update(of=("self",)).select_related("channel").get(pk=order_id)
    shipment = (
        Shipment.objects.select_for_update(of=("self",))
        .select_related("delivery_method", "parcel")
        .get(pk=shipment_id)
    )
    shipment.order = order
    return order, shipment


def _require_status(shipment: Shipment, *allowed: str) -> None:
    if shipment.status not in allowed:
        raise DomainError.of(
            ErrorCode.INVALID_STATUS,
            "id",
            _("This parcel is %(status)s; this step is not possible now.")
            % {"status": shipment.get_status_display()},
        )


def step(shipment: Shipment, type: str, *, user=None, date: datetime | None = None, **data):
    """An unsaved timeline entry."""
    signed_in = user is not None and getattr(user, "is_authenticated", False)
    return ShipmentEvent(
        shipment=shipment,
        type=type,
        user=user if signed_in else None,
        date=date or timezone.now(),
        data=data,
    )


def _on_commit(signal, **kwargs) -> None:
    transaction.on_commit(lambda: signal.send(sender=Shipment, **kwargs))


# ---------------------------------------------------------------- packing


def _clean_quantities(
    lines: list[OrderLine], quantities: Mapping[int, int] | None
) -> dict[int, int]:
    packed = {line.pk: line.quantity for line in lines}
    if not quantities:
        return packed
    for index, (line_id, quantity) in enumerate(quantities.items()):
        if line_id not in packed:
            raise DomainError.of(ErrorCode.NOT_FOUND, f"lines.{index}.line_id")
        if quantity is None or quantity < 0 or quantity > packed[line_id]:
            raise DomainError.of(
                ErrorCode.INVALID,
                f"lines.{index}.quantity",
                _("Pack between 0 and %(max)s units.") % {"max": packed[line_id]},
            )
        packed[line_id] = quantity
    if not any(packed.values()):
        raise DomainError.of(
            ErrorCode.INVALID,
            "lines",
            _("Pack at least one item; an order with nothing to send is canceled instead."),
        )
    return packed


def _pack(actor, shipment_id: int, quantities: Mapping[int, int] | None) -> Shipment:
    order, shipment = lock_shipment(shipment_id)
    require_fulfiller(actor, shipment)
    _require_status(shipment, ShipmentStatus.UNFULFILLED)
    if order.status != OrderStatus.CONFIRMED:
        raise DomainError.of(
            ErrorCode.INVALID_STATUS, "id", _("The order is not confirmed (paid) yet.")
        )
    lines = list(OrderLine.objects.filter(shipment=shipment).order_by("id"))
    packed = _clean_quantities(lines, quantities)
    short = {
        line.pk: line.quantity - packed[line.pk]
        for line in lines
        if packed[line.pk] < line.quantity
    }
    PackedLine.objects.bulk_create(
        PackedLine(line=line, quantity=packed[line.pk]) for line in lines
    )
    inventory.write_off(short)
    now = timezone.now()
    split = split_order(order)
    short_amount = parcels.short_amount(split, short)
    cod = parcels.is_cash_on_delivery(order)
    due = parcels.shipment_due(split, shipment.pk) - short_amount if cod else Decimal(0)
    parcel = Parcel.objects.create(
        shipment=shipment,
        short_amount=short_amount,
        cash_to_collect=max(due, Decimal(0)),
        packed_at=now,
    )
    shipment.parcel = parcel
    steps = [step(shipment, ShipmentEventType.PACKED, user=actor, date=now)]
    history = [events.event(order, EventType.SHIPMENT_PACKED, user=actor, shipment=shipment.pk)]
    if short:
        short_lines = {str(pk): units for pk, units in short.items()}
        steps.append(
            step(
                shipment,
                ShipmentEventType.PACKED_SHORT,
                user=actor,
                date=now,
                lines=short_lines,
                amount=str(short_amount),
            )
        )
        history.append(
            events.event(
                order,
                EventType.SHIPMENT_PACKED_SHORT,
                user=actor,
                shipment=shipment.pk,
                lines=short_lines,
                amount=str(short_amount),
            )
        )
        announce.shipment_packed_short(shipment=shipment)
        signals.shipment_packed_short.send(sender=Shipment, shipment=shipment, amount=short_amount)
        if not cod:
            settlement.refund_short_on_commit(shipment=shipment, amount=short_amount)
    ShipmentEvent.objects.bulk_create(steps)
    events.record(*history)
    shipment.status = ShipmentStatus.PACKED
    shipment.save(update_fields=["status", "updated"])
    return shipment


def pack_shipment(
    *, actor, shipment: Shipment, quantities: Mapping[int, int] | None = None
) -> Shipment:
    """Pack the parcel; `quantities` (order line id → units packed) packs fewer units
    than ordered: the rest are written off the stock, and what the buyer paid for them
    is refunded (online) or not collected (cash on delivery)."""
    return run_with_retries(lambda: _pack(actor, shipment.pk, quantities))


# ---------------------------------------------------------------- shipping


def _clean_tracking(carrier, tracking_number: str) -> str:
    value = "".join(tracking_number.split()).upper()
    valid = (
        carrier.valid_tracking_number(value)
        if carrier is not None
        else 0 < len(value) <= TRACKING_NUMBER_MAX and value.replace("-", "").isalnum()
    )
    if not valid:
        raise DomainError.of(
            ErrorCode.INVALID,
            "tracking_number",
            _("This is not a tracking number of this carrier."),
        )
    return value


def _ship(actor, shipment_id: int, tracking_number: str, carrier_id: str) -> Shipment:
    order, shipment = lock_shipment(shipment_id)
    require_fulfiller(actor, shipment)
    _require_status(shipment, ShipmentStatus.PACKED)
    parcel = Parcel.objects.select_for_update().get(shipment=shipment)
    kind = shipment.delivery_method.kind
    carrier = (
        carrier_registry.get_carrier(carrier_id)
        if carrier_id
        else carrier_registry.carrier_for_kind(kind)
    )
    if carrier_id and carrier is None:
        raise DomainError.of(ErrorCode.INVALID, "carrier", _("Unknown carrier."))
    now = timezone.now()
    steps = []
    if tracking_number:
        shipment.tracking_number = _clean_tracking(carrier, tracking_number)
        if carrier is not None and (
            Shipment.objects.filter(carrier=carrier.id, tracking_number=shipment.tracking_number)
            .exclude(pk=shipment.pk)
            .exists()
        ):
            raise DomainError.of(
                ErrorCode.UNIQUE, "tracking_number", _("Another parcel has this tracking number.")
            )
    elif carrier is not None:
        booking = _book(carrier, order, shipment, parcel)
        shipment.tracking_number = booking.tracking_number
        parcel.carrier_reference = booking.reference
        parcel.label_pdf = booking.label_pdf
        steps.append(
            step(shipment, ShipmentEventType.BOOKED, user=actor, date=now, carrier=carrier.id)
        )
    shipment.carrier = carrier.id if carrier is not None else ""
    if kind == DeliveryKind.PICKUP:
        parcel.pickup_code_hash = pickup.code_hash(shipment)
    parcel.shipped_at = now
    parcel.save()
    inventory.consume(OrderLine.objects.filter(shipment=shipment).values_list("pk", flat=True))
    steps.append(
        step(
            shipment,
            ShipmentEventType.SHIPPED,
            user=actor,
            date=now,
            tracking_number=shipment.tracking_number,
        )
    )
    ShipmentEvent.objects.bulk_create(steps)
    events.record(
        events.event(
            order,
            EventType.SHIPMENT_SHIPPED,
            user=actor,
            shipment=shipment.pk,
            carrier=shipment.carrier,
            tracking_number=shipment.tracking_number,
        )
    )
    shipment.status = ShipmentStatus.SHIPPED
    shipment.save(update_fields=["status", "carrier", "tracking_number", "updated"])
    url = carrier.tracking_url(shipment.tracking_number) if carrier is not None else None
    announce.shipment_shipped(
        shipment=shipment,
        tracking_url=url or shipment.tracking_number,
        pickup=kind == DeliveryKind.PICKUP,
    )
    return shipment


def _book(carrier, order: Order, shipment: Shipment, parcel: Parcel):
    request = parcels.parcel_request(carrier, order, shipment, parcel)
    key = f"bazarcheh-shipment-{shipment.pk}-{parcel.bookings + 1}"
    try:
        booking = carrier.book(request, idempotency_key=key)
    except CarrierError as exc:
        raise DomainError.of(
            ErrorCode.CARRIER_ERROR,
            "carrier",
            _("The carrier could not book the parcel now (%(reason)s); try again later.")
            % {"reason": str(exc)[:200]},
        ) from None
    if not carrier.valid_tracking_number(booking.tracking_number):
        raise DomainError.of(
            ErrorCode.CARRIER_ERROR,
            "carrier",
            _("The carrier answered with a bad tracking number."),
        )
    parcel.bookings += 1
    return booking


def ship_shipment(
    *, actor, shipment: Shipment, tracking_number: str = "", carrier: str = ""
) -> Shipment:
    """Send a packed parcel. With a tracking number, record it (checked against the
    carrier's format); without, book it with the delivery method's carrier and keep the
    tracking number and label. A carrier that fails leaves the parcel PACKED."""
    tracking_number = (tracking_number or "").strip()
    return run_with_retries(lambda: _ship(actor, shipment.pk, tracking_number, carrier or ""))


# ---------------------------------------------------------------- delivering


def _short_units(shipment: Shipment) -> dict[int, int]:
    rows = PackedLine.objects.filter(line__shipment=shipment).values_list(
        "line_id", "line__quantity", "quantity"
    )
    return {line_id: ordered - packed for line_id, ordered, packed in rows if packed < ordered}


def mark_delivered(
    order: Order,
    shipment: Shipment,
    parcel: Parcel,
    *,
    actor=None,
    date: datetime | None = None,
    cash: Decimal | None = None,
    report=None,
) -> None:
    """`report`: the carrier's delivery event, kept as the DELIVERED step (its carrier
    event id then guards against replays)."""
    date = date or timezone.now()
    delivered = step(shipment, ShipmentEventType.DELIVERED, user=actor, date=date)
    if report is not None:
        delivered.carrier, delivered.external_id = report.carrier, report.external_id
        delivered.data = report.data
    steps = [delivered]
    if parcel.cash_to_collect > 0 and cash is not None:
        parcel.cash_collected = cash
        steps.append(
            step(
                shipment, ShipmentEventType.CASH_COLLECTED, user=actor, date=date, amount=str(cash)
            )
        )
        signals.cash_collected.send(
            sender=Shipment, shipment=shipment, amount=cash, short=_short_units(shipment)
        )
    parcel.delivered_at = date
    parcel.save(update_fields=["cash_collected", "delivered_at"])
    ShipmentEvent.objects.bulk_create(steps)
    shipment.status = ShipmentStatus.DELIVERED
    shipment.save(update_fields=["status", "updated"])
    history = [events.event(order, EventType.SHIPMENT_DELIVERED, user=actor, shipment=shipment.pk)]
    open_ones = (
        Shipment.objects.filter(order=order)
        .exclude(status__in=[ShipmentStatus.DELIVERED, ShipmentStatus.CANCELED])
        .exists()
    )
    if not open_ones and order.status == OrderStatus.CONFIRMED:
        order.status = OrderStatus.FULFILLED
        order.save(update_fields=["status", "updated"])
        history.append(events.event(order, EventType.FULFILLED, user=actor))
    events.record(*history)
    if cash is not None and parcel.cash_collected is not None:
        settlement.settle_cash(order)
    announce.shipment_delivered(shipment=shipment)
    _on_commit(signals.shipment_delivered, shipment=shipment)


def _clean_cash(parcel: Parcel, cash: Decimal | None, currency: str) -> Decimal | None:
    if parcel.cash_to_collect <= 0:
        return None
    if cash is None:
        raise DomainError.of(
            ErrorCode.REQUIRED,
            "cash_collected",
            _("Enter the cash collected (%(amount)s is due).") % {"amount": parcel.cash_to_collect},
        )
    # Whole rials for IRR: the currency's own precision, nothing finer.
    if cash < 0 or cash != quantize(cash, currency):
        raise DomainError.of(ErrorCode.INVALID, "cash_collected")
    return cash


def _deliver(actor, shipment_id: int, cash: Decimal | None) -> Shipment:
    order, shipment = lock_shipment(shipment_id)
    require_fulfiller(actor, shipment)
    _require_status(shipment, ShipmentStatus.SHIPPED)
    parcel = Parcel.objects.select_for_update().get(shipment=shipment)
    collected = _clean_cash(parcel, cash, order.currency)
    mark_delivered(order, shipment, parcel, actor=actor, cash=collected)
    return shipment


def deliver_shipment(
    *, actor, shipment: Shipment, cash_collected: Decimal | None = None
) -> Shipment:
    """The fulfiller hands the parcel over (own delivery, pickup) or confirms the
    carrier's delivery; for cash on delivery, with the cash collected."""
    return run_with_retries(lambda: _deliver(actor, shipment.pk, cash_collected))


def _check_pickup(actor, shipment_id: int, code: str) -> tuple[Shipment, bool]:
    order, shipment = lock_shipment(shipment_id)
    require_fulfiller(actor, shipment)
    if shipment.delivery_method.kind != DeliveryKind.PICKUP:
        raise DomainError.of(ErrorCode.INVALID, "id", _("This parcel is not for pickup."))
    _require_status(shipment, ShipmentStatus.SHIPPED)
    parcel = Parcel.objects.select_for_update().get(shipment=shipment)
    if parcel.pickup_tries >= pickup.MAX_TRIES:
        raise DomainError.of(
            ErrorCode.INVALID_STATUS,
            "code",
            _("Too many wrong codes: ask the buyer to contact support."),
        )
    if not pickup.matches(parcel, code):
        parcel.pickup_tries += 1
        parcel.save(update_fields=["pickup_tries"])
        ShipmentEvent.objects.create(
            shipment=shipment,
            type=ShipmentEventType.PICKUP_CODE_FAILED,
            user=actor if getattr(actor, "is_authenticated", False) else None,
            date=timezone.now(),
        )
        return shipment, False
    mark_delivered(order, shipment, parcel, actor=actor, cash=parcel.cash_to_collect)
    return shipment, True


def check_pickup(*, actor, shipment: Shipment, code: str) -> Shipment:
    """Hand a parcel over at the pickup point against the buyer's 6-digit code; five
    wrong codes lock it. A wrong code is counted (that count is kept) and refused."""
    result, ok = run_with_retries(lambda: _check_pickup(actor, shipment.pk, (code or "").strip()))
    if not ok:
        raise DomainError.of(ErrorCode.INVALID, "code", _("This pickup code is wrong."))
    return result


# ---------------------------------------------------------------- completing orders


def _complete(order: Order, *, actor=None, automatic: bool) -> None:
    order.status = OrderStatus.COMPLETED
    order.save(update_fields=["status", "updated"])
    events.record(events.event(order, EventType.COMPLETED, user=actor, automatic=automatic))
    signals.order_completed.send(sender=Order, order=order, automatic=automatic)


def _confirm(actor, order_id: int) -> Order:
    order = (
        Order.objects.select_for_update(of=("self",))
        .select_related("channel")
        .filter(pk=order_id)
        .first()
    )
    if order is None or not is_buyer(actor, order):
        raise DomainError.of(ErrorCode.NOT_FOUND, "id")
    if order.status != OrderStatus.FULFILLED:
        raise DomainError.of(
            ErrorCode.INVALID_STATUS,
            "id",
            _("Receipt can be confirmed once every parcel is delivered."),
        )
    _complete(order, actor=actor, automatic=False)
    return order


def confirm_receipt(*, actor, order: Order) -> Order:
    """The buyer says everything arrived: the order is COMPLETED."""
    return run_with_retries(lambda: _confirm(actor, order.pk))


def _auto_complete(order_id: int, cutoff: datetime) -> bool:
    order = Order.objects.select_for_update(of=("self",)).filter(pk=order_id).first()
    if order is None or order.status != OrderStatus.FULFILLED:
        return False
    last = Parcel.objects.filter(shipment__order=order).aggregate(last=Max("delivered_at"))["last"]
    if last is None or last > cutoff:
        return False
    blocked = signals.auto_complete_blocked.send(sender=Order, order=order)
    if any(answer for _receiver, answer in blocked):
        return False
    _complete(order, automatic=True)
    return True


def auto_complete_orders(*, now: datetime | None = None, limit: int = 500) -> int:
    """Complete FULFILLED orders whose last parcel was delivered more than
    ORDER_AUTO_COMPLETE_DAYS ago and that nothing (an open return) holds back."""
    days = getattr(settings, "ORDER_AUTO_COMPLETE_DAYS", 7)
    cutoff = (now or timezone.now()) - timedelta(days=days)
    late = Parcel.objects.filter(delivered_at__gt=cutoff).values("shipment__order_id")
    ids = list(
        Order.objects.filter(
            status=OrderStatus.FULFILLED, shipments__parcel__delivered_at__lte=cutoff
        )
        .exclude(Q(pk__in=late))
        .distinct()
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )
    return sum(
        1
        for order_id in ids
        if run_with_retries(lambda order_id=order_id: _auto_complete(order_id, cutoff))
    )
