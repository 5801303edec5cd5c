"""A catalogue version number: any write that changes what buyers see bumps it, so
cached anonymous catalogue reads keyed by it become stale at once.

The number lives in the cache (Redis in production). When the cache cannot be reached
(or is left alone after a failure, marketplace/core/redis_guard.py) there is no version:
readers skip the response cache and run the query, and a write's bump waits in this
process until its next call that reaches Redis (a read of the version or another bump),
which makes it. So a Redis outage never fails a read or a committed write; what was
cached before it answers after it at most until its TTL (API_RESPONSE_CACHE_SECONDS),
and not at all once a process that owes a bump reaches Redis again."""

import logging

from django.core.cache import cache
from django.db import transaction

from marketplace.core import redis_guard

KEY = "catalog:version"
logger = logging.getLogger(__name__)


# A bump this process could not make (Redis failed, or left alone after a failure): made
# by its next call that reaches Redis (a read of the version or another bump), so the
# entries cached before the outage do not answer once it ends.
_bump_owed = False


def _incr() -> None:
    try:
        cache.incr(KEY)
    except ValueError:
        cache.set(KEY, 2, timeout=None)


def _read_version() -> int:
    global _bump_owed
    if _bump_owed:
        _incr()
        _bump_owed = False
    version = cache.get(KEY)
    if version is None:
        cache.add(KEY, 1, timeout=None)
        version = cache.get(KEY) or 1
    return int(version)


def catalog_version() -> int | None:
    """The current version, or None when the cache cannot be reached."""
    version = redis_guard.call(
        _read_version, failure="Catalogue version unavailable, reading uncached", log=logger
    )
    return None if version is redis_guard.UNAVAILABLE else version


def bump_catalog_version() -> None:
    def bump() -> None:
        global _bump_owed
        made = redis_guard.call(_incr, failure="Catalogue version not bumped yet", log=logger)
        _bump_owed = made is redis_guard.UNAVAILABLE

    transaction.on_commit(bump)
