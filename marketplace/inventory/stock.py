"""Stock arithmetic under concurrency.

Available = quantity − allocated (orders) − live reservations (checkouts). Every change
locks the affected stock rows (in id order, so two buyers never deadlock) or uses a
conditional UPDATE; the CHECK constraint allocated ≤ quantity is the last line of
defence. Expired reservations stop counting at once: every query compares
`reserved_until` with now, so no job has to run first.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, IntegerField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from marketplace.core.errors import DomainError, ErrorCode
from marketplace.inventory.models import Allocation, Reservation, Stock


def reservation_deadline(now: datetime | None = None) -> datetime:
    minutes = getattr(settings, "CHECKOUT_RESERVATION_MINUTES", 15)
    return (now or timezone.now()) + timedelta(minutes=minutes)


def _live_reserved(exclude_checkout=None):
    live = Reservation.objects.filter(stock=OuterRef("pk"), reserved_until__gt=timezone.now())
    if exclude_checkout is not None:
        live = live.exclude(checkout_line__checkout_id=exclude_checkout)
    return Coalesce(
        Subquery(
            live.values("stock").annotate(total=Sum("quantity")).values("total"),
            output_field=IntegerField(),
        ),
        Value(0),
    )


def stocks_with_free(variant_ids, *, exclude_checkout=None):
    """Stocks of the variants annotated with `free`: what is left to reserve."""
    return Stock.objects.filter(variant_id__in=variant_ids).annotate(
        free=F("quantity") - F("quantity_allocated") - _live_reserved(exclude_checkout)
    )


def available_quantities(variant_ids, *, exclude_checkout=None) -> dict[int, int]:
    """Units each variant can still be sold, over all warehouses (never negative)."""
    result: dict[int, int] = defaultdict(int)
    for variant_id, free in stocks_with_free(
        variant_ids, exclude_checkout=exclude_checkout
    ).values_list("variant_id", "free"):
        result[variant_id] += max(free, 0)
    return {pk: result.get(pk, 0) for pk in variant_ids}


def insufficient(field: str, available: int) -> DomainError:
    return DomainError.of(
        ErrorCode.INSUFFICIENT_STOCK,
        field,
        _("Only %(n)d left in stock.") % {"n": max(available, 0)},
    )


@transaction.atomic
def reserve(*, line, quantity: int, field: str, until: datetime | None = None) -> None:
    """Hold `quantity` units for a checkout line (replacing what it held before)."""
    stocks = list(
        Stock.objects.select_for_update().filter(variant_id=line.variant_id).order_by("pk")
    )
    free = dict(
        stocks_with_free([line.variant_id], exclude_checkout=line.checkout_id)
        .filter(pk__in=[s.pk for s in stocks])
        .values_list("pk", "free")
    )
    total = sum(max(v, 0) for v in free.values())
    if quantity > total:
        raise insufficient(field, total)
    Reservation.objects.filter(checkout_line=line).delete()
    deadline = until or reservation_deadline()
    remaining = quantity
    rows = []
    for stock in stocks:
        take = min(max(free.get(stock.pk, 0), 0), remaining)
        if take:
            rows.append(
                Reservation(checkout_line=line, stock=stock, quantity=take, reserved_until=deadline)
            )
            remaining -= take
        if not remaining:
            break
    Reservation.objects.bulk_create(rows)


def release(*, line_ids) -> None:
    Reservation.objects.filter(checkout_line_id__in=list(line_ids)).delete()


def extend(*, checkout_id, until: datetime | None = None) -> None:
    """Renew the checkout's live holds; lapsed ones stay lapsed (their units may be
    promised to someone else by now)."""
    Reservation.objects.filter(
        checkout_line__checkout_id=checkout_id, reserved_until__gt=timezone.now()
    ).update(reserved_until=until or reservation_deadline())


@transaction.atomic
def allocate(*, order_line, checkout_line_id: int | None, field: str) -> None:
    """Move units to an order line: first those its checkout line reserved, then any
    free ones; INSUFFICIENT_STOCK when the stock cannot cover it."""
    quantity = order_line.quantity
    stocks = list(
        Stock.objects.select_for_update().filter(variant_id=order_line.variant_id).order_by("pk")
    )
    own = defaultdict(int)
    if checkout_line_id is not None:
        for stock_id, qty in Reservation.objects.filter(
            checkout_line_id=checkout_line_id, reserved_until__gt=timezone.now()
        ).values_list("stock_id", "quantity"):
            own[stock_id] += qty
    free = dict(
        stocks_with_free([order_line.variant_id])
        .filter(pk__in=[s.pk for s in stocks])
        .values_list("pk", "free")
    )
    # A checkout's own live reservation counts as free for it.
    usable = {s.pk: max(free.get(s.pk, 0), 0) + own.get(s.pk, 0) for s in stocks}
    if sum(usable.values()) < quantity:
        raise insufficient(field, sum(usable.values()))
    remaining = quantity
    plan = sorted(stocks, key=lambda s: (-own.get(s.pk, 0), s.pk))
    for stock in plan:
        take = min(usable[stock.pk], remaining)
        if not take:
            continue
        updated = Stock.objects.filter(
            pk=stock.pk, quantity__gte=F("quantity_allocated") + take
        ).update(quantity_allocated=F("quantity_allocated") + take)
        if not updated:
            raise insufficient(field, 0)
        Allocation.objects.create(order_line=order_line, stock=stock, quantity=take)
        remaining -= take
        if not remaining:
            break
    if checkout_line_id is not None:
        Reservation.objects.filter(checkout_line_id=checkout_line_id).delete()


@transaction.atomic
def deallocate(*, order_line_ids) -> None:
    """Give allocated units back to their stock (cancellation, expiry)."""
    allocations = list(
        Allocation.objects.select_for_update()
        .filter(order_line_id__in=list(order_line_ids))
        .order_by("stock_id")
    )
    per_stock: dict[int, int] = defaultdict(int)
    for allocation in allocations:
        per_stock[allocation.stock_id] += allocation.quantity
    for stock_id in sorted(per_stock):
        Stock.objects.filter(pk=stock_id).update(
            quantity_allocated=F("quantity_allocated") - per_stock[stock_id]
        )
    Allocation.objects.filter(pk__in=[a.pk for a in allocations]).delete()


def delete_expired_reservations() -> int:
    deleted, _ = Reservation.objects.filter(reserved_until__lte=timezone.now()).delete()
    return deleted
