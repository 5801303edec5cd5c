"""Returns' answers to other apps' signals."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from marketplace.returns import refunds
from marketplace.returns.models import ReturnRequest, ReturnStatus
from marketplace.returns.selectors import OPEN_STATUSES


def open_return_blocks_completion(sender, *, order, **kwargs) -> bool:
    """An open return, or a rejection the buyer may still dispute, keeps the order (and
    its escrow) open."""
    rows = ReturnRequest.objects.filter(order_id=order.pk)
    if rows.filter(status__in=OPEN_STATUSES).exists():
        return True
    since = timezone.now() - timedelta(days=settings.RETURN_DISPUTE_DAYS)
    return rows.filter(status=ReturnStatus.REJECTED, decided_at__gt=since).exists()


def refund_settles_its_return(sender, *, refund, **kwargs) -> None:
    """A return's refund settled after the request that asked for it (the gateway's
    answer was lost and reconciliation found it done): the return is refunded too."""
    return_id = refunds.return_id_of(refund.reason or "")
    if return_id is not None and ReturnRequest.objects.filter(pk=return_id).exists():
        refunds.mark_refunded(return_id=return_id, refund=refund)


def captured_money_pays_owed_refunds(sender, *, payment, confirms=False, **kwargs) -> None:
    """The order's money is in (cash on delivery collected at the last door): refunds its
    returns were owed while nothing was charged are tried once this commits. Money that
    confirms the order just now comes before any parcel was delivered, so before any
    return: there is nothing owed to look for."""
    if confirms:
        return
    refunds.queue_owed(order_id=payment.order_id)
