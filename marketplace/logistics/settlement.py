"""Fulfilment's part in the buyer's money: the refund of units packed short from an
online payment, and a cash-on-delivery payment marked paid once every parcel's cash is
in. The payments app does the writes (and tells the ledger)."""

from __future__ import annotations

import logging
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum

from marketplace.core.errors import DomainError
from marketplace.logistics.models import Parcel
from marketplace.logistics.parcels import COD_GATEWAY
from marketplace.orders.models import Order, Shipment, ShipmentStatus
from marketplace.payments.models import Payment
from marketplace.payments.services import CAPTURED_STATUSES, record_cash_payment, refund_payment

logger = logging.getLogger(__name__)


def short_pack_reason(shipment: Shipment) -> str:
    return f"short-pack:{shipment.pk}"


def _captured_payment(order_id: int) -> Payment | None:
    return (
        Payment.objects.filter(order_id=order_id, status__in=CAPTURED_STATUSES)
        .order_by("-created", "-id")
        .first()
    )


def refund_short(*, shipment: Shipment, amount: Decimal) -> None:
    """Give back what the buyer paid online for units packed short. Run after the
    packing committed (the gateway is called outside any transaction); a shipment is
    packed once, and a refund already recorded for it is not asked again."""
    payment = _captured_payment(shipment.order_id)
    if payment is None or amount <= 0:
        return
    reason = short_pack_reason(shipment)
    if payment.refunds.filter(reason=reason).exists():
        return
    try:
        refund_payment(actor=None, payment=payment, amount=amount, reason=reason)
    except DomainError:
        # Nothing refundable is left (an earlier refund of the whole order): staff see
        # the short packing in the order's history.
        logger.warning("short-pack refund of shipment %s refused", shipment.pk, exc_info=True)


def refund_short_on_commit(*, shipment: Shipment, amount: Decimal) -> None:
    transaction.on_commit(lambda: refund_short(shipment=shipment, amount=amount))


def settle_cash(order: Order) -> None:
    """Cash on delivery: once every parcel of the order that had cash to collect has
    it, the payment is CHARGED. Called in the delivery's transaction, order locked."""
    shipments = Shipment.objects.filter(order=order).exclude(status=ShipmentStatus.CANCELED)
    if shipments.exclude(status=ShipmentStatus.DELIVERED).exists():
        return
    with_cash = Parcel.objects.filter(shipment__in=shipments, cash_to_collect__gt=0)
    if with_cash.filter(cash_collected__isnull=True).exists():
        return
    collected = with_cash.aggregate(total=Sum("cash_collected"))["total"] or Decimal(0)
    payment = Payment.objects.filter(order=order).order_by("-created", "-id").first()
    if (
        payment is not None
        and payment.gateway == COD_GATEWAY
        and payment.status not in CAPTURED_STATUSES
    ):
        # What came in at the doors: less than the total when units were packed short.
        record_cash_payment(payment=payment, amount=collected)
