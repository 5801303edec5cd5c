"""A cache Redis that failed is left alone for a while.

A hung Redis costs each call its client's timeout (config/redis_clients.py): a request
that reads the catalogue version, the response cache and a throttle waited for three
timeouts, and every request after it as long, for as long as Redis hung. So once a call
to the cache's Redis fails, this process goes without it for REDIS_PAUSE_SECONDS, as it
does after every failed call: reads answer uncached, throttles count in the database.
The first call after the pause tries Redis again. The broker has its own pause
(marketplace/core/outbox.py): it may be another server.

Every call to the cache's Redis goes through `call`, so none can forget the pause."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# What `call` answers when Redis was not asked or did not answer (None is an answer).
UNAVAILABLE: Any = object()

# time.monotonic() until which this process does not call the cache's Redis.
_paused_until = 0.0


def usable() -> bool:
    """Whether to call Redis now (False during a pause after a failure)."""
    return time.monotonic() >= _paused_until


def failed(error: Exception) -> None:
    """A call failed: pause (logged once per pause)."""
    global _paused_until
    if usable():
        logger.warning(
            "Redis failed (%s): going without it for %s s", error, settings.REDIS_PAUSE_SECONDS
        )
    _paused_until = time.monotonic() + settings.REDIS_PAUSE_SECONDS


def call(work: Callable[[], Any], *, failure: str, log: logging.Logger) -> Any:
    """`work()`'s answer, or UNAVAILABLE when Redis is left alone or fails now: then
    `log` warns "`failure`: the error" and the pause begins."""
    if not usable():
        return UNAVAILABLE
    try:
        return work()
    except RedisError as error:
        failed(error)
        log.warning("%s: %s", failure, error)
        return UNAVAILABLE


def resume() -> None:
    global _paused_until
    _paused_until = 0.0
