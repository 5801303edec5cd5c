"""How the web processes and the Celery broker talk to Redis.

A Redis that is down or hung must not hold a web worker: without timeouts a stopped
(SIGSTOP) Redis kept each request waiting until gunicorn killed the worker, and kombu
kept reconnecting for seconds before giving up a publish. Every client gives up within
seconds, and its caller goes on without Redis: reads answer uncached
(marketplace/core/versioning.py, marketplace/api/core/cache.py), throttles count in the
database (marketplace/core/throttle.py), jobs wait in the outbox for its sweep
(marketplace/core/outbox.py)."""

from __future__ import annotations

import os
from typing import Any

TIMEOUT_SECONDS = float(os.environ.get("REDIS_TIMEOUT_SECONDS", "1"))

BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 2 * TIMEOUT_SECONDS,
    "socket_timeout": 2 * TIMEOUT_SECONDS,
    # One more try at once when publishing, rather than kombu's seconds of retries.
    "max_retries": 1,
    "interval_start": 0,
}


def cache(url: str) -> dict[str, Any]:
    """A Django cache on the Redis at `url`."""
    return {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": url,
        "OPTIONS": {"socket_connect_timeout": TIMEOUT_SECONDS, "socket_timeout": TIMEOUT_SECONDS},
    }


def caches(url: str) -> dict[str, dict[str, Any]]:
    """Django's caches: on the Redis at `url` when there is one. Throttle counts must be
    shared by every web process: without Redis they live in a database table (created by
    the notifications app's migrations), not in one process's memory."""
    if url:
        return {"default": cache(url), "throttle": cache(url)}
    return {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "throttle": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "throttle_cache",
        },
    }
