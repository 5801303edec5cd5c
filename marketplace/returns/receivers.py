"""Returns' answers to other apps' signals."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

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
