"""Delivery on Redis: a message held by a worker that is killed is delivered again within
the visibility timeout, which the settings keep above the longest task's time limit
plus the longest countdown (so a live worker's message is never delivered twice)."""

from __future__ import annotations

import os
import shutil
import signal
import time
from pathlib import Path

import pytest
import redis
from django.conf import settings as django_settings
from django.db import transaction

from config import services
from config.celery import app as celery_app
from marketplace.core import outbox
from marketplace.core.models import Job, JobStatus
from marketplace.core.tasks import purge_throttle_counts
from tests.conftest import every_task, start_worker, stop_worker, use_broker
from tests.postgres_cluster import private_dir
from tests.waiting import wait_until

VISIBILITY_SECONDS = 3
# kombu looks for messages past their timeout every 10 s (unacked_restore_throttle 1).
RESTORE_INTERVAL_SECONDS = 10
COUNTDOWN_SECONDS = 4


@pytest.fixture
def throwaway_redis():
    """A real redis-server of the test's own (the embedded one, in a private folder)."""
    folder = private_dir("bazarcheh-redis-")
    url = services.start_embedded_redis(folder)
    try:
        yield url, redis.Redis(unix_socket_path=str(Path(folder) / services.REDIS_SOCKET))
    finally:
        services.stop_embedded_redis(folder)
        shutil.rmtree(folder, ignore_errors=True)


def test_a_data_folder_too_deep_for_a_unix_socket_still_gets_its_broker():
    root = private_dir("bazarcheh-deep-")
    folder = Path(root, *["nested-folder"] * 8, "redis")
    assert len(str(folder / services.REDIS_SOCKET)) > 107  # sockaddr_un's sun_path
    try:
        url = services.start_embedded_redis(folder)
        assert url == services.embedded_redis_url(folder.resolve())
        socket_path = url.removeprefix("redis+socket://")
        assert len(socket_path) <= services.MAX_SOCKET_PATH
        assert redis.Redis(unix_socket_path=socket_path).ping()
    finally:
        services.stop_embedded_redis(folder)
        shutil.rmtree(root, ignore_errors=True)


def test_the_visibility_timeout_outlasts_any_task_and_countdown():
    options = django_settings.CELERY_BROKER_TRANSPORT_OPTIONS
    longest_hold = (
        django_settings.TASK_MAX_COUNTDOWN_SECONDS + django_settings.CELERY_TASK_TIME_LIMIT
    )
    assert longest_hold < options["visibility_timeout"] <= 3600
    assert django_settings.CELERY_TASK_SOFT_TIME_LIMIT < django_settings.CELERY_TASK_TIME_LIMIT
    tasks = every_task()
    assert "marketplace.catalog.tasks.make_thumbnails" in tasks
    for name, task in tasks.items():
        if name.startswith("marketplace.") and getattr(task, "autoretry_for", ()):
            assert task.retry_backoff_max <= django_settings.TASK_MAX_COUNTDOWN_SECONDS, name


@pytest.mark.django_db(transaction=True)
def test_a_message_held_by_a_killed_worker_is_delivered_again(throwaway_redis, settings):
    url, server = throwaway_redis
    queue = f"redelivery-{os.getpid()}-{time.monotonic_ns()}"
    previous = celery_app.conf.broker_url
    use_broker(url)
    try:
        with transaction.atomic():
            job_id = outbox.enqueue(purge_throttle_counts, publish_on_commit=False)
        timeout = {"BROKER_VISIBILITY_TIMEOUT_SECONDS": str(VISIBILITY_SECONDS)}
        first = start_worker(settings, broker=url, queue=queue, **timeout)
        # Held until its countdown has passed: received, not yet acknowledged.
        purge_throttle_counts.apply_async(
            queue=queue, countdown=COUNTDOWN_SECONDS, headers={outbox.HEADER: job_id}
        )
        wait_until(lambda: server.hlen("unacked") == 1, what="the worker holding the message")
        first.send_signal(signal.SIGKILL)
        first.wait()
        assert Job.objects.get(pk=job_id).status == JobStatus.PENDING
        second = start_worker(settings, broker=url, queue=queue, **timeout)
        try:
            bound = VISIBILITY_SECONDS + RESTORE_INTERVAL_SECONDS + COUNTDOWN_SECONDS + 20
            wait_until(
                lambda: Job.objects.get(pk=job_id).status == JobStatus.DONE,
                what="the message delivered again and its task run",
                never=lambda: second.poll() is not None and "the second worker exited",
                looks=bound * 2,
            )
        finally:
            stop_worker(second)
    finally:
        use_broker(previous)
