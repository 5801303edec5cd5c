"""A catalogue version number: any write that changes what buyers see bumps it, so
cached anonymous catalogue reads keyed by it become stale at once."""

from django.core.cache import cache
from django.db import transaction

KEY = "catalog:version"


def catalog_version() -> int:
    version = cache.get(KEY)
    if version is None:
        cache.add(KEY, 1, timeout=None)
        version = cache.get(KEY) or 1
    return int(version)


def bump_catalog_version() -> None:
    def bump() -> None:
        try:
            cache.incr(KEY)
        except ValueError:
            cache.set(KEY, 2, timeout=None)

    transaction.on_commit(bump)
