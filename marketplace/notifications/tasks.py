from celery import shared_task

from marketplace.notifications import services


@shared_task(
    bind=True,
    autoretry_for=(Exception,),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=8,
    acks_late=True,
)
def send_notification(self, notification_id: int) -> bool:
    return services.deliver(notification_id=notification_id)


@shared_task
def resend_pending_notifications() -> int:
    """Picks up messages whose first send was lost (e.g. the broker was down at commit)."""
    from datetime import timedelta

    from django.utils import timezone

    from marketplace.notifications.models import Notification, NotificationStatus

    stale = timezone.now() - timedelta(minutes=10)
    ids = list(
        Notification.objects.filter(
            status__in=[NotificationStatus.PENDING, NotificationStatus.FAILED],
            created__lt=stale,
            attempts__lt=8,
        ).values_list("pk", flat=True)[:500]
    )
    for pk in ids:
        send_notification.delay(pk)
    return len(ids)
