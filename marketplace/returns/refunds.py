"""Money and goods of an accepted return: the refund through the gateway that took the
money (the ledger hears it as payment_refunded with the returned lines, and reverses
exactly their parts), and resellable units back in the fulfiller's warehouse."""

from __future__ import annotations

import logging
from decimal import Decimal

from django.db import transaction
from django.db.models import F

from marketplace.core.errors import DomainError
from marketplace.inventory.models import Stock, Warehouse
from marketplace.orders import events
from marketplace.orders.events import EventType
from marketplace.payments.models import Refund, RefundStatus
from marketplace.payments.selectors import refundable_payment
from marketplace.payments.services import refund_payment
from marketplace.returns.models import ReturnRequest, ReturnStatus

logger = logging.getLogger("marketplace.returns")


def reason_of(request: ReturnRequest) -> str:
    return f"return:{request.pk}"


def pay(*, return_request: ReturnRequest, amount: Decimal) -> ReturnRequest:
    """Refund `amount` for the return. Run outside a transaction (the gateway is called);
    a refund already made for the return is not asked again. A refund that cannot be made
    now (no charged payment yet, the gateway did not answer) leaves the return ACCEPTED
    and is logged for staff, who refund it from the order."""
    request = ReturnRequest.objects.select_related("order").get(pk=return_request.pk)
    if request.status == ReturnStatus.REFUNDED:
        return request
    payment = refundable_payment(request.order)
    if payment is None:
        logger.warning("return %s: nothing charged to refund from", request.pk)
        return request
    reason = reason_of(request)
    refund = (
        payment.refunds.filter(reason=reason)
        .exclude(status=RefundStatus.FAILED)
        .order_by("-id")
        .first()
    )
    if refund is None:
        lines = {line.order_line_id: line.quantity for line in request.lines.all()}
        try:
            refund = refund_payment(
                actor=None, payment=payment, amount=amount, reason=reason, lines=lines
            )
        except DomainError:
            logger.warning("return %s: refund refused", request.pk, exc_info=True)
            return request
    if refund.status not in (RefundStatus.DONE, RefundStatus.OWED):
        return request
    return mark_refunded(return_id=request.pk, refund=refund)


@transaction.atomic
def mark_refunded(*, return_id: int, refund: Refund) -> ReturnRequest:
    """The return's refund is made (DONE) or recorded as owed: the return is REFUNDED,
    once, whether the gateway answered at once or reconciliation settled it later."""
    locked = ReturnRequest.objects.select_for_update().select_related("order").get(pk=return_id)
    if locked.status == ReturnStatus.REFUNDED:
        return locked
    locked.status = ReturnStatus.REFUNDED
    locked.refunded = refund.amount
    locked.save(update_fields=["status", "refunded", "updated"])
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
