from celery import shared_task

from marketplace.core import outbox, throttle


@shared_task
def dispatch_due_jobs() -> int:
    """Publishes again the outbox's jobs that no task has reported done in time."""
    return outbox.dispatch_due()


@shared_task
def purge_done_jobs() -> int:
    return outbox.purge_done()


@shared_task
def purge_throttle_counts() -> int:
    return throttle.purge_expired()
