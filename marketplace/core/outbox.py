"""The transactional outbox: every background job of the project goes through here.

    outbox.enqueue("marketplace.notifications.tasks.send_notification",
                   kwargs={"notification_id": 7}, dedup_key="notification:7")

writes a `core.Job` row in the caller's transaction. After the commit the job is
published to Celery; if that fails (broker down, process killed before publishing) the
row stays PENDING and `dispatch_due_jobs` (Celery beat, every OUTBOX_SWEEP_SECONDS)
publishes it again once `dispatch_after` has passed, backing off each time. A task
published from here is marked done when it returns (the `task_success` signal reads the
job id from the message's headers); a task that raises, retries or dies leaves the job
PENDING for the sweep. Tasks may therefore run more than once: they must be idempotent.

A broker that is hung costs each publish its client's timeouts (config/redis_clients.py),
so once a publish fails, this process publishes nothing for OUTBOX_PUBLISH_PAUSE_SECONDS:
its jobs stay PENDING for the sweep, and a request pays for one timeout at most, however
many jobs it records. The sweep tries its first job whatever the pause, and a publish
that goes through ends it.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from celery import current_app
from celery.signals import task_success
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from marketplace.core import sql
from marketplace.core.models import Job, JobStatus

logger = logging.getLogger(__name__)
HEADER = "outbox_job"


def resend_after() -> timedelta:
    return timedelta(seconds=getattr(settings, "OUTBOX_RESEND_AFTER_SECONDS", 120))


def _insert_into() -> str:
    columns = ", ".join(
        sql.column(Job, name)
        for name in (
            "task",
            "kwargs",
            "dedup_key",
            "status",
            "dispatches",
            "created",
            "dispatch_after",
            "last_error",
        )
    )
    return f"INSERT INTO {sql.table_name(Job)} ({columns})"


# An ORM create would need a savepoint to survive the dedup key's conflict; ON CONFLICT
# DO NOTHING skips the duplicate in the one statement.
@sql.statement("core.outbox_enqueue")
def _enqueue_sql() -> str:
    return f"""
{_insert_into()}
VALUES (%s, %s::jsonb, %s, %s, 0, now(), now() + %s, '')
ON CONFLICT DO NOTHING RETURNING {sql.column(Job, "pk")}
"""


def enqueue(
    task: Any, *, kwargs: dict | None = None, dedup_key: str | None = None, publish_on_commit=True
) -> int | None:
    """Record a job in the current transaction; published once it commits.

    `task` is a Celery task or its name. With `dedup_key`, a second job with the same
    key (even one long done) is not recorded: None is returned. With
    `publish_on_commit=False` the caller does the job after the commit itself (or
    publishes it) and calls `mark_done`; if it never gets there, the sweep publishes it."""
    name = task if isinstance(task, str) else task.name
    arguments = kwargs or {}
    with connection.cursor() as cursor:
        cursor.execute(
            _enqueue_sql(),
            [name, json.dumps(arguments), dedup_key, JobStatus.PENDING, resend_after()],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    job_id = row[0]
    if publish_on_commit:
        publish_after_commit(job_id, name, arguments)
    return job_id


def publish_after_commit(job_id: int, name: str, kwargs: dict) -> None:
    """Publish a recorded job once the current transaction commits."""
    # robust: a publishing failure after the commit must not fail the committed request.
    transaction.on_commit(lambda: publish(job_id, name, kwargs), robust=True)


def jobs_for(source: str, *, kwargs: str, dedup_key: str) -> str:
    """The body of a CTE recording one job per row of `source` (an earlier CTE of the
    caller's statement), so rows and their jobs are written by one statement: `kwargs`
    and `dedup_key` are SQL expressions over its columns; its parameters, in order, are
    `job_parameters(task)`. It returns each job's id and kwargs; the caller publishes
    them with `publish_after_commit`. A dedup key recorded before skips its job, as in
    `enqueue`."""
    return f"""
{_insert_into()}
SELECT %s, {kwargs}, {dedup_key}, %s, 0, now(), now() + %s, '' FROM {source}
ON CONFLICT DO NOTHING
RETURNING {sql.column(Job, "pk")} AS id, {sql.column(Job, "kwargs")} AS kwargs
"""


def job_parameters(task: Any) -> list:
    return [task if isinstance(task, str) else task.name, JobStatus.PENDING, resend_after()]


# time.monotonic() until which this process does not try the broker (see the docstring).
_paused_until = 0.0


def publishing_paused() -> bool:
    return time.monotonic() < _paused_until


def resume_publishing() -> None:
    global _paused_until
    _paused_until = 0.0


def _pause_publishing() -> None:
    global _paused_until
    _paused_until = time.monotonic() + settings.OUTBOX_PUBLISH_PAUSE_SECONDS


def publish(job_id: int, name: str, kwargs: dict) -> bool:
    """Hand one job to the broker; False (logged) when the broker cannot take it, or
    when a publish failed moments ago (see the module's docstring)."""
    if publishing_paused():
        logger.info(
            "Job %s (%s) not published: publishing paused after a failure; the sweep sends it",
            job_id,
            name,
        )
        return False
    try:
        task = current_app.tasks.get(name)
        options = {"kwargs": kwargs, "headers": {HEADER: job_id}, "retry": False}
        if task is not None:
            task.apply_async(**options)
        else:
            current_app.send_task(name, **options)
    except Exception as error:
        _pause_publishing()
        logger.warning(
            "Job %s (%s) not published (%s); the sweep sends it later", job_id, name, error
        )
        return False
    resume_publishing()
    return True


def mark_done(job_id: int) -> None:
    Job.objects.filter(pk=job_id, status=JobStatus.PENDING).update(
        status=JobStatus.DONE, done_at=timezone.now()
    )


def job_id_of(request: Any) -> int | None:
    """The outbox job a running task's message carries, if any."""
    value = getattr(request, HEADER, None)
    if value is None:
        value = (getattr(request, "headers", None) or {}).get(HEADER)
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None


@task_success.connect(dispatch_uid="outbox-mark-done")
def _task_succeeded(sender=None, **kwargs) -> None:
    job_id = job_id_of(getattr(sender, "request", None))
    if job_id is not None:
        mark_done(job_id)


def _backoff(dispatches: int) -> timedelta:
    return resend_after() * (2 ** min(dispatches, 6))


def dispatch_due(*, limit: int = 500, now=None) -> int:
    """Publish again the jobs not done by their `dispatch_after`; give up on those
    published OUTBOX_MAX_DISPATCHES times. Safe to run in several processes at once."""
    now = now or timezone.now()
    cap = getattr(settings, "OUTBOX_MAX_DISPATCHES", 20)
    with transaction.atomic():
        due = list(
            Job.objects.select_for_update(skip_locked=True)
            .filter(status=JobStatus.PENDING, dispatch_after__lte=now)
            .order_by("dispatch_after")
            .values_list("pk", "task", "kwargs", "dispatches", "dispatch_after")[:limit]
        )
        give_up = [pk for pk, _task, _kwargs, count, _after in due if count >= cap]
        if give_up:
            Job.objects.filter(pk__in=give_up).update(
                status=JobStatus.FAILED, last_error="published too many times"
            )
        resend = [row for row in due if row[0] not in set(give_up)]
        for pk, _task, _kwargs, count, _after in resend:
            Job.objects.filter(pk=pk).update(
                dispatches=count + 1, dispatch_after=now + _backoff(count + 1)
            )
    # The sweep's first try asks the broker whatever the pause; if it fails, the pause
    # starts again and the rest wait for the next sweep.
    resume_publishing()
    sent = 0
    for pk, task, kwargs, count, after in resend:
        if publishing_paused():
            # Not tried: no dispatch counted and no backoff, so the next sweep tries it
            # (a long outage must neither give it up nor delay it by hours once over).
            Job.objects.filter(pk=pk, status=JobStatus.PENDING).update(
                dispatches=count, dispatch_after=after
            )
            continue
        sent += publish(pk, task, kwargs)
    return sent


def purge_done(*, older_than: timedelta = timedelta(days=7), limit: int = 5000) -> int:
    cutoff = timezone.now() - older_than
    ids = list(
        Job.objects.filter(status=JobStatus.DONE, done_at__lt=cutoff).values_list("pk", flat=True)[
            :limit
        ]
    )
    return Job.objects.filter(pk__in=ids).delete()[0]


def pending(task: str | None = None) -> Iterable[Job]:
    """Jobs not done yet (for tests and the admin)."""
    jobs = Job.objects.filter(status=JobStatus.PENDING)
    return jobs.filter(task=task) if task else jobs
