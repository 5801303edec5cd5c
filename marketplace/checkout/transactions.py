"""The transactions of checkout writes: each runs once more after a deadlock or a
serialization failure, and starts by locking its checkout row."""

from __future__ import annotations

import functools
import logging
import random
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, TypeVar

from django.conf import settings
from django.db import OperationalError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from marketplace.checkout import selectors
from marketplace.checkout.models import Checkout, CheckoutLine
from marketplace.core import sql
from marketplace.core.errors import DomainError, ErrorCode
from marketplace.core.sql import Table
from marketplace.inventory import stock
from marketplace.inventory.models import Reservation

logger = logging.getLogger("marketplace.checkout")

T = TypeVar("T")

# SQLSTATEs after which running the write again is safe: serialization_failure,
# deadlock_detected, lock_not_available.
RETRYABLE_SQLSTATES = frozenset({"40001", "40P01", "55P03"})
MAX_ATTEMPTS = 5


def _retryable(exc: OperationalError) -> bool:
    return getattr(exc.__cause__, "sqlstate", None) in RETRYABLE_SQLSTATES


def write(func: Callable[..., T]) -> Callable[..., T]:
    """Run a service in one transaction (its own when its mutation is sent alone, see
    BaseMutation.owns_transaction, else a savepoint inside the request's), again after a
    deadlock or serialization failure, with a short random pause between attempts."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> T:
        for attempt in range(1, MAX_ATTEMPTS + 1):
            try:
                with transaction.atomic():
                    return func(*args, **kwargs)
            except OperationalError as exc:
                if not _retryable(exc) or attempt == MAX_ATTEMPTS:
                    raise
                logger.info("checkout write retried after %s", exc.__cause__.__class__.__name__)
                time.sleep(random.uniform(0.005, 0.03) * attempt)
        raise AssertionError("unreachable")

    return wrapper


def not_found() -> DomainError:
    return DomainError.of(ErrorCode.NOT_FOUND, "id")


# Locks the checkout row (recording the change time) and renews its live holds, in one
# statement: the renewal joins the locked row, so it runs after the lock is taken. Only
# live holds are renewed: an expired one may have been taken by another buyer since, and
# reviving it would promise units twice. Renewals stop at CHECKOUT_MAX_HOLD_MINUTES after
# the checkout's first hold, so writes cannot keep stock from others forever. Answers
# the locked row's first hold time (no row when nothing was locked).
@sql.statement(
    "checkout.lock",
    uses=[
        sql.index(Checkout, "pk"),
        sql.index(CheckoutLine, "checkout"),
        sql.index(Reservation, "checkout_line"),
    ],
)
def _lock_sql() -> str:
    k, r, line = Table("k", Checkout), Table("r", Reservation), Table("l", CheckoutLine)
    since = sql.column(Checkout, "holding_since")
    return f"""
WITH locked AS (
    UPDATE {k.ref} SET {sql.column(Checkout, "updated")} = %s
    WHERE {k.c.token} = %s AND {k.c.order} IS NULL AND {k.c.user} IS NOT DISTINCT FROM %s
    RETURNING {k.c.token}, {k.c.holding_since}
), renewed AS (
    UPDATE {r.ref} SET {sql.column(Reservation, "reserved_until")} =
        LEAST(%s, locked.{since} + %s)
    FROM {line.ref}, locked
    WHERE {sql.on(r, "checkout_line", line)}
      AND {line.c.checkout} = locked.{sql.column(Checkout, "pk")}
      AND {r.c.reserved_until} > %s
)
SELECT {since} FROM locked
"""


def max_hold() -> timedelta:
    return timedelta(minutes=settings.CHECKOUT_MAX_HOLD_MINUTES)


def hold_deadline(checkout: Checkout, now: datetime) -> datetime:
    """Until when a hold made now lasts: the usual reservation time, cut at the
    checkout's maximum hold time."""
    deadline = stock.reservation_deadline(now)
    if checkout.holding_since is not None:
        deadline = min(deadline, checkout.holding_since + max_hold())
    return deadline


def lock(actor, checkout: Checkout) -> None:
    """Check access, lock the checkout row and renew what it holds. Completed checkouts
    and checkouts that changed hands meanwhile are refused."""
    if not selectors.can_access(actor, checkout):
        raise not_found()
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            _lock_sql(),
            [now, checkout.pk, checkout.user_id, stock.reservation_deadline(now), max_hold(), now],
        )
        row = cursor.fetchone()
    if row is not None:
        checkout.holding_since = row[0]
        return
    order_id = Checkout.objects.filter(pk=checkout.pk).values_list("order_id", flat=True).first()
    if order_id is not None:
        raise DomainError.of(
            ErrorCode.INVALID_STATUS, "id", _("This checkout has already become an order.")
        )
    raise not_found()
