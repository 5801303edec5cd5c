"""Reads of payments."""

from __future__ import annotations

from marketplace.core import sql
from marketplace.core.sql import Shape, Table
from marketplace.orders.models import Order
from marketplace.payments.models import Payment, PaymentStatus

CAPTURED = (PaymentStatus.CHARGED, PaymentStatus.PARTIALLY_REFUNDED, PaymentStatus.REFUNDED)


def refundable_payment(order: Order) -> Payment | None:
    """The order's payment that took money, latest first (an order has at most one that
    confirmed it; others taken by mistake are refunded at once)."""
    return order.payments.filter(status__in=CAPTURED).order_by("-created", "-id").first()


PAYMENT = Table("p", Payment)
PAYMENT_SHAPE = Shape([PAYMENT])


# Every callback and webhook starts here: written out, as the ORM's compiling of it
# cost more than the database's answer.
@sql.statement("payments.by_reference", uses=[sql.index(Payment, "psp_reference")])
def _by_reference_sql() -> str:
    return PAYMENT_SHAPE.where(f"{PAYMENT.c.gateway} = %s", f"{PAYMENT.c.psp_reference} = %s")


def by_reference(gateway_id: str, reference: str) -> Payment | None:
    """The payment `gateway_id` knows as `reference` (unique once started)."""
    if not reference:
        return None
    return PAYMENT_SHAPE.one(_by_reference_sql(), [gateway_id, reference])
