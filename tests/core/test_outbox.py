"""The transactional outbox: jobs commit with the change, survive a broker that is down,
are published again by the sweep and marked done by the task."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.db import transaction
from django.utils import timezone

from marketplace.core import outbox
from marketplace.core.models import Job, JobStatus
from tests.conftest import use_broker

TASK = "marketplace.core.tasks.purge_done_jobs"


@pytest.fixture
def published(monkeypatch):
    """What would have reached the broker."""
    sent: list[tuple[int, str, dict]] = []

    def fake(job_id, name, kwargs):
        sent.append((job_id, name, kwargs))
        return True

    monkeypatch.setattr(outbox, "publish", fake)
    return sent


@pytest.mark.django_db(transaction=True)
def test_a_job_commits_with_the_change_and_is_published_after(published):
    with transaction.atomic():
        job_id = outbox.enqueue(TASK, kwargs={"a": 1}, dedup_key="k")
        assert published == []  # not before the commit
    assert published == [(job_id, TASK, {"a": 1})]
    job = Job.objects.get()
    assert (job.status, job.kwargs, job.dedup_key) == (JobStatus.PENDING, {"a": 1}, "k")


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_change_leaves_no_job(published):
    with pytest.raises(RuntimeError), transaction.atomic():
        outbox.enqueue(TASK, kwargs={})
        raise RuntimeError
    assert published == [] and not Job.objects.exists()


@pytest.mark.django_db
def test_a_dedup_key_records_one_job(published):
    first = outbox.enqueue(TASK, dedup_key="order:1:placed")
    assert first is not None
    assert outbox.enqueue(TASK, dedup_key="order:1:placed") is None
    assert outbox.enqueue(TASK) is not None and outbox.enqueue(TASK) is not None
    assert Job.objects.count() == 3


@pytest.fixture
def broker_down() -> Iterator[None]:
    """This process's Celery app on a broker no one listens on."""
    from config.celery import app

    previous = app.conf.broker_url
    use_broker("amqp://guest:guest@127.0.0.1:1//")
    yield
    use_broker(previous)


@pytest.mark.django_db(transaction=True)
def test_a_broker_that_is_down_fails_nothing(broker_down):
    with transaction.atomic():
        outbox.enqueue(TASK)
    assert outbox.publish(1, TASK, {}) is False
    assert Job.objects.get().status == JobStatus.PENDING


@pytest.mark.django_db(transaction=True)
def test_after_a_failed_publish_the_process_leaves_its_jobs_to_the_sweep(broker_down, broker_sends):
    with transaction.atomic():
        for _ in range(3):
            outbox.enqueue(TASK)
    assert broker_sends == [TASK]
    # The sweep asks the broker once more; still down, it leaves the rest for later.
    later = timezone.now() + outbox.resend_after() + timedelta(seconds=1)
    assert outbox.dispatch_due(now=later) == 0
    assert broker_sends == [TASK] * 2
    assert set(Job.objects.values_list("status", flat=True)) == {JobStatus.PENDING}


@pytest.mark.django_db(transaction=True)
def test_jobs_the_pause_skipped_go_out_at_the_next_sweep_uncounted(broker_down, broker_sends):
    with transaction.atomic():
        for _ in range(3):
            outbox.enqueue(TASK)
    later = timezone.now() + outbox.resend_after() + timedelta(seconds=1)
    assert outbox.dispatch_due(now=later) == 0
    tried, skipped = [], []
    for job in Job.objects.order_by("dispatches", "pk"):
        (tried if job.dispatches else skipped).append(job)
    assert len(tried) == 1 and len(skipped) == 2
    assert all(job.dispatch_after <= later for job in skipped)
    # The broker is back by the next sweep: the skipped jobs go out then, not hours later.
    use_broker(f"memory://{uuid.uuid4().hex}")
    next_sweep = later + timedelta(seconds=30)
    assert outbox.dispatch_due(now=next_sweep) == 2
    assert sorted(Job.objects.values_list("dispatches", flat=True)) == [1, 1, 1]


@pytest.mark.django_db
def test_the_sweep_publishes_again_with_backoff_and_gives_up(published, settings):
    settings.OUTBOX_RESEND_AFTER_SECONDS = 60
    settings.OUTBOX_MAX_DISPATCHES = 2
    job_id = outbox.enqueue(TASK, kwargs={"x": 2})
    now = timezone.now()
    assert outbox.dispatch_due(now=now) == 0  # not due before the delay
    later = now + timedelta(seconds=61)
    assert outbox.dispatch_due(now=later) == 1
    job = Job.objects.get()
    assert job.dispatches == 1
    assert job.dispatch_after == later + timedelta(seconds=120)
    assert outbox.dispatch_due(now=later + timedelta(seconds=100)) == 0
    assert outbox.dispatch_due(now=later + timedelta(seconds=121)) == 1
    assert published == [(job_id, TASK, {"x": 2})] * 2
    assert outbox.dispatch_due(now=later + timedelta(days=1)) == 0
    assert Job.objects.get().status == JobStatus.FAILED


@pytest.mark.django_db
def test_done_jobs_are_not_published_again(published):
    job_id = outbox.enqueue(TASK)
    outbox._task_succeeded(sender=SimpleNamespace(request=SimpleNamespace(outbox_job=job_id)))
    assert Job.objects.get().status == JobStatus.DONE
    assert outbox.dispatch_due(now=timezone.now() + timedelta(days=1)) == 0
    # A task run without the outbox (no header) marks nothing.
    other = outbox.enqueue(TASK)
    outbox._task_succeeded(sender=SimpleNamespace(request=SimpleNamespace()))
    assert Job.objects.get(pk=other).status == JobStatus.PENDING
