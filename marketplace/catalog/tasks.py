"""Background work for the catalogue: photo thumbnails and the housekeeping of stored files.

The work itself lives in `marketplace.catalog.media`; these wrappers add the retry
policy. Every task is idempotent, so a redelivered or retried message does no harm."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings

from marketplace.catalog import media

# Storage and database hiccups are worth retrying, with growing pauses; a photo that
# still fails after that keeps being served at its original size, and
# `queue_missing_thumbnails` picks it up again later.
RETRY_OPTIONS = {
    "autoretry_for": (Exception,),
    "retry_backoff": 5,
    "retry_backoff_max": settings.TASK_MAX_COUNTDOWN_SECONDS,
    "retry_jitter": True,
    "max_retries": 6,
}


@shared_task(**RETRY_OPTIONS)
def make_thumbnails(media_id: int) -> dict[str, str] | None:
    """WebP thumbnails of one photo at THUMBNAIL_SIZES widths, recorded on the photo."""
    return media.create_thumbnails(media_id)


@shared_task
def queue_missing_thumbnails() -> int:
    """Periodic: queue `make_thumbnails` again for photos whose task was lost."""
    return media.queue_missing_thumbnails()


@shared_task
def delete_orphaned_media_files() -> int:
    """Periodic: delete stored photo files that no row names (from rolled-back uploads)."""
    return media.delete_orphaned_files()
