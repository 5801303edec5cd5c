"""A catalogue version number: any write that changes what buyers see bumps it, so
cached anonymous catalogue reads keyed by it become stale at once.

The number lives in the cache (Redis in production). When the cache cannot be reached
there is no version: readers skip the response cache and run the query, and a write's
bump is dropped after its commit (the entries it would have retired expire with their
TTL), so a Redis outage never fails a read or a committed write."""

import logging

from django.core.cache import cache
from django.db import transaction
from redis.exceptions import RedisError

KEY = "catalog:version"
logger = logging.getLogger(__name__)


def catalog_version() -> int | None:
    """The current version, or None when the cache cannot be reached."""
    try:
        version = cache.get(KEY)
        if version is None:
            cache.add(KEY, 1, timeout=None)
            version = cache.get(KEY) or 1
    except RedisError as error:
        logger.warning("Catalogue version unavailable, reading uncached: %s", error)
        return None
    return int(version)


def bump_catalog_version() -> None:
    def bump() -> None:
        try:
            try:
                cache.incr(KEY)
            except ValueError:
                cache.set(KEY, 2, timeout=None)
        except RedisError as error:
            logger.warning("Catalogue version not bumped: %s", error)

    transaction.on_commit(bump)
