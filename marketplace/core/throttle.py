"""Rate limits counted in a store every web process shares, never in one process's
memory: Redis when configured (settings.CACHES["throttle"]), else a PostgreSQL table;
the table too while Redis cannot be reached.

Both count atomically: Redis's INCR, or one INSERT … ON CONFLICT DO UPDATE … RETURNING
in the database, so a burst of parallel requests from many processes cannot slip past a
limit. (Django's database cache would not do: its incr reads, then writes, and parallel
requests all read the same count.)"""

from __future__ import annotations

import contextlib
import hashlib
import logging
from datetime import timedelta

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils import timezone

from marketplace.core import redis_guard, sql
from marketplace.core.models import ThrottleCount

logger = logging.getLogger(__name__)


@sql.statement("core.throttle_count")
def _count_sql() -> str:
    table = sql.table_name(ThrottleCount)
    key, count, ends = (sql.column(ThrottleCount, name) for name in ("key", "count", "window_ends"))
    return f"""
INSERT INTO {table} AS t ({key}, {count}, {ends}) VALUES (%s, %s, now() + %s)
ON CONFLICT ({key}) DO UPDATE SET
    {count} = CASE WHEN t.{ends} <= now() THEN EXCLUDED.{count}
                   ELSE t.{count} + EXCLUDED.{count} END,
    {ends} = CASE WHEN t.{ends} <= now() THEN EXCLUDED.{ends} ELSE t.{ends} END
RETURNING {count}
"""


def _in_redis() -> bool:
    return "redis" in settings.CACHES["throttle"]["BACKEND"].lower()


def _count_in_redis(name: str, window: int, amount: int) -> int:
    cache = caches["throttle"]
    if cache.add(name, amount, window):
        return amount
    try:
        return cache.incr(name, amount)
    except ValueError:  # expired between add and incr
        cache.set(name, amount, window)
        return amount


def _give_back_in_redis(name: str, amount: int) -> None:
    cache = caches["throttle"]
    with contextlib.suppress(ValueError):  # the window ended meanwhile
        left = cache.decr(name, amount)
        if left < 0:  # a count of a new window: never below nothing
            cache.incr(name, -left)


def _count_in_database(name: str, window: int, amount: int) -> int:
    with connection.cursor() as cursor:
        cursor.execute(_count_sql(), [name, amount, timedelta(seconds=window)])
        return cursor.fetchone()[0]


def _name(scope: str, key: str) -> str:
    return f"throttle:{scope}:{hashlib.sha256(key.encode()).hexdigest()[:32]}"


def allow(scope: str, key: str, *, limit: int, window: int, amount: int = 1) -> bool:
    """Count one more `scope` event for `key`, weighing `amount`; False once more than
    `limit` were counted in the current `window` (seconds, from the first of them; 0
    counts nothing)."""
    if window <= 0:
        return True
    name = _name(scope, key)
    count = redis_guard.UNAVAILABLE
    if _in_redis():
        # Redis down, hung (its client gives up within REDIS_TIMEOUT_SECONDS) or left
        # alone after a failure: the limit holds, counted in the database table meanwhile.
        count = redis_guard.call(
            lambda: _count_in_redis(name, window, amount),
            failure=f"Throttle {scope} counted in the database",
            log=logger,
        )
    if count is redis_guard.UNAVAILABLE:
        count = _count_in_database(name, window, amount)
    return count <= limit


def give_back(scope: str, key: str, *, window: int, amount: int = 1) -> None:
    """Uncount a `scope` event counted by `allow` (weighing `amount`): for limits on
    failures, where each try is counted before it runs (so concurrent tries cannot all
    pass) and a success is then not held against the key, and for refused events."""
    if window <= 0:
        return
    name = _name(scope, key)
    if _in_redis():
        given = redis_guard.call(
            lambda: _give_back_in_redis(name, amount),
            failure=f"Throttle {scope} given back in the database",
            log=logger,
        )
        if given is not redis_guard.UNAVAILABLE:
            return
    ThrottleCount.objects.filter(key=name, window_ends__gt=timezone.now(), count__gt=0).update(
        count=Greatest(F("count") - amount, 0)
    )


def purge_expired(*, limit: int = 10000) -> int:
    """Counts whose window has ended serve nothing."""
    ids = ThrottleCount.objects.filter(window_ends__lt=timezone.now()).values_list("pk", flat=True)[
        :limit
    ]
    return ThrottleCount.objects.filter(pk__in=list(ids)).delete()[0]
