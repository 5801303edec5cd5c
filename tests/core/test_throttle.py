"""Rate limits hold under parallel requests from many processes: the count is one atomic
statement in the shared store."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from marketplace.core import throttle
from marketplace.core.models import ThrottleCount

RACERS = 12


@pytest.fixture(autouse=True)
def counted_in_the_database(settings):
    """These tests are about the PostgreSQL count, used when no Redis is configured."""
    settings.CACHES = {
        **settings.CACHES,
        "throttle": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "throttle_cache",
        },
    }


@pytest.mark.django_db(transaction=True)
def test_a_parallel_burst_gets_exactly_the_limit():
    start = threading.Barrier(RACERS)

    def one(_index: int) -> bool:
        try:
            start.wait()
            return throttle.allow("burst", "09151234567", limit=5, window=60)
        finally:
            connection.close()

    with ThreadPoolExecutor(RACERS) as pool:
        allowed = list(pool.map(one, range(RACERS)))
    assert allowed.count(True) == 5
    assert list(ThrottleCount.objects.values_list("count", flat=True)) == [RACERS]


@pytest.mark.django_db
def test_a_new_window_starts_when_the_last_ended():
    assert [throttle.allow("w", "k", limit=2, window=60) for _ in range(3)] == [True, True, False]
    assert throttle.allow("w", "other", limit=2, window=60)
    assert not throttle.allow("x", "k", limit=0, window=60)
    ThrottleCount.objects.update(window_ends=timezone.now() - timedelta(seconds=1))
    assert throttle.allow("w", "k", limit=2, window=60)
    # The two others stay ended until purged.
    assert throttle.purge_expired() == 2
    assert list(ThrottleCount.objects.values_list("count", flat=True)) == [1]


@pytest.mark.django_db
def test_keys_are_stored_hashed():
    throttle.allow("login-code-phone", "+989151234567", limit=5, window=60)
    [key] = ThrottleCount.objects.values_list("key", flat=True)
    assert "9151234567" not in key and key.startswith("throttle:login-code-phone:")
