from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class NotificationStatus(models.TextChoices):
    PENDING = "PENDING", _("Pending")
    SENDING = "SENDING", _("Sending")
    SENT = "SENT", _("Sent")
    FAILED = "FAILED", _("Failed")


class ChannelKind(models.TextChoices):
    SMS = "SMS", _("SMS")
    EMAIL = "EMAIL", _("Email")


class DeliveryReport(models.TextChoices):
    DELIVERED = "DELIVERED", _("Delivered")
    UNDELIVERED = "UNDELIVERED", _("Not delivered")


class Notification(models.Model):
    """One message about one event to one recipient on one channel.

    Written in the transaction of the event (or of the job the event left in the
    outbox); the unique constraint makes the same event reach a recipient on a channel
    once, however often it is announced, and the status claim (services.deliver) makes
    it sent once, however often the sending task runs."""

    template = models.CharField(_("template"), max_length=64)
    event_key = models.CharField(_("event"), max_length=200)
    recipient = models.CharField(_("recipient"), max_length=120)
    channel = models.CharField(
        _("channel"), max_length=8, choices=ChannelKind.choices, default=ChannelKind.EMAIL
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("mobile number"), max_length=20, blank=True)
    language = models.CharField(_("language"), max_length=8, default="fa")
    context = models.JSONField(_("context"), default=dict)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=NotificationStatus.choices,
        default=NotificationStatus.PENDING,
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    provider_ref = models.CharField(_("provider reference"), max_length=100, blank=True)
    # What the SMS provider reported later: the message reached the handset or never will.
    delivery_report = models.CharField(
        _("delivery report"), max_length=16, choices=DeliveryReport.choices, blank=True
    )
    delivery_checked_at = models.DateTimeField(_("delivery checked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ("-created",)
        indexes = [models.Index(fields=["status", "created"], name="notif_status_created_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["event_key", "recipient", "channel"], name="notif_once_per_recipient"
            )
        ]

    def __str__(self) -> str:
        return f"{self.template} → {self.email or self.phone}"


class Delivery(models.TextChoices):
    SMS = "SMS", _("SMS")
    EMAIL = "EMAIL", _("Email")
    BOTH = "BOTH", _("SMS and email")
    OFF = "OFF", _("Off")


class NotificationPreference(models.Model):
    """How a user wants one kind of message; no row means the kind's default."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(_("kind of message"), max_length=32)
    delivery = models.CharField(_("delivery"), max_length=8, choices=Delivery.choices)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notif_pref_one_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}: {self.delivery}"
