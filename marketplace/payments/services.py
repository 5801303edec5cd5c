"""Writes to payments: asking the provider to start a payment, settling what a gateway
verified (callback, webhook, reconciliation) and refunds.

Network calls to a provider always happen outside a transaction; what they answer is
then written in a short transaction that locks the order, then the payment (always in
that order, as orders.services does; payments/locks.py), re-reads them and changes them
only if they are still in the state the answer applies to. The one exception is a
started payment's usual answer, which changes the payment alone by a conditional update
(request_payment). The same callback or webhook twice, or two
racing each other, therefore has one effect: the second finds the payment CHARGED.
Every exchange with a provider is kept verbatim as a Transaction.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.db import DataError, IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from marketplace.accounts.models import User
from marketplace.channels.money import quantize
from marketplace.core.errors import DomainError, ErrorCode
from marketplace.notifications import announce
from marketplace.orders import events
from marketplace.orders.events import EventType
from marketplace.orders.models import Order, OrderStatus
from marketplace.orders.permissions import CHANGE_PERM
from marketplace.payments import writes
from marketplace.payments.gateways import (
    GatewayResponse,
    GatewayUnavailable,
    PaymentGateway,
    WebhookNotice,
    get_gateway,
)
from marketplace.payments.locks import lock_order_and_payment
from marketplace.payments.models import (
    Payment,
    PaymentStatus,
    Refund,
    RefundLine,
    RefundStatus,
    WebhookEvent,
)
from marketplace.payments.selectors import CAPTURED, by_reference
from marketplace.payments.signals import payment_captured, payment_refunded
from marketplace.sellers import permissions as seller_permissions

logger = logging.getLogger("marketplace.payments")

CAPTURED_STATUSES = frozenset(CAPTURED)


def _unanswered(kind: str, exc: GatewayUnavailable) -> GatewayResponse:
    return GatewayResponse(status="", kind=kind, is_success=False, raw=exc.raw)


def _is_current(order: Order, payment: Payment) -> bool:
    latest = order.payments.order_by("-created", "-id").values_list("pk", flat=True).first()
    return latest == payment.pk


# ---------------------------------------------------------------- starting


def request_payment(*, payment: Payment) -> Payment:
    """Ask the provider to start `payment` (PENDING, committed, without a reference):
    store its reference and the buyer's next step, or mark it FAILED when the provider
    refuses or cannot be reached (the buyer tries again with orderPay; nothing was
    charged, as the buyer never reached the payment page)."""
    gateway = get_gateway(payment.gateway)
    try:
        response = gateway.start(payment, payment.return_url or None)
    except GatewayUnavailable as exc:
        logger.warning("gateway %s did not start payment %s: %s", payment.gateway, payment.pk, exc)
        response = GatewayResponse(
            status=PaymentStatus.FAILED, kind="start", is_success=False, raw=exc.raw
        )
    if response.is_success and response.status == PaymentStatus.PENDING:
        # The usual answer changes the payment alone, in one statement that also keeps
        # the exchange: stored only while the payment still waits for it (PENDING, no
        # reference), which decides against a racing settlement or expiry; the order is
        # not touched.
        try:
            stored = writes.store_start(payment, response)
        except (IntegrityError, DataError):
            # An answer that cannot be stored is no start: kept below, and failed.
            logger.exception("gateway %s answered payment %s unstorably", gateway.id, payment.pk)
            response = GatewayResponse(
                status=PaymentStatus.FAILED, kind="start", is_success=False, raw=response.raw
            )
        else:
            return payment if stored else Payment.objects.get(pk=payment.pk)
    with transaction.atomic():
        order, locked = lock_order_and_payment(payment_id=payment.pk, order_id=payment.order_id)
        writes.keep(locked, response)
        if locked.status != PaymentStatus.PENDING or locked.psp_reference:
            return locked
        _fail(order, locked, reason="start")
    return locked


def _fail(order: Order, payment: Payment, *, reason: str) -> None:
    payment.status = PaymentStatus.FAILED
    payment.save(update_fields=["status", "updated"])
    if order.status == OrderStatus.UNCONFIRMED and _is_current(order, payment):
        order.payment_status = PaymentStatus.FAILED
        order.save(update_fields=["payment_status", "updated"])
        announce.payment_failed(order=order, payment_id=payment.pk)
    events.record(
        events.event(order, EventType.PAYMENT_FAILED, gateway=payment.gateway, reason=reason)
    )


# ---------------------------------------------------------------- settling


@dataclass
class Settlement:
    payment: Payment | None
    paid: bool
    # A payment taken for an order that no longer wanted it (canceled, or already paid
    # by another payment): refunded at once.
    refunded: bool = False


def settle(*, payment: Payment, response: GatewayResponse) -> Settlement:
    """Apply what the gateway verified about `payment`. CHARGED needs the amount and
    currency to equal the payment's; anything else paid is treated as not paid."""
    paid = response.status == PaymentStatus.CHARGED and response.is_success
    if paid and (response.amount is None or response.amount != payment.total):
        logger.warning(
            "payment %s: gateway amount %s != %s", payment.pk, response.amount, payment.total
        )
        paid = False
    with transaction.atomic():
        order, locked = lock_order_and_payment(payment_id=payment.pk, order_id=payment.order_id)
        writes.keep(locked, response)
        if locked.status in CAPTURED_STATUSES:
            return Settlement(locked, paid=True)
        if not paid:
            if response.status != PaymentStatus.PENDING and locked.status == PaymentStatus.PENDING:
                _fail(order, locked, reason=response.kind)
            return Settlement(locked, paid=False)
        orphan = _capture(order, locked)
    if orphan:
        refund_payment(
            actor=None,
            payment=locked,
            amount=locked.captured_amount,
            reason="paid after the order was canceled or paid otherwise",
        )
        locked.refresh_from_db()
    return Settlement(locked, paid=True, refunded=orphan)


def _capture(order: Order, payment: Payment) -> bool:
    """Mark `payment` CHARGED and confirm its order, which is then announced and its
    money posted into escrow; returns True when the order no longer wanted this money."""
    orphan = not writes.capture(order=order, payment=payment, amount=payment.total)
    history = [
        events.event(
            order,
            EventType.PAYMENT_CAPTURED,
            gateway=payment.gateway,
            total=str(payment.total),
            reference=payment.psp_reference,
        )
    ]
    if not orphan:
        history.append(events.event(order, EventType.CONFIRMED, reason=payment.gateway))
        announce.queue_order_placed(order=order, paid=True)
    else:
        logger.error("payment %s captured for order %s in %s", payment.pk, order.pk, order.status)
    events.record(*history)
    if not orphan:
        # Money the order no longer wanted is refunded at once (see settle): it never
        # becomes the order's, so the ledger is not told of it.
        payment.order = order
        payment_captured.send(
            sender=Payment,
            payment=payment,
            amount=payment.captured_amount,
            order=order,
            confirms=True,
        )
    return orphan


def handle_callback(*, gateway_id: str, authority: str, status: str) -> Settlement:
    """A buyer back from a redirect gateway with `Authority` and `Status`. Nothing is
    believed on the callback's word: OK is verified with the gateway first."""
    gateway = get_gateway(gateway_id)
    payment = by_reference(gateway_id, authority) if gateway is not None else None
    if payment is None:
        logger.warning("callback for unknown payment: %s %r", gateway_id, authority[:64])
        return Settlement(None, paid=False)
    if payment.status in CAPTURED_STATUSES:
        return Settlement(payment, paid=True)
    if status != "OK":
        response = GatewayResponse(
            status=PaymentStatus.FAILED,
            kind="callback",
            is_success=False,
            amount=Decimal(0),
            raw={"Authority": authority, "Status": status[:10]},
        )
        return settle(payment=payment, response=response)
    return _verify(gateway, payment, {"Authority": authority, "Status": status})


def _verify(gateway: PaymentGateway, payment: Payment, data: dict) -> Settlement:
    try:
        response = gateway.verify_callback(payment, data)
    except GatewayUnavailable as exc:
        # Unknown: the payment stays PENDING until the buyer returns or reconciliation.
        logger.warning("gateway %s unreachable verifying %s: %s", gateway.id, payment.pk, exc)
        writes.keep(payment, _unanswered("verify", exc))
        return Settlement(payment, paid=False)
    return settle(payment=payment, response=response)


def handle_webhook(*, gateway_id: str, notice: WebhookNotice) -> bool:
    """A verified webhook: handled once per event id (a replay, even a day later, is a
    no-op), then the payment it names is verified with the gateway and settled. Returns
    False when the gateway could not be asked, so the provider should send it again."""
    try:
        with transaction.atomic():
            event = WebhookEvent.objects.create(
                gateway=gateway_id, event_id=notice.event_id[:255], type=notice.type[:100]
            )
    except IntegrityError:
        logger.info("webhook %s %s seen before", gateway_id, notice.event_id[:64])
        return True
    gateway = get_gateway(gateway_id)
    payment = by_reference(gateway_id, notice.reference) if gateway is not None else None
    if payment is None:
        if notice.reference:
            logger.warning("webhook %s for unknown %r", gateway_id, notice.reference[:64])
        return True
    if payment.status in CAPTURED_STATUSES:
        return True
    try:
        response = gateway.verify_callback(payment, {"event": notice.event_id})
    except GatewayUnavailable as exc:
        writes.keep(payment, _unanswered("verify", exc))
        # Forget the event, so the provider's retry is handled.
        event.delete()
        return False
    settle(payment=payment, response=response)
    return True


def reconcile_pending(*, older_than: timedelta | None = None, limit: int = 200) -> int:
    """Ask the gateways about payments left PENDING (a buyer who paid and closed the tab)
    and settle them as a callback would. Returns how many were settled."""
    age = older_than
    if age is None:
        age = timedelta(minutes=settings.PAYMENT_RECONCILE_AFTER_MINUTES)
    rows = list(
        Payment.objects.filter(status=PaymentStatus.PENDING, created__lte=timezone.now() - age)
        .exclude(psp_reference="")
        .order_by("created", "id")[:limit]
    )
    settled = 0
    for payment in rows:
        gateway = get_gateway(payment.gateway)
        if gateway is None or not gateway.calls_provider:
            continue
        try:
            response = gateway.inquire(payment)
        except GatewayUnavailable as exc:
            logger.info("reconciliation: %s unreachable for %s: %s", gateway.id, payment.pk, exc)
            continue
        if response.status != PaymentStatus.PENDING:
            settle(payment=payment, response=response)
            settled += 1
    return settled


def record_cash_payment(*, payment: Payment, amount: Decimal | None = None) -> Payment:
    """Cash on delivery: the fulfillers collected `amount` at the doors (the payment's
    total unless given: less when units were packed short). The fulfilment step calls
    this (it checks who may); a second call changes nothing."""
    with transaction.atomic():
        order, locked = lock_order_and_payment(payment_id=payment.pk, order_id=payment.order_id)
        gateway = get_gateway(locked.gateway)
        if gateway is None or not gateway.confirms_at_once:
            raise DomainError.of(
                ErrorCode.PAYMENT_ERROR, "id", _("Only cash on delivery is paid at the door.")
            )
        if locked.status in CAPTURED_STATUSES:
            return locked
        captured = locked.total if amount is None else quantize(amount, locked.currency)
        if captured < 0 or captured > locked.total:
            raise DomainError.of(
                ErrorCode.INVALID, "amount", _("The cash collected is more than the total.")
            )
        locked.status = PaymentStatus.CHARGED
        locked.captured_amount = captured
        locked.captured_at = timezone.now()
        locked.save(update_fields=["status", "captured_amount", "captured_at", "updated"])
        order.payment_status = PaymentStatus.CHARGED
        order.save(update_fields=["payment_status", "updated"])
        events.record(
            events.event(
                order, EventType.PAYMENT_CAPTURED, gateway=locked.gateway, total=str(locked.total)
            )
        )
        payment_captured.send(
            sender=Payment,
            payment=locked,
            amount=locked.captured_amount,
            order=order,
            confirms=False,
        )
    return locked


# ---------------------------------------------------------------- refunds


def _refundable(payment: Payment) -> Decimal:
    return payment.captured_amount - payment.refunded_amount


class MoreThanLeft(DomainError):
    """A refund asked for more than the payment has left to give back (checked under the
    order's lock, after a live refund under the same key was looked for): asking again
    cannot help until someone changes the payment or the sum."""


def _reserve(
    actor,
    payment_id: int,
    amount: Decimal,
    reason: str,
    lines: dict[int, int] | None = None,
    key: str = "",
    by_hand: bool = False,
) -> tuple[Payment, Refund, bool]:
    """(the payment, its refund, whether the refund is new). A live refund made under
    `key` is answered instead of a new one: the order's lock makes two requests with
    the same key run one after the other, so the second finds the first's."""
    with transaction.atomic():
        _order, payment = lock_order_and_payment(payment_id=payment_id)
        earlier = (
            Refund.objects.filter(idempotency_key=key).exclude(status=RefundStatus.FAILED).first()
            if key
            else None
        )
        if earlier is not None:
            return payment, earlier, False
        if payment.status not in CAPTURED_STATUSES:
            raise DomainError.of(
                ErrorCode.INVALID_STATUS, "amount", _("Only a charged payment can be refunded.")
            )
        if amount != quantize(amount, payment.currency):
            # Money is exact: a fraction of the currency's unit is refused, not rounded.
            raise DomainError.of(
                ErrorCode.INVALID, "amount", _("The amount must be a positive sum of money.")
            )
        beyond = _("A refund must be more than zero and at most what was paid less refunds.")
        if amount <= 0:
            raise DomainError.of(ErrorCode.INVALID, "amount", beyond)
        if amount > _refundable(payment):
            raise MoreThanLeft.of(ErrorCode.INVALID, "amount", beyond)
        # The amount is reserved before the provider is called, so two refunds at once
        # never give back more than was captured (the CHECK constraint holds it too).
        Payment.objects.filter(pk=payment.pk).update(
            refunded_amount=F("refunded_amount") + amount, updated=timezone.now()
        )
        payment.refresh_from_db()
        user = actor if getattr(actor, "is_authenticated", False) else None
        refund = Refund.objects.create(
            payment=payment,
            amount=amount,
            status=RefundStatus.PENDING,
            reason=reason,
            idempotency_key=key,
            user=user,
            by_hand=by_hand,
        )
        RefundLine.objects.bulk_create(
            RefundLine(refund=refund, order_line_id=line_id, quantity=quantity)
            for line_id, quantity in (lines or {}).items()
        )
    return payment, refund, True


def _settle_refund(refund: Refund, response: GatewayResponse | None, actor) -> tuple[Refund, bool]:
    """Apply the provider's answer to a PENDING refund; (the refund, whether this call
    settled it). A refund settled meanwhile (another reconciliation) is left alone."""
    with transaction.atomic():
        order, payment = lock_order_and_payment(payment_id=refund.payment_id)
        refund = Refund.objects.select_for_update().get(pk=refund.pk)
        if response is None:
            # The provider did not answer: the refund stays PENDING, its amount reserved,
            # until reconciliation asks the provider (reconcile_refunds).
            return refund, False
        writes.keep(payment, response)
        if refund.status != RefundStatus.PENDING or response.status == RefundStatus.PENDING:
            return refund, False
        if response.status not in {RefundStatus.DONE, RefundStatus.OWED}:
            Payment.objects.filter(pk=payment.pk).update(
                refunded_amount=F("refunded_amount") - refund.amount, updated=timezone.now()
            )
            refund.status = RefundStatus.FAILED
            refund.save(update_fields=["status", "updated"])
            return refund, True
        refund.status = response.status
        refund.psp_reference = response.psp_reference
        refund.save(update_fields=["status", "psp_reference", "updated"])
        payment.status = (
            PaymentStatus.REFUNDED
            if payment.refunded_amount >= payment.captured_amount
            else PaymentStatus.PARTIALLY_REFUNDED
        )
        payment.save(update_fields=["status", "updated"])
        if _is_current(order, payment) or order.payment_status in CAPTURED_STATUSES:
            order.payment_status = payment.status
            order.save(update_fields=["payment_status", "updated"])
        events.record(
            events.event(
                order,
                EventType.PAYMENT_REFUNDED,
                user=actor,
                amount=str(refund.amount),
                status=refund.status,
                reason=refund.reason,
            )
        )
        payment_refunded.send(sender=Payment, payment=payment, refund=refund)
        if refund.status == RefundStatus.OWED:
            announce.refund_owed(order=order, refund=refund)
    return refund, True


def refund_payment(
    *,
    actor,
    payment: Payment,
    amount: Decimal,
    reason: str = "",
    lines: dict[int, int] | None = None,
    idempotency_key: str = "",
    by_hand_by: User | None = None,
) -> Refund:
    """Give `amount` of `payment` back through the gateway that took it: at most what was
    captured less what was refunded. The gateway refunds (Stripe), reverses (Shaparak,
    while allowed) or the refund is recorded as OWED to the buyer's bank account.

    `actor` is platform staff (orders.change_order), or None for the platform's own
    decisions (short packing, accepted returns: their callers check their own rules).
    `lines` (order line id → units) names what is given back, so the ledger reverses
    exactly those lines' parts. With `idempotency_key`, a refund already made or in
    progress under that key is answered as it is (the provider is not asked again);
    only after a FAILED one is a new refund made. More than is left raises MoreThanLeft.
    `by_hand_by`: staff gave it back outside the gateway (a bank transfer), checked by
    the caller; the refund is DONE as theirs and the gateway is not asked.
    """
    if actor is not None and not seller_permissions.has_platform_perm(actor, CHANGE_PERM):
        raise DomainError.of(ErrorCode.PERMISSION_DENIED, "id")
    gateway = get_gateway(payment.gateway)
    if gateway is None:
        raise DomainError.of(ErrorCode.PAYMENT_ERROR, "id", _("This payment method is gone."))
    payment, refund, new = _reserve(
        actor or by_hand_by,
        payment.pk,
        Decimal(amount),
        reason[:200],
        lines,
        idempotency_key[:100],
        by_hand=by_hand_by is not None,
    )
    if not new:
        return refund
    if by_hand_by is not None:
        done = GatewayResponse(status=RefundStatus.DONE, kind="refund", amount=refund.amount)
        return _settle_refund(refund, done, actor or by_hand_by)[0]
    try:
        response: GatewayResponse | None = gateway.refund(
            payment, refund.amount, reference=str(refund.pk)
        )
    except GatewayUnavailable as exc:
        logger.warning("refund %s: %s unreachable: %s", refund.pk, gateway.id, exc)
        writes.keep(payment, _unanswered("refund", exc))
        response = None
    except DomainError:
        # The method cannot refund online (cash on delivery): owed to the buyer.
        response = GatewayResponse(status=RefundStatus.OWED, kind="refund", amount=refund.amount)
    return _settle_refund(refund, response, actor)[0]


def reconcile_refunds(*, older_than: timedelta | None = None, limit: int = 200) -> int:
    """Ask the gateways about refunds left PENDING because the provider's answer was
    lost (a timeout, a 5xx) and settle each exactly once: the settling re-checks the
    refund under its row lock. Returns how many were settled."""
    age = older_than
    if age is None:
        age = timedelta(minutes=settings.PAYMENT_RECONCILE_AFTER_MINUTES)
    rows = list(
        Refund.objects.filter(status=RefundStatus.PENDING, created__lte=timezone.now() - age)
        .select_related("payment")
        .order_by("created", "id")[:limit]
    )
    settled = 0
    for refund in rows:
        gateway = get_gateway(refund.payment.gateway)
        if gateway is None:
            continue
        try:
            response = gateway.inquire_refund(refund.payment, refund)
        except GatewayUnavailable as exc:
            logger.info("refund reconciliation: %s unreachable for %s", gateway.id, refund.pk)
            writes.keep(refund.payment, _unanswered("refund_inquiry", exc))
            continue
        settled += _settle_refund(refund, response, None)[1]
    return settled
