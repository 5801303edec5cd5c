"""Periodic housekeeping of checkouts."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from marketplace.accounts.models import Address
from marketplace.checkout.models import Checkout
from marketplace.orders.models import Order

ABANDONED_BATCH = 500
# A run deletes at most this many batches, so one run never holds the worker for long;
# what is left goes on the next run.
MAX_BATCHES = 20


@shared_task
def delete_abandoned_checkouts() -> int:
    """Delete anonymous checkouts untouched for CHECKOUT_ABANDONED_DAYS (30) days, with
    their lines, reservations and address copies. Idempotent: a second run finds
    nothing, and two runs at once skip each other's rows."""
    deleted = 0
    for _batch in range(MAX_BATCHES):
        count = delete_abandoned_batch()
        deleted += count
        if count < ABANDONED_BATCH:
            break
    return deleted


def delete_abandoned_batch(*, days: int | None = None, limit: int = ABANDONED_BATCH) -> int:
    """Delete up to `limit` anonymous checkouts nobody touched for `days` days
    (CHECKOUT_ABANDONED_DAYS, 30 by default) and never completed, with their lines,
    reservations, chosen deliveries and address copies. Returns how many went."""
    days = days if days is not None else getattr(settings, "CHECKOUT_ABANDONED_DAYS", 30)
    cutoff = timezone.now() - timedelta(days=days)
    with transaction.atomic():
        rows = list(
            Checkout.objects.select_for_update(skip_locked=True)
            .filter(user__isnull=True, order__isnull=True, updated__lt=cutoff)
            .order_by("updated")
            .values_list("pk", "shipping_address_id")[:limit]
        )
        if not rows:
            return 0
        Checkout.objects.filter(pk__in=[pk for pk, _a in rows]).delete()
        _delete_address_copies([a for _pk, a in rows if a is not None])
    return len(rows)


def _delete_address_copies(address_ids: Iterable[int]) -> None:
    """A checkout's address copy has no user; nothing else should point at it, and an
    order (which keeps its own copy) is checked all the same."""
    ids = list(address_ids)
    if not ids:
        return
    used = Order.objects.filter(shipping_address=OuterRef("pk"))
    Address.objects.filter(pk__in=ids, user__isnull=True).exclude(Exists(used)).exclude(
        Exists(Checkout.objects.filter(shipping_address=OuterRef("pk")))
    ).delete()
