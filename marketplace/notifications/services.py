from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import transaction
from django.utils import timezone, translation

from marketplace.notifications.models import Notification, NotificationStatus
from marketplace.notifications.templates_text import TEMPLATES

_state = threading.local()


@contextmanager
def muted() -> Iterator[None]:
    """No messages are queued inside (bulk imports, demo data)."""
    previous = getattr(_state, "muted", False)
    _state.muted = True
    try:
        yield
    finally:
        _state.muted = previous


def queue_email(*, template: str, email: str, language: str, context: dict) -> Notification | None:
    """Record a message and send it from the worker once the current transaction commits."""
    if not email or template not in TEMPLATES or getattr(_state, "muted", False):
        return None
    notification = Notification.objects.create(
        template=template, email=email, language=language, context=context
    )
    from marketplace.notifications.tasks import send_notification

    transaction.on_commit(lambda: send_notification.delay(notification.pk))
    return notification


def render(notification: Notification) -> tuple[str, str]:
    subject, body = TEMPLATES[notification.template]
    with translation.override(notification.language):
        return str(subject) % notification.context, str(body) % notification.context


def deliver(*, notification_id: int) -> bool:
    """Send one notification exactly once; returns whether it was sent by this call."""
    from django.core.mail import send_mail

    with transaction.atomic():
        notification = Notification.objects.select_for_update().filter(pk=notification_id).first()
        if notification is None or notification.status == NotificationStatus.SENT:
            return False
        notification.attempts += 1
        subject, body = render(notification)
        try:
            send_mail(subject, body, None, [notification.email])
        except Exception as exc:
            notification.last_error = repr(exc)[:2000]
            notification.status = NotificationStatus.FAILED
            notification.save(update_fields=["attempts", "last_error", "status"])
            raise
        notification.status = NotificationStatus.SENT
        notification.sent_at = timezone.now()
        notification.save(update_fields=["attempts", "status", "sent_at"])
        return True


def notify_seller_applied(*, seller) -> None:
    cooperative = seller.cooperative
    if cooperative is None:
        from django.contrib.auth import get_user_model

        recipients = get_user_model().objects.filter(
            is_staff=True, is_superuser=True, is_active=True
        )
        cooperative_name = "—"
    else:
        recipients = cooperative.staff.filter(is_active=True)
        cooperative_name = cooperative.name
    for user in recipients:
        queue_email(
            template="seller_applied",
            email=user.email or "",
            language=user.language,
            context={"seller": seller.name, "cooperative": cooperative_name},
        )


def notify_seller_approved(*, seller) -> None:
    owner = seller.owner
    queue_email(
        template="seller_approved",
        email=owner.email or "",
        language=owner.language,
        context={"seller": seller.name},
    )


def notify_seller_rejected(*, seller) -> None:
    owner = seller.owner
    queue_email(
        template="seller_rejected",
        email=owner.email or "",
        language=owner.language,
        context={"seller": seller.name, "reason": seller.rejection_reason},
    )
