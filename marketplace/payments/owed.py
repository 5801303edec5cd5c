"""Refunds owed to buyers, transferred by staff.

A refund the gateway cannot make (a Shaparak payment past its reverse window, a part of
one, cash on delivery) is OWED: the ledger moves it from escrow to «Refunds owed to
buyers», and platform staff are e-mailed to transfer it to the buyer's bank account.
When they have, they record it here with the bank's reference: once, under the
refund's row lock; the ledger then moves it to «Refunded to buyers» and the buyer is
told."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from marketplace.core.errors import DomainError, ErrorCode
from marketplace.notifications import announce
from marketplace.orders import events
from marketplace.orders.events import EventType
from marketplace.orders.permissions import CHANGE_PERM
from marketplace.payments.models import Refund, RefundStatus
from marketplace.payments.signals import owed_refund_paid_out
from marketplace.sellers import permissions as seller_permissions

REFERENCE_MAX = Refund._meta.get_field("paid_out_reference").max_length


def pay_out_owed_refund(*, actor, refund_id: int, reference: str) -> Refund:
    """Record that staff transferred the OWED refund `refund_id` to the buyer's bank
    account, `reference` being the bank's reference for the transfer. Recorded once: a
    second call answers the refund as it is, whatever its reference."""
    if not seller_permissions.has_platform_perm(actor, CHANGE_PERM):
        raise DomainError.of(ErrorCode.PERMISSION_DENIED, "id")
    reference = (reference or "").strip()
    if not reference or len(reference) > REFERENCE_MAX:
        raise DomainError.of(
            ErrorCode.INVALID,
            "reference",
            _("Enter the bank's reference for the transfer (at most %(n)d characters).")
            % {"n": REFERENCE_MAX},
        )
    with transaction.atomic():
        refund = (
            Refund.objects.select_for_update(of=("self",))
            .select_related("payment__order__user", "payment__order__shipping_address")
            .filter(pk=refund_id)
            .first()
        )
        if refund is None:
            raise DomainError.of(ErrorCode.NOT_FOUND, "id")
        if refund.paid_out_at is not None:
            return refund
        if refund.status != RefundStatus.OWED:
            raise DomainError.of(
                ErrorCode.INVALID_STATUS,
                "id",
                _("Only a refund owed to the buyer is transferred to their bank account."),
            )
        refund.paid_out_at = timezone.now()
        refund.paid_out_reference = reference
        refund.paid_out_by = actor
        refund.save(update_fields=["paid_out_at", "paid_out_reference", "paid_out_by", "updated"])
        order = refund.payment.order
        events.record(
            events.event(
                order,
                EventType.REFUND_PAID_OUT,
                user=actor,
                refund=refund.pk,
                amount=str(refund.amount),
                reference=reference,
            )
        )
        owed_refund_paid_out.send(sender=Refund, refund=refund)
        announce.owed_refund_paid_out(order=order, refund=refund)
    return refund
