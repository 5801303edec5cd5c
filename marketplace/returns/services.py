"""Writes of returns: the buyer asks, the fulfiller decides, the buyer may dispute a
rejection and platform staff decide it, for good.

Order lines are locked (in id order) before the units already asked back are counted,
so two returns racing for the last unit of a line run one after the other and the
second sees the first. Refunds call the gateway outside any transaction (refunds.py).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from marketplace.catalog.media import (
    CleanImage,
    clean_image,
    delete_files_now,
    read_upload,
    store_image,
)
from marketplace.core.errors import DomainError, ErrorCode, FieldError
from marketplace.core.validators import clean_text
from marketplace.ledger.split import split_order
from marketplace.logistics.permissions import require_fulfiller
from marketplace.notifications import announce
from marketplace.orders import events
from marketplace.orders import permissions as order_permissions
from marketplace.orders.events import EventType
from marketplace.orders.models import Order, OrderLine, ShipmentStatus
from marketplace.returns import policy, refunds, selectors
from marketplace.returns.models import (
    DisputeResolution,
    ReturnLine,
    ReturnPhoto,
    ReturnReason,
    ReturnRequest,
    ReturnStatus,
)
from marketplace.sellers import permissions as seller_permissions

logger = logging.getLogger("marketplace.returns")

MAX_PHOTOS = 3
MAX_TEXT_LENGTH = 2000


@dataclass(frozen=True)
class AskedLine:
    line_id: int
    quantity: int


def _text(value: str | None, *, field: str, required: bool = False) -> str:
    # clean_text drops bidi overrides, which could make the words read differently to
    # the staff who decide.
    return clean_text(value, field=field, max_length=MAX_TEXT_LENGTH, required=required)


def _check_input(lines: list[AskedLine], reason: str, photos: list[Any]) -> None:
    if not lines:
        raise DomainError.of(ErrorCode.REQUIRED, "lines", _("Choose the items to return."))
    if len({a.line_id for a in lines}) != len(lines):
        raise DomainError.of(ErrorCode.INVALID, "lines", _("Each item may be listed once."))
    if any(a.quantity <= 0 for a in lines):
        raise DomainError.of(
            ErrorCode.INVALID, "lines", _("Return at least one unit of each item listed.")
        )
    if reason not in ReturnReason.values:
        raise DomainError.of(ErrorCode.INVALID, "reason", _("Choose a reason from the list."))
    if len(photos) > MAX_PHOTOS:
        raise DomainError.of(
            ErrorCode.INVALID, "photos", _("At most %(n)d photos are allowed.") % {"n": MAX_PHOTOS}
        )


def _clean_photos(photos: list[Any]) -> list[CleanImage]:
    cleaned = []
    for upload in photos:
        try:
            cleaned.append(clean_image(read_upload(upload)))
        except DomainError as exc:
            raise DomainError(
                *(FieldError("photos", e.code, e.message) for e in exc.errors)
            ) from None
    return cleaned


def _locked_lines(order: Order, asked: list[AskedLine]) -> list[OrderLine]:
    rows = list(
        OrderLine.objects.select_for_update(of=("self",))
        .select_related("shipment", "variant__product__category")
        .filter(order_id=order.pk, pk__in=[a.line_id for a in asked])
        .order_by("id")
    )
    if len(rows) != len(asked):
        raise DomainError.of(ErrorCode.NOT_FOUND, "lines", _("An item is not in this order."))
    return rows


def _check_returnable(rows: list[OrderLine], asked: dict[int, int], reason: str):
    shipments = {row.shipment_id for row in rows}
    if len(shipments) > 1:
        raise DomainError.of(
            ErrorCode.INVALID, "lines", _("Return the items of one parcel at a time.")
        )
    shipment = rows[0].shipment
    if shipment.status != ShipmentStatus.DELIVERED:
        raise DomainError.of(
            ErrorCode.INVALID_STATUS, "lines", _("Only delivered items can be returned.")
        )
    delivered = policy.delivered_at(shipment)
    now = timezone.now()
    rules = [policy.rules_for(row) for row in rows]
    for row, rule in zip(rows, rules, strict=True):
        if delivered is None or now > delivered + rule.window:
            raise DomainError.of(
                ErrorCode.INVALID_STATUS,
                "lines",
                _("The time to return %(product)s has passed.") % {"product": row.product_name},
            )
        if reason not in rule.reasons:
            allowed = ", ".join(str(ReturnReason(r).label) for r in sorted(rule.reasons))
            raise DomainError.of(
                ErrorCode.INVALID,
                "reason",
                _("%(product)s can be returned only for: %(reasons)s.")
                % {"product": row.product_name, "reasons": allowed},
            )
    already = selectors.returned_units([row.pk for row in rows])
    for row in rows:
        left = selectors.delivered_units(row) - already.get(row.pk, 0)
        if asked[row.pk] > left:
            raise DomainError.of(
                ErrorCode.INVALID,
                "lines",
                _("At most %(n)d units of %(product)s can be returned.")
                % {"n": max(left, 0), "product": row.product_name},
            )
    return shipment, any(rule.refund_on_receipt for rule in rules)


def _save_photos(request: ReturnRequest, photos: list[CleanImage], stored: list[str]) -> None:
    """Store the photos, naming each file in `stored` as soon as it is written."""
    for image in photos:
        row = store_image(
            ReturnPhoto,
            image,
            lambda name, image=image: ReturnPhoto.objects.create(
                request=request, image=name, width=image.width, height=image.height
            ),
        )
        stored.append(row.image.name)


def create_return(
    *,
    actor,
    order: Order,
    lines: list[AskedLine],
    reason: str,
    text: str | None = None,
    photos: list[Any] | None = None,
) -> ReturnRequest:
    """The buyer asks to return units of lines of one delivered parcel of their order."""
    photos = list(photos or [])
    if not order_permissions.is_signed_in(actor) or order.user_id != actor.pk:
        raise DomainError.of(ErrorCode.NOT_FOUND, "order")
    _check_input(lines, reason, photos)
    words = _text(text, field="text")
    # Decoding happens before any lock is taken.
    cleaned = _clean_photos(photos)
    asked = {a.line_id: a.quantity for a in lines}
    stored: list[str] = []
    try:
        request = _record_return(actor, order, lines, asked, reason, words, cleaned, stored)
    except BaseException:
        # The rows that named the files are rolled back: the files go too. (A rollback of
        # a transaction around this one leaves them to photos.delete_orphaned_photos.)
        delete_files_now(stored)
        raise
    return request


def _record_return(
    actor,
    order: Order,
    lines: list[AskedLine],
    asked: dict[int, int],
    reason: str,
    words: str,
    cleaned: list[CleanImage],
    stored: list[str],
) -> ReturnRequest:
    with transaction.atomic():
        rows = _locked_lines(order, lines)
        shipment, on_receipt = _check_returnable(rows, asked, reason)
        amount = sum(split_order(order).returned_parts(asked).values(), Decimal(0))
        request = ReturnRequest.objects.create(
            order=order,
            shipment=shipment,
            user=actor,
            reason=reason,
            text=words,
            refund_on_receipt=on_receipt,
            amount=amount,
            currency=order.currency,
        )
        ReturnLine.objects.bulk_create(
            ReturnLine(request=request, order_line=row, quantity=asked[row.pk]) for row in rows
        )
        _save_photos(request, cleaned, stored)
        events.record(
            events.event(
                order,
                EventType.RETURN_REQUESTED,
                user=actor,
                return_id=request.pk,
                reason=reason,
                lines={str(k): v for k, v in asked.items()},
            )
        )
        announce.return_opened(shipment=shipment, return_id=request.pk)
    return request


def _locked(request: ReturnRequest) -> ReturnRequest:
    return (
        ReturnRequest.objects.select_for_update(of=("self",))
        .select_related("order", "shipment")
        .get(pk=request.pk)
    )


def _in_language(order: Order, text) -> str:
    from django.utils import translation

    with translation.override(order.language or "fa"):
        return str(text)


def decide_return(
    *, actor, return_request: ReturnRequest, accept: bool, note: str | None = None
) -> ReturnRequest:
    """The fulfiller accepts (the refund is paid now, or when the goods come back if the
    category's policy says so) or rejects with a note.

    The buyer hears of it once: a refund made at once tells them it is (its message is
    the acceptance), otherwise they are told of the decision (and later of the refund)."""
    words = _text(note, field="note", required=not accept)
    with transaction.atomic():
        request = _locked(return_request)
        require_fulfiller(actor, request.shipment)
        if request.status != ReturnStatus.REQUESTED:
            raise DomainError.of(
                ErrorCode.INVALID_STATUS, "id", _("This return was already decided.")
            )
        request.status = ReturnStatus.ACCEPTED if accept else ReturnStatus.REJECTED
        request.note = words
        request.decided_at = timezone.now()
        request.decided_by = actor
        if accept and not request.refund_on_receipt:
            request.refund_due = request.amount
        request.save(
            update_fields=["status", "note", "decided_at", "decided_by", "refund_due", "updated"]
        )
        events.record(
            events.event(
                request.order,
                EventType.RETURN_ACCEPTED if accept else EventType.RETURN_REJECTED,
                user=actor,
                return_id=request.pk,
                note=words,
            )
        )
        decision = _("accepted") if accept else _("rejected")
        words_for_buyer = _in_language(request.order, decision)
        if request.refund_due is None:
            announce.return_decided(
                order=request.order, return_id=request.pk, decision=words_for_buyer
            )
    if request.refund_due is None:
        return ReturnRequest.objects.get(pk=request.pk)
    paid = refunds.pay(return_request=request)
    if paid.status != ReturnStatus.REFUNDED:
        with transaction.atomic():
            announce.return_decided(
                order=request.order, return_id=request.pk, decision=words_for_buyer
            )
    return ReturnRequest.objects.get(pk=request.pk)


def receive_return(*, actor, return_request: ReturnRequest, resellable: bool) -> ReturnRequest:
    """The goods came back to the fulfiller: resellable units go back on sale; a return
    whose refund waited for them is refunded now."""
    with transaction.atomic():
        request = _locked(return_request)
        require_fulfiller(actor, request.shipment)
        if request.received_at is not None or request.status not in (
            ReturnStatus.ACCEPTED,
            ReturnStatus.REFUNDED,
        ):
            raise DomainError.of(
                ErrorCode.INVALID_STATUS, "id", _("Only an accepted return can be received.")
            )
        if resellable:
            refunds.restock(request)
        request.received_at = timezone.now()
        waiting = request.status == ReturnStatus.ACCEPTED
        if waiting:
            request.status = ReturnStatus.RECEIVED
            request.refund_due = request.refund_due or request.amount
        request.save(update_fields=["received_at", "status", "refund_due", "updated"])
        events.record(
            events.event(
                request.order,
                EventType.RETURN_RECEIVED,
                user=actor,
                return_id=request.pk,
                resellable=resellable,
            )
        )
    if waiting:
        refunds.pay(return_request=request)
    return ReturnRequest.objects.get(pk=request.pk)


def dispute_return(*, actor, return_request: ReturnRequest, text: str | None) -> ReturnRequest:
    """The buyer disputes a rejection, within RETURN_DISPUTE_DAYS of it."""
    words = _text(text, field="text", required=True)
    with transaction.atomic():
        request = _locked(return_request)
        if not order_permissions.is_signed_in(actor) or request.order.user_id != actor.pk:
            raise DomainError.of(ErrorCode.NOT_FOUND, "id")
        if request.status != ReturnStatus.REJECTED:
            raise DomainError.of(
                ErrorCode.INVALID_STATUS, "id", _("Only a rejected return can be disputed.")
            )
        if timezone.now() > dispute_deadline(request):
            raise DomainError.of(
                ErrorCode.INVALID_STATUS, "id", _("The time to dispute this decision has passed.")
            )
        request.status = ReturnStatus.DISPUTED
        request.dispute_text = words
        request.disputed_at = timezone.now()
        request.save(update_fields=["status", "dispute_text", "disputed_at", "updated"])
        events.record(
            events.event(request.order, EventType.RETURN_DISPUTED, user=actor, return_id=request.pk)
        )
        announce.return_disputed(shipment=request.shipment, return_id=request.pk)
    return request


def dispute_deadline(request: ReturnRequest):
    if request.decided_at is None:
        return None
    return request.decided_at + timedelta(days=settings.RETURN_DISPUTE_DAYS)


RESOLUTION_WORDS = {
    DisputeResolution.FULL: _("refunded in full"),
    DisputeResolution.PART: _("refunded in part"),
    DisputeResolution.NONE: _("not refunded"),
}


def resolve_dispute(
    *,
    actor,
    return_request: ReturnRequest,
    resolution: str,
    amount: Decimal | None = None,
    note: str | None = None,
) -> ReturnRequest:
    """Platform staff's final word on a disputed return: refund in full, in part, or not.
    Staff who may decide are those e-mailed of the dispute (announce.DISPUTE_PERMS)."""
    if not seller_permissions.has_platform_perms(actor, announce.DISPUTE_PERMS):
        raise DomainError.of(ErrorCode.PERMISSION_DENIED, "id")
    if resolution not in DisputeResolution.values:
        raise DomainError.of(ErrorCode.INVALID, "resolution")
    words = _text(note, field="note")
    with transaction.atomic():
        request = _locked(return_request)
        if request.status != ReturnStatus.DISPUTED:
            raise DomainError.of(
                ErrorCode.INVALID_STATUS, "id", _("Only a disputed return can be decided.")
            )
        refund = _dispute_amount(request, resolution, amount)
        request.resolution = resolution
        request.resolution_note = words
        request.resolved_at = timezone.now()
        if refund == 0:
            request.status = ReturnStatus.CLOSED
        else:
            request.status = ReturnStatus.ACCEPTED
            request.refund_due = refund
        request.save(
            update_fields=[
                "resolution",
                "resolution_note",
                "resolved_at",
                "status",
                "refund_due",
                "updated",
            ]
        )
        events.record(
            events.event(
                request.order,
                EventType.RETURN_DISPUTE_DECIDED,
                user=actor,
                return_id=request.pk,
                resolution=resolution,
                amount=str(refund),
            )
        )
        announce.return_resolved(
            order=request.order,
            return_id=request.pk,
            decision=_in_language(request.order, RESOLUTION_WORDS[DisputeResolution(resolution)]),
        )
    if refund > 0:
        refunds.pay(return_request=request)
    return ReturnRequest.objects.get(pk=request.pk)


def _dispute_amount(request: ReturnRequest, resolution: str, amount: Decimal | None) -> Decimal:
    if resolution == DisputeResolution.NONE:
        return Decimal(0)
    if resolution == DisputeResolution.FULL:
        return request.amount
    if amount is None or not amount.is_finite() or amount <= 0 or amount >= request.amount:
        raise DomainError.of(
            ErrorCode.INVALID,
            "amount",
            _("A partial refund is more than zero and less than %(amount)s.")
            % {"amount": request.amount},
        )
    return amount
