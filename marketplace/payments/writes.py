"""The writes every paid checkout makes, written out (core.sql): keeping an exchange with
a gateway, storing a started payment's answer, and marking a payment captured with its
order confirmed. Through the ORM each row's save compiled its statement again and
cost about twice the CPU of the statement itself; here a write that changes two rows is
one statement, so it is also all or nothing without a transaction of its own.

These functions only write: the callers decide, under the locks services.py describes
where a change depends on what the rows hold (`capture`). `keep` is the one way to keep
an exchange, also for orders.services when a gateway answers at once."""

from __future__ import annotations

from contextlib import nullcontext
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from marketplace.core import sql
from marketplace.orders.models import Order, OrderStatus
from marketplace.payments.gateways import GatewayResponse
from marketplace.payments.models import Payment, PaymentStatus, Transaction

_KEPT = sql.NewRows(Transaction)


def _json(model: type, name: str, value: Any) -> Any:
    return model._meta.get_field(name).get_db_prep_save(value, connection)


def _set(model: type, *names: str) -> str:
    return ", ".join(f"{sql.column(model, name)} = %s" for name in names)


def _returns_row(statement: str, params: list) -> bool:
    """Run a conditional write; whether it changed the row it returns."""
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.fetchone() is not None


def _kept(payment: Payment, response: GatewayResponse, kind: str | None = None) -> list:
    amount = response.amount if response.amount is not None else payment.total
    exchange = Transaction(
        payment=payment,
        kind=kind or response.kind,
        amount=amount,
        is_success=response.is_success,
        raw=response.raw,
    )
    return _KEPT.parameters([exchange])


@sql.statement("payments.keep_exchange")
def _keep_sql() -> str:
    return _KEPT.insert()


def keep(payment: Payment, response: GatewayResponse, *, kind: str | None = None) -> None:
    """Keep the exchange verbatim (a Transaction); nothing when the gateway was not
    spoken to (no raw exchange)."""
    if response.raw is None:
        return
    with connection.cursor() as cursor:
        cursor.execute(_keep_sql(), _kept(payment, response, kind))


# The exchange is kept in the statement that stores its answer: both or neither.
@sql.statement("payments.store_start", uses=[sql.index(Payment, "pk")])
def _store_start_sql() -> str:
    p = sql.column
    return f"""
WITH kept AS ({_KEPT.insert()})
UPDATE {sql.table_name(Payment)}
   SET {_set(Payment, "psp_reference", "action", "updated")}
 WHERE {p(Payment, "pk")} = %s AND {p(Payment, "status")} = %s
   AND {p(Payment, "psp_reference")} = ''
RETURNING {p(Payment, "pk")}
"""


def store_start(payment: Payment, response: GatewayResponse) -> bool:
    """Keep the start's exchange and store its reference and the buyer's next step on
    `payment`, only while it still waits for them (PENDING, no reference): False when a
    racing settlement or expiry got there first (the exchange is kept all the same).
    Raises IntegrityError or DataError, having written nothing, when the answer cannot
    be stored (a reference another payment has, or one too long)."""
    now = timezone.now()
    action = response.action.as_json() if response.action else None
    # A refused statement must not spoil a transaction the caller runs in.
    with transaction.atomic() if connection.in_atomic_block else nullcontext():
        if response.raw is None:
            # Nothing to keep (a gateway that reported no exchange): the update alone.
            stored = bool(
                Payment.objects.filter(
                    pk=payment.pk, status=PaymentStatus.PENDING, psp_reference=""
                ).update(psp_reference=response.psp_reference, action=action, updated=now)
            )
        else:
            stored = _returns_row(
                _store_start_sql(),
                [
                    *_kept(payment, response),
                    response.psp_reference,
                    _json(Payment, "action", action),
                    now,
                    payment.pk,
                    PaymentStatus.PENDING,
                ],
            )
    if stored:
        payment.status, payment.psp_reference = PaymentStatus.PENDING, response.psp_reference
        payment.action, payment.updated = action, now
    return stored


@sql.statement("payments.capture", uses=[sql.index(Payment, "pk"), sql.index(Order, "pk")])
def _capture_sql() -> str:
    p = sql.column
    return f"""
WITH charged AS (
    UPDATE {sql.table_name(Payment)}
       SET {_set(Payment, "status", "captured_amount", "captured_at", "updated")}
     WHERE {p(Payment, "pk")} = %s
)
UPDATE {sql.table_name(Order)}
   SET {_set(Order, "status", "payment_status", "expires_at", "updated")}
 WHERE {p(Order, "pk")} = %s AND {p(Order, "status")} = %s
RETURNING {p(Order, "pk")}
"""


def capture(*, order: Order, payment: Payment, amount: Decimal) -> bool:
    """Mark `payment` CHARGED for `amount` and confirm its order if it is still
    UNCONFIRMED; both rows locked by the caller. Returns whether the order was
    confirmed, and updates the instances as the rows now are."""
    now = timezone.now()
    charged = [PaymentStatus.CHARGED, amount, now, now, payment.pk]
    confirmed_if = [OrderStatus.CONFIRMED, PaymentStatus.CHARGED, None, now]
    confirmed = _returns_row(
        _capture_sql(), [*charged, *confirmed_if, order.pk, OrderStatus.UNCONFIRMED]
    )
    payment.status, payment.captured_amount = PaymentStatus.CHARGED, amount
    payment.captured_at = payment.updated = now
    if confirmed:
        order.status, order.payment_status = OrderStatus.CONFIRMED, PaymentStatus.CHARGED
        order.expires_at, order.updated = None, now
    return confirmed
