"""Rate limits counted in a store every web process shares (settings.CACHES["throttle"]:
Redis when configured, else a database table), never in one process's memory.

Windows are fixed and aligned to the clock (each has its own key), so a counter's expiry
only has to outlive its window: Django's database cache resets the expiry on every incr.
The counter is incremented before it is created, because the database cache's add of a
key that exists rolls a savepoint back, which makes psycopg forget every statement it
had prepared on the connection."""

from __future__ import annotations

import contextlib
import hashlib
import time

from django.core.cache import caches


def _name(scope: str, key: str, window: int) -> str:
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    return f"throttle:{scope}:{digest}:{window}:{int(time.time() // window)}"


def allow(scope: str, key: str, *, limit: int, window: int) -> bool:
    """Count one more `scope` event for `key`; False once `limit` were counted in the
    current `window` (seconds; 0 counts nothing)."""
    if window <= 0:
        return True
    cache = caches["throttle"]
    name = _name(scope, key, window)
    try:
        count = cache.incr(name)
    except ValueError:
        if cache.add(name, 1, window):
            return limit >= 1
        try:
            count = cache.incr(name)
        except ValueError:  # expired between add and incr
            cache.set(name, 1, window)
            return limit >= 1
    else:
        cache.touch(name, window)
    return count <= limit


def give_back(scope: str, key: str, *, window: int) -> None:
    """Uncount one `scope` event counted by `allow`: for limits on failures, where each
    try is counted before it runs (so concurrent tries cannot all pass) and a success
    is then not held against the key."""
    if window <= 0:
        return
    with contextlib.suppress(ValueError):  # the window ended meanwhile
        caches["throttle"].decr(_name(scope, key, window))
