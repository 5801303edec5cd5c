"""Reads of payments."""

from __future__ import annotations

from marketplace.orders.models import Order
from marketplace.payments.models import Payment, PaymentStatus

CAPTURED = (PaymentStatus.CHARGED, PaymentStatus.PARTIALLY_REFUNDED, PaymentStatus.REFUNDED)


def refundable_payment(order: Order) -> Payment | None:
    """The order's payment that took money, latest first (an order has at most one that
    confirmed it; others taken by mistake are refunded at once)."""
    return order.payments.filter(status__in=CAPTURED).order_by("-created", "-id").first()
