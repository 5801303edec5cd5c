"""The row locks every change of a payment starts with: its order, then the payment
(always in that order, as orders.services does), read again under the lock.

One written-out statement (core.sql) takes both: PostgreSQL locks the rows of a
`FOR UPDATE OF` list in its order, and a row changed meanwhile by another transaction is
read again in its committed state. The order comes with the buyer's account and
address, which the messages that follow a change read."""

from __future__ import annotations

from django.db import connection

from marketplace.accounts.models import Address, User
from marketplace.core import sql
from marketplace.core.sql import Shape, Table
from marketplace.orders.models import Order
from marketplace.payments.models import Payment
from marketplace.payments.selectors import PAYMENT, PAYMENT_SHAPE

ORDER = Table("o", Order)
ORDER_SHAPE = Shape(
    [ORDER, Table("u", User, ("o", "user")), Table("a", Address, ("o", "shipping_address"))]
)


@sql.statement(
    "payments.lock_order_and_payment",
    uses=[sql.index(Order, "pk"), sql.index(Payment, "order")],
)
def _lock_sql() -> str:
    return f"""
SELECT {ORDER_SHAPE.select()}, {PAYMENT_SHAPE.select()}
  FROM {ORDER.ref}
{ORDER_SHAPE.joins}
  JOIN {PAYMENT.ref} ON {PAYMENT.c.order} = {ORDER.c.id}
 WHERE {ORDER.c.id} = %s AND {PAYMENT.c.id} = %s
   FOR UPDATE OF {ORDER.alias}, {PAYMENT.alias}
"""


def lock_order_and_payment(
    *, payment_id: int, order_id: int | None = None
) -> tuple[Order, Payment]:
    """The order, then the payment, locked and read again. `order_id` when the caller
    knows it (a payment never changes orders)."""
    if order_id is None:
        order_id = Payment.objects.filter(pk=payment_id).values_list("order_id", flat=True).get()
    with connection.cursor() as cursor:
        cursor.execute(_lock_sql(), [order_id, payment_id])
        row = cursor.fetchone()
    if row is None:
        raise Payment.DoesNotExist(f"payment {payment_id} of order {order_id}")
    return ORDER_SHAPE.instance(row), PAYMENT_SHAPE.instance(row[ORDER_SHAPE.width :])
