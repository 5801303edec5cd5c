"""Rate limits counted in a store every web process shares (settings.CACHES["throttle"]:
Redis when configured, else a database table), never in one process's memory."""

from __future__ import annotations

import hashlib

from django.core.cache import caches


def allow(scope: str, key: str, *, limit: int, window: int) -> bool:
    """Count one more `scope` event for `key`; False once `limit` were counted in the
    current `window` (seconds, from the first of them)."""
    cache = caches["throttle"]
    name = f"throttle:{scope}:{hashlib.sha256(key.encode()).hexdigest()[:32]}"
    if cache.add(name, 1, window):
        return limit >= 1
    try:
        count = cache.incr(name)
    except ValueError:  # expired between add and incr
        cache.set(name, 1, window)
        return limit >= 1
    return count <= limit
