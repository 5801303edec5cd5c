"""Stock arithmetic under concurrency.

Available = quantity − allocated (orders) − live reservations (checkouts). Every change
locks the affected stock rows (in id order, so two buyers never deadlock) or uses a
conditional UPDATE; the CHECK constraint allocated ≤ quantity is the last line of
defence. Expired reservations stop counting at once: every query compares
`reserved_until` with now, so no job has to run first.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import NamedTuple, Protocol

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, IntegerField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from marketplace.core import sql
from marketplace.core.errors import DomainError, ErrorCode, ErrorCollector
from marketplace.core.sql import Table
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


class Allocating(Protocol):
    """An order line as allocation needs it (saved, so it has a pk)."""

    pk: int
    variant_id: int
    quantity: int


STOCK, RESERVATION = Table("s", Stock), Table("r", Reservation)


# Moves units in one statement: the stock rows' conditional UPDATE (the rows are
# already locked, so it is the CHECK constraint's twin rather than the guard), the
# allocations and the end of the checkout lines' reservations. Returns the stock rows
# that moved; a row missing means its units were not there and the caller rolls back.
@sql.statement(
    "inventory.move_units",
    uses=[sql.index(Stock, "pk"), sql.index(Reservation, "checkout_line")],
)
def _move_sql() -> str:
    s = STOCK
    columns = ", ".join(
        sql.column(Allocation, name) for name in ("order_line", "stock", "quantity")
    )
    allocated = sql.column(Stock, "quantity_allocated")
    return f"""
WITH moved AS (
    UPDATE {s.ref} SET {allocated} = {s.c.quantity_allocated} + m.take
    FROM unnest(%s::bigint[], %s::integer[]) AS m(stock_id, take)
    WHERE {s.c.id} = m.stock_id AND {s.c.quantity} >= {s.c.quantity_allocated} + m.take
    RETURNING {s.c.id}
), allocated AS (
    INSERT INTO {sql.table_name(Allocation)} ({columns})
    SELECT * FROM unnest(%s::bigint[], %s::bigint[], %s::integer[])
), released AS (
    DELETE FROM {sql.table_name(Reservation)}
     WHERE {sql.column(Reservation, "checkout_line")} = ANY(%s::bigint[])
)
SELECT {sql.quote(Stock._meta.pk.column)} FROM moved
"""


class Usable(NamedTuple):
    """A stock row as allocation reads it, with the live reservations' units: all of
    them, and those of the checkout lines being turned into an order."""

    id: int
    variant_id: int
    quantity: int
    quantity_allocated: int
    reserved: int
    mine: int


@sql.statement(
    "inventory.usable_by_stock",
    uses=[sql.index(Stock, "pk"), sql.index(Reservation, "stock")],
)
def _usable_sql() -> str:
    s, r = STOCK, RESERVATION
    live = f"{r.c.reserved_until} > %s"
    columns = sql.named(
        Usable,
        id=s.c.id,
        variant_id=s.c.variant,
        quantity=s.c.quantity,
        quantity_allocated=s.c.quantity_allocated,
        reserved=f"COALESCE(SUM({r.c.quantity}) FILTER (WHERE {live}), 0)",
        mine=f"""COALESCE(SUM({r.c.quantity}) FILTER (
           WHERE {live} AND {r.c.checkout_line} = ANY(%s::bigint[])), 0)""",
    )
    return f"""
SELECT {columns}
  FROM {s.ref} {sql.join(r, sql.on(r, "stock", s), outer=True)}
 WHERE {s.c.id} = ANY(%s::bigint[])
 GROUP BY {s.c.id}
"""


def _usable_by_stock(
    stock_ids: list[int], checkout_line_ids: list[int]
) -> list[tuple[int, int, int, int]]:
    """(stock id, variant id, usable units, units the checkout lines hold there) per
    stock: what is neither allocated nor held by anyone else's live reservation."""
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(_usable_sql(), [now, now, checkout_line_ids, stock_ids])
        rows = [Usable._make(row) for row in cursor.fetchall()]
    return [
        (
            row.id,
            row.variant_id,
            max(row.quantity - row.quantity_allocated - (row.reserved - row.mine), 0),
            row.mine,
        )
        for row in rows
    ]


class Free(NamedTuple):
    stock_id: int
    free: int


@sql.statement(
    "inventory.free_by_stock",
    uses=[sql.index(Stock, "pk"), sql.index(Reservation, "stock")],
)
def _free_sql() -> str:
    s, r = STOCK, RESERVATION
    line = Table("l", Reservation.checkout_line.field.related_model)
    held_by_others = f"""COALESCE((
       SELECT SUM({r.c.quantity}) FROM {r.ref}
         {sql.join(line, sql.on(r, "checkout_line", line))}
        WHERE {sql.on(r, "stock", s)} AND {r.c.reserved_until} > %s
          AND {line.c.checkout} <> %s), 0)"""
    columns = sql.named(
        Free,
        stock_id=s.c.id,
        free=f"{s.c.quantity} - {s.c.quantity_allocated} - {held_by_others}",
    )
    return f"SELECT {columns}\n  FROM {s.ref}\n WHERE {s.c.id} = ANY(%s::bigint[])"


def free_by_stock(stock_ids: list[int], *, exclude_checkout) -> dict[int, int]:
    """`free` of `stocks_with_free` for these stock rows, leaving out what the checkout
    `exclude_checkout` holds: one hand-written statement, as every change of a cart's
    lines runs it."""
    with connection.cursor() as cursor:
        cursor.execute(_free_sql(), [timezone.now(), exclude_checkout, stock_ids])
        rows = [Free._make(row) for row in cursor.fetchall()]
    return {row.stock_id: row.free for row in rows}


class LockedStock(NamedTuple):
    id: int
    variant_id: int


@sql.statement("inventory.lock_stocks", uses=[sql.index(Stock, "variant")])
def _lock_sql() -> str:
    s = STOCK
    return f"""
SELECT {sql.named(LockedStock, id=s.c.id, variant_id=s.c.variant)}
  FROM {s.ref}
 WHERE {s.c.variant} = ANY(%s::bigint[])
 ORDER BY {s.c.id}
   FOR UPDATE
"""


def locked_stocks(variant_ids: list[int]) -> list[LockedStock]:
    """The variants' stock rows, locked in id order (the global lock order)."""
    with connection.cursor() as cursor:
        cursor.execute(_lock_sql(), [variant_ids])
        return [LockedStock._make(row) for row in cursor.fetchall()]


# No savepoint of its own: a refusal rolls back the caller's transaction, as it must.
@transaction.atomic(savepoint=False)
def allocate(*, lines: Sequence[tuple[Allocating, int | None, str]]) -> bool:
    """Move units to order lines, given as (order line, its checkout line id or None,
    the error field): first the units the checkout's own live reservations hold, then
    free ones. Every line that cannot be covered fails, with what is left of it
    (INSUFFICIENT_STOCK). A fixed number of queries whatever the number of lines: one
    lock over all the stock rows, in id order (the global lock order), one read of what
    is usable, one statement that moves the units. Returns whether the availability
    the catalogue shows changed (a line took units beyond what it held, or held more)."""
    if not lines:
        return False
    variant_ids = sorted({line.variant_id for line, _c, _f in lines})
    locked = [row.id for row in locked_stocks(variant_ids)]
    # A new snapshot, after the locks: what competitors committed while we waited counts.
    checkout_line_ids = sorted({c for _l, c, _f in lines if c is not None})
    per_variant: dict[int, list[list[int]]] = defaultdict(list)
    own: dict[int, int] = {}
    for pk, variant_id, usable, mine in _usable_by_stock(locked, checkout_line_ids):
        per_variant[variant_id].append([pk, usable, mine])
        own[pk] = mine
    for stocks in per_variant.values():
        # The stock rows the lines hold units in first, so those units are the ones used.
        stocks.sort(key=lambda row: (-row[2], row[0]))
    errors = ErrorCollector()
    takes: dict[int, int] = defaultdict(int)
    allocations: list[tuple[int, int, int]] = []
    for line, _checkout_line_id, field in lines:
        stocks = per_variant.get(line.variant_id, [])
        available = sum(row[1] for row in stocks)
        if line.quantity > available:
            errors.extend(insufficient(field, available))
            continue
        remaining = line.quantity
        for row in stocks:
            take = min(row[1], remaining)
            if take:
                row[1] -= take
                takes[row[0]] += take
                allocations.append((line.pk, row[0], take))
                remaining -= take
            if not remaining:
                break
    errors.raise_if_any()
    stock_ids = sorted(takes)
    with connection.cursor() as cursor:
        cursor.execute(
            _move_sql(),
            [
                stock_ids,
                [takes[pk] for pk in stock_ids],
                [a[0] for a in allocations],
                [a[1] for a in allocations],
                [a[2] for a in allocations],
                checkout_line_ids,
            ],
        )
        moved = {row[0] for row in cursor.fetchall()}
    if moved != set(stock_ids):
        short = next(pk for pk in stock_ids if pk not in moved)
        field_of = {line.pk: field for line, _c, field in lines}
        raise insufficient(next(field_of[a[0]] for a in allocations if a[1] == short), 0)
    return any(takes.get(pk, 0) != mine for pk, mine in own.items())


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
