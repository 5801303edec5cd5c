from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class JobStatus(models.TextChoices):
    PENDING = "PENDING", _("Pending")
    DONE = "DONE", _("Done")
    FAILED = "FAILED", _("Given up")


class Job(models.Model):
    """A background job recorded with the change that asked for it (the outbox).

    The row commits or rolls back with that change; it is published to the broker after
    the commit and again by the sweep until the task reports it done, so neither a broker
    that is down nor a worker that dies loses it."""

    task = models.CharField(_("task"), max_length=200)
    kwargs = models.JSONField(_("arguments"), default=dict)
    dedup_key = models.CharField(_("deduplication key"), max_length=200, null=True, blank=True)  # noqa: DJ001
    status = models.CharField(
        _("status"), max_length=16, choices=JobStatus.choices, default=JobStatus.PENDING
    )
    dispatches = models.PositiveIntegerField(_("times published"), default=0)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    dispatch_after = models.DateTimeField(_("publish again after"))
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        constraints = [
            models.UniqueConstraint(
                fields=["dedup_key"],
                condition=Q(dedup_key__isnull=False),
                name="core_job_dedup_key_unique",
            )
        ]
        indexes = [
            models.Index(
                fields=["dispatch_after"],
                condition=Q(status="PENDING"),
                name="core_job_pending_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.task} #{self.pk}"


class ThrottleCount(models.Model):
    """How many events one throttle key counted in its current window
    (marketplace/core/throttle.py, when no Redis is configured)."""

    key = models.CharField(_("key"), max_length=100, primary_key=True)
    count = models.PositiveIntegerField(_("count"), default=0)
    window_ends = models.DateTimeField(_("window ends"))

    class Meta:
        verbose_name = _("rate limit count")
        verbose_name_plural = _("rate limit counts")

    def __str__(self) -> str:
        return f"{self.key}: {self.count}"
