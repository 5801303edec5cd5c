"""The ledger listens to the payments and fulfilment apps' signals. Each receiver calls
one posting service; the services are idempotent on their cause, so a signal sent twice
posts once. A sender module that is not installed is skipped: `connect` runs from
LedgerConfig.ready and connects only what imports.

Signals (sender modules and arguments, as those apps document them):
- marketplace.payments.signals.payment_captured(payment, amount, order, confirms)
- marketplace.payments.signals.payment_refunded(payment, refund)
- marketplace.logistics.signals.cash_collected(shipment, amount, short)
- marketplace.logistics.signals.order_completed(order)
- marketplace.logistics.signals.shipment_packed_short(shipment, amount)
"""

from __future__ import annotations

import importlib
import logging

from django.db.models import F

from marketplace.ledger import services
from marketplace.orders.models import OrderLine
from marketplace.payments.gateways import get_gateway

logger = logging.getLogger(__name__)
# How fulfilment names the refund of units packed short (logistics.settlement), and the
# ledger the refund's posting when it reverses cash collected.
SHORT_PACK = "short-pack:"
# Set by `connect`: which signals were found (for the tests and the operator's checks).
CONNECTED: list[str] = []


def _paid_at_the_door(payment) -> bool:
    gateway = get_gateway(payment.gateway)
    return gateway is not None and gateway.confirms_at_once


def on_payment_captured(sender, *, payment, amount, order=None, **kwargs) -> None:
    if _paid_at_the_door(payment):
        # Cash on delivery: the money arrives parcel by parcel, as cash_collected.
        return
    # The sender holds the order's row lock: the posting does not lock it again.
    services.post_payment_captured(payment=payment, amount=amount, locked_order=order)


def _short_units(reason: str) -> dict[int, int]:
    """The units a refund for a short pack gives back (fulfilment names such a refund
    `short-pack:<shipment id>`): order line id → units ordered but not packed. So the
    refund is taken from the producer whose units were missing, not from everyone."""
    if not reason.startswith(SHORT_PACK):
        return {}
    try:
        shipment_id = int(reason.removeprefix(SHORT_PACK))
    except ValueError:
        return {}
    rows = OrderLine.objects.filter(
        shipment_id=shipment_id, packed__quantity__lt=F("quantity")
    ).values_list("id", "quantity", "packed__quantity")
    return {line_id: ordered - packed for line_id, ordered, packed in rows}


def on_payment_refunded(sender, *, payment, refund, **kwargs) -> None:
    if not _paid_at_the_door(payment) and not services.took_in(payment):
        # A payment the order no longer wanted, refunded at once: the ledger never
        # took it in, so there is nothing to give back from escrow.
        return
    refund_lines = getattr(refund, "lines", None)
    if hasattr(refund_lines, "all"):
        refund_lines = refund_lines.all()
    lines = {line.order_line_id: line.quantity for line in refund_lines or []}
    if not lines:
        lines = _short_units(str(getattr(refund, "reason", "")))
    status = str(getattr(refund, "status", ""))
    services.post_refund(
        order=payment.order,
        amount=refund.amount,
        cause_key=f"refund:{refund.pk}",
        lines=lines or None,
        owed_to_buyer=status == "OWED",
        by_hand=bool(getattr(refund, "by_hand", False)),
    )


def on_cash_collected(sender, *, shipment, amount, short=None, **kwargs) -> None:
    services.post_cash_collected(shipment=shipment, amount=amount, short=short)


def on_order_completed(sender, *, order, **kwargs) -> None:
    services.post_order_completed(order=order)


def on_shipment_packed_short(sender, *, shipment, amount, **kwargs) -> None:
    """Short packing of a cash-on-delivery order: less cash will be collected for the
    parcel, and cash_collected names the missing units, so only a parcel whose cash
    already arrived has anything to reverse (cash of another parcel of the order was
    never paid for these units). An online payment's refund for the missing units
    arrives as payment_refunded instead."""
    if services.received_online(shipment.order_id):
        return
    if not services.cash_posted(shipment.pk):
        return
    services.post_refund(
        order=shipment.order,
        amount=amount,
        cause_key=f"{SHORT_PACK}{shipment.pk}",
        shipment=shipment,
    )


def on_owed_refund_paid_out(sender, *, refund, **kwargs) -> None:
    services.post_owed_refund_paid(refund=refund)


SIGNALS = {
    "marketplace.payments.signals": {
        "payment_captured": on_payment_captured,
        "payment_refunded": on_payment_refunded,
        "owed_refund_paid_out": on_owed_refund_paid_out,
    },
    "marketplace.logistics.signals": {
        "cash_collected": on_cash_collected,
        "order_completed": on_order_completed,
        "shipment_packed_short": on_shipment_packed_short,
    },
}


def connect() -> None:
    for module_name, receivers in SIGNALS.items():
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            continue
        for signal_name, receiver in receivers.items():
            signal = getattr(module, signal_name, None)
            if signal is None:
                logger.warning("%s has no signal %s", module_name, signal_name)
                continue
            signal.connect(receiver, dispatch_uid=f"ledger.{signal_name}")
            CONNECTED.append(signal_name)
