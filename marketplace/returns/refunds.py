"""Money and goods of an accepted return: the refund through the gateway that took the
money (the ledger hears it as payment_refunded with the returned lines, and reverses
exactly their parts), and resellable units back in the fulfiller's warehouse.

A refund is owed from the moment a decision says so: `ReturnRequest.refund_due` is set
in the deciding transaction and cleared only when the return is REFUNDED, so a refund
that cannot be made at once (cash on delivery not collected yet, a gateway that refused
or did not answer) is never forgotten. `pay` is tried right after the decision, again
by the beat task `retry_owed` and when an order's cash comes in. It never gives money
back twice: every try asks payments for the refund under one idempotency key per return
(answered with the live refund when there is one, under the order's row lock, with a
unique index behind it), and marking the return REFUNDED locks it and happens once.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from marketplace.core import outbox
from marketplace.core.errors import DomainError
from marketplace.inventory.models import Stock, Warehouse
from marketplace.orders import events
from marketplace.orders.events import EventType
from marketplace.payments.models import Refund, RefundStatus
from marketplace.payments.selectors import refundable_payment
from marketplace.payments.services import refund_payment
from marketplace.returns.models import ReturnRequest, ReturnStatus

logger = logging.getLogger("marketplace.returns")

# A return owes its refund in these states (a REFUNDED one owes nothing any more).
OWING = (ReturnStatus.ACCEPTED, ReturnStatus.RECEIVED)
PAY_TASK = "marketplace.returns.tasks.pay_owed_refund"


def reason_of(request: ReturnRequest) -> str:
    return f"return:{request.pk}"


def pay(*, return_request: ReturnRequest) -> ReturnRequest:
    """Try to make the return's owed refund. Run outside a transaction (the gateway is
    called). What cannot be made now stays owed for the next try."""
    request = ReturnRequest.objects.select_related("order").get(pk=return_request.pk)
    if request.refund_due is None or request.status not in OWING:
        return request
    ReturnRequest.objects.filter(pk=request.pk).update(refund_tried_at=timezone.now())
    payment = refundable_payment(request.order)
    if payment is None:
        logger.info("return %s: nothing charged to refund from yet", request.pk)
        return request
    reason = reason_of(request)
    lines = {line.order_line_id: line.quantity for line in request.lines.all()}
    try:
        refund = refund_payment(
            actor=None,
            payment=payment,
            amount=request.refund_due,
            reason=reason,
            lines=lines,
            idempotency_key=reason,
        )
    except DomainError:
        logger.warning("return %s: refund refused; tried again later", request.pk, exc_info=True)
        return request
    if refund.status not in (RefundStatus.DONE, RefundStatus.OWED):
        # PENDING: payments' reconciliation settles it, and payment_refunded marks the
        # return (receivers.refund_settles_its_return). FAILED: tried again later.
        return request
    return mark_refunded(return_id=request.pk, refund=refund)


def retry_owed(*, older_than: timedelta | None = None, limit: int = 100) -> int:
    """Try again the refunds owed by returns not tried for `older_than`; returns how many
    are REFUNDED now. Safe to run twice at once (see the module's docstring)."""
    age = older_than
    if age is None:
        age = timedelta(minutes=settings.RETURN_REFUND_RETRY_MINUTES)
    cutoff = timezone.now() - age
    ids = list(
        ReturnRequest.objects.filter(refund_due__isnull=False, status__in=OWING)
        .filter(Q(refund_tried_at__isnull=True) | Q(refund_tried_at__lte=cutoff))
        .order_by(F("refund_tried_at").asc(nulls_first=True), "id")
        .values_list("pk", flat=True)[:limit]
    )
    settled = 0
    for pk in ids:
        settled += pay(return_request=ReturnRequest(pk=pk)).status == ReturnStatus.REFUNDED
    return settled


def queue_owed(*, order_id: int) -> None:
    """In the transaction that makes the order's money refundable (its cash came in):
    the refunds its returns owe are tried once that commits."""
    owing = ReturnRequest.objects.filter(
        order_id=order_id, refund_due__isnull=False, status__in=OWING
    ).values_list("pk", flat=True)
    for pk in owing:
        outbox.enqueue(PAY_TASK, kwargs={"return_id": pk})


@transaction.atomic
def mark_refunded(*, return_id: int, refund: Refund) -> ReturnRequest:
    """The return's refund is made (DONE) or recorded as owed: the return is REFUNDED,
    once, whether the gateway answered at once or reconciliation settled it later."""
    locked = ReturnRequest.objects.select_for_update().select_related("order").get(pk=return_id)
    if locked.status == ReturnStatus.REFUNDED:
        return locked
    locked.status = ReturnStatus.REFUNDED
    locked.refunded = refund.amount
    locked.refund_due = None
    locked.save(update_fields=["status", "refunded", "refund_due", "updated"])
    events.record(
        events.event(
            locked.order,
            EventType.RETURN_REFUNDED,
            return_id=locked.pk,
            amount=str(refund.amount),
            status=refund.status,
        )
    )
    return locked


def return_id_of(reason: str) -> int | None:
    """The return a refund was made for, from its reason (see reason_of)."""
    prefix, _, rest = reason.partition(":")
    return int(rest) if prefix == "return" and rest.isdigit() else None


def _fulfiller_warehouses(request: ReturnRequest):
    shipment = request.shipment
    if shipment.cooperative_id is not None:
        return Warehouse.objects.filter(cooperative_id=shipment.cooperative_id)
    return Warehouse.objects.filter(seller_id=shipment.seller_id)


def restock(request: ReturnRequest) -> None:
    """Put the returned units back on sale in the fulfiller's warehouse that stocks the
    variant (its first warehouse when none does). Called in the receiving transaction."""
    warehouses = list(_fulfiller_warehouses(request).order_by("id"))
    if not warehouses:
        return
    for line in request.lines.select_related("order_line").order_by("id"):
        variant_id = line.order_line.variant_id
        if variant_id is None:
            continue
        stock = (
            Stock.objects.select_for_update()
            .filter(variant_id=variant_id, warehouse__in=warehouses)
            .order_by("id")
            .first()
        )
        if stock is None:
            stock, _created = Stock.objects.get_or_create(
                warehouse=warehouses[0], variant_id=variant_id
            )
        Stock.objects.filter(pk=stock.pk).update(quantity=F("quantity") + line.quantity)
        type(line).objects.filter(pk=line.pk).update(restocked=line.quantity)
