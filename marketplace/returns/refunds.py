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

Retries are bounded: a refusal counts (`refund_tries`), and at RETURN_REFUND_MAX_TRIES
the refund is held for platform staff (`refund_held_at`), who are e-mailed and retry it
from the admin (`retry_held`), or give it back outside the platform and mark it so
(`refund_by_hand`: no gateway is asked; payments and the ledger record it as given back
by hand). A payment with less left than the return owes (staff
refunded it by hand) holds the refund at the first try: asking again cannot help.
Waiting for cash on delivery is not a refusal.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from marketplace.core import outbox
from marketplace.core.errors import DomainError, ErrorCode, permission_denied
from marketplace.inventory.models import Stock, Warehouse
from marketplace.notifications import announce
from marketplace.orders import events
from marketplace.orders.events import EventType
from marketplace.orders.models import Order, OrderEvent
from marketplace.payments.models import Refund, RefundStatus
from marketplace.payments.selectors import refundable_payment
from marketplace.payments.services import MoreThanLeft, refund_payment
from marketplace.returns.models import RefundProblem, ReturnRequest, ReturnStatus
from marketplace.sellers.permissions import has_platform_perms

logger = logging.getLogger("marketplace.returns")

# A return owes its refund in these states (a REFUNDED one owes nothing any more).
OWING = (ReturnStatus.ACCEPTED, ReturnStatus.RECEIVED)
PAY_TASK = "marketplace.returns.tasks.pay_owed_refund"
# Who may retry a held refund: the staff who may decide returns (and are e-mailed of it).
RETRY_PERMS = announce.DISPUTE_PERMS


def reason_of(request: ReturnRequest) -> str:
    return f"return:{request.pk}"


def pay(*, return_request: ReturnRequest) -> ReturnRequest:
    """Try to make the return's owed refund, unless it is held for staff. Run outside a
    transaction (the gateway is called). What cannot be made now stays owed for the next
    try, or is held (see the module's docstring)."""
    request = ReturnRequest.objects.select_related("order").get(pk=return_request.pk)
    owed = request.refund_due is not None and request.status in OWING
    if not owed or request.refund_held_at is not None:
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
    except MoreThanLeft:
        logger.warning("return %s: the payment has less left than is owed", request.pk)
        return _refused(request.pk, RefundProblem.NOTHING_LEFT)
    except DomainError:
        logger.warning("return %s: refund refused", request.pk, exc_info=True)
        return _refused(request.pk, RefundProblem.REFUSED)
    if refund.status == RefundStatus.FAILED:
        # Only a refund made by this call can be FAILED (a live one is answered instead).
        return _refused(request.pk, RefundProblem.REFUSED)
    if refund.status != RefundStatus.DONE and refund.status != RefundStatus.OWED:
        # PENDING: payments' reconciliation settles it, and payment_refunded marks the
        # return (receivers.refund_settles_its_return).
        return request
    return mark_refunded(return_id=request.pk, refund=refund)


@transaction.atomic
def _refused(return_id: int, problem: str) -> ReturnRequest:
    """Count a try that the payment or the gateway refused; hold the refund for staff at
    RETURN_REFUND_MAX_TRIES, or at once when nothing more can come of asking again."""
    locked = ReturnRequest.objects.select_for_update().select_related("order").get(pk=return_id)
    if locked.refund_due is None or locked.status not in OWING or locked.refund_held_at:
        return locked
    locked.refund_tries += 1
    fields = ["refund_tries", "updated"]
    hopeless = problem == RefundProblem.NOTHING_LEFT
    if hopeless or locked.refund_tries >= settings.RETURN_REFUND_MAX_TRIES:
        locked.refund_held_at = timezone.now()
        locked.refund_problem = problem
        fields += ["refund_held_at", "refund_problem"]
        events.record(
            events.event(
                locked.order,
                EventType.RETURN_REFUND_HELD,
                return_id=locked.pk,
                problem=problem,
                tries=locked.refund_tries,
            )
        )
        announce.return_refund_held(
            order=locked.order,
            return_id=locked.pk,
            amount=locked.refund_due,
            currency=locked.currency,
            problem=str(RefundProblem(problem).label),
            held_at=locked.refund_held_at,
        )
    locked.save(update_fields=fields)
    return locked


def retry_held(*, actor, return_request: ReturnRequest) -> ReturnRequest:
    """Platform staff ask for the return's owed refund once more, now: its count of
    refused tries starts again and the hold is lifted, then it is tried (and held again
    if the payment still has too little left, or after as many refusals again)."""
    if not has_platform_perms(actor, RETRY_PERMS):
        raise permission_denied("id")
    with transaction.atomic():
        locked = ReturnRequest.objects.select_for_update().get(pk=return_request.pk)
        if locked.refund_due is None or locked.status not in OWING:
            raise DomainError.of(ErrorCode.INVALID_STATUS, "id", _("This return owes no refund."))
        locked.refund_tries = 0
        locked.refund_held_at = None
        locked.refund_problem = ""
        locked.save(update_fields=["refund_tries", "refund_held_at", "refund_problem", "updated"])
    return pay(return_request=locked)


def retry_owed(*, older_than: timedelta | None = None, limit: int = 100) -> int:
    """Try again the refunds owed by returns not tried for `older_than`; returns how many
    are REFUNDED now. Safe to run twice at once (see the module's docstring)."""
    age = older_than
    if age is None:
        age = timedelta(minutes=settings.RETURN_REFUND_RETRY_MINUTES)
    cutoff = timezone.now() - age
    ids = list(
        ReturnRequest.objects.filter(
            refund_due__isnull=False, refund_held_at__isnull=True, status__in=OWING
        )
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
        order_id=order_id, refund_due__isnull=False, refund_held_at__isnull=True, status__in=OWING
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
    done = events.event(
        locked.order,
        EventType.RETURN_REFUNDED,
        return_id=locked.pk,
        amount=str(refund.amount),
        status=refund.status,
    )
    # Money owed to the buyer is not given back yet: payments tells them how it will be.
    told = refund.status == RefundStatus.OWED
    return _refunded(locked, amount=refund.amount, event=done, told=told)


def refund_by_hand(*, actor, return_request: ReturnRequest) -> ReturnRequest:
    """Platform staff gave a held refund back outside the platform (a bank transfer):
    the return is REFUNDED with what it owed and nothing is asked of a gateway. Only a
    held refund with no live refund under the return's key, so that no try of it can be
    under way at the gateway (a retry lifts the hold under the same row lock; a try that
    raced the hold left its refund); marking it twice does nothing more.

    A refund the gateway kept refusing is then recorded in payments as made by hand
    (DONE, under the return's key, as this staff member's), in the same transaction: the
    payment's refunded amount grows and the ledger takes exactly the returned lines'
    parts out of escrow (or the producers' balances), as for a gateway refund, so the
    sellers are never paid what the buyer got back. A payment with nothing left
    (NOTHING_LEFT) was already refunded in payments and the ledger: nothing more moves."""
    if not has_platform_perms(actor, RETRY_PERMS):
        raise permission_denied("id")
    with transaction.atomic():
        order_id = (
            ReturnRequest.objects.filter(pk=return_request.pk).values_list("order_id", flat=True)
        ).get()
        # The order before the return, as a refund's settling locks them (payments).
        Order.objects.select_for_update().filter(pk=order_id).values_list("pk").get()
        locked = (
            ReturnRequest.objects.select_for_update()
            .select_related("order")
            .get(pk=return_request.pk)
        )
        if locked.status == ReturnStatus.REFUNDED:
            return locked
        if locked.refund_held_at is None or locked.status not in OWING:
            raise DomainError.of(
                ErrorCode.INVALID_STATUS,
                "id",
                _("Only a refund held for staff can be settled by hand."),
            )
        live = Refund.objects.filter(idempotency_key=reason_of(locked)).exclude(
            status=RefundStatus.FAILED
        )
        if live.exists():
            # A try that raced the hold is still at the gateway (or went through): the
            # buyer would be given the money twice.
            raise DomainError.of(
                ErrorCode.INVALID_STATUS,
                "id",
                _("A refund of this return is under way at the gateway: wait for its answer."),
            )
        problem, amount = locked.refund_problem, locked.refund_due
        done = events.event(
            locked.order,
            EventType.RETURN_REFUNDED_BY_HAND,
            user=actor,
            return_id=locked.pk,
            amount=str(amount),
            problem=problem,
        )
        # REFUNDED first: the refund's payment_refunded then finds it so (receivers).
        _refunded(locked, amount=amount, event=done)
        if problem != RefundProblem.NOTHING_LEFT:
            _record_by_hand(locked, amount=amount, staff=actor)
        return locked


def _record_by_hand(request: ReturnRequest, *, amount: Decimal, staff) -> None:
    payment = refundable_payment(request.order)
    if payment is None:
        raise DomainError.of(
            ErrorCode.INVALID_STATUS, "id", _("This order has no payment to refund.")
        )
    reason = reason_of(request)
    refund_payment(
        actor=None,
        payment=payment,
        amount=amount,
        reason=reason,
        lines={line.order_line_id: line.quantity for line in request.lines.all()},
        idempotency_key=reason,
        by_hand_by=staff,
    )


def _refunded(
    locked: ReturnRequest, *, amount: Decimal, event: OrderEvent, told: bool = False
) -> ReturnRequest:
    """In the caller's transaction, with the return locked and not REFUNDED yet: it is
    now, having given back `amount`; nothing is owed or held any more; the buyer is told
    (unless `told` already)."""
    locked.status = ReturnStatus.REFUNDED
    locked.refunded = amount
    locked.refund_due = None
    locked.refund_held_at = None
    locked.refund_problem = ""
    locked.save(
        update_fields=[
            "status",
            "refunded",
            "refund_due",
            "refund_held_at",
            "refund_problem",
            "updated",
        ]
    )
    events.record(event)
    if not told:
        announce.return_refunded(
            order=locked.order, return_id=locked.pk, amount=amount, currency=locked.currency
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
