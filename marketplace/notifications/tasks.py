from celery import shared_task
from django.conf import settings

from marketplace.notifications import announce, services


@shared_task(bind=True, max_retries=None, acks_late=True)
def send_notification(self, notification_id: int) -> bool:
    """Sends one message once. Retries (with the row's backoff) until it is SENT or
    FAILED; the outbox job stays open until then, so a lost retry is published again."""
    outcome = services.deliver(notification_id=notification_id)
    if outcome.retry_in is not None:
        # A longer wait is taken in steps: a run that comes early finds the row not due
        # and waits again (the broker's visibility timeout bounds what a worker may hold).
        raise self.retry(countdown=min(outcome.retry_in, settings.TASK_MAX_COUNTDOWN_SECONDS))
    return outcome.sent


@shared_task(acks_late=True)
def announce_order_placed(order_id: int, paid: bool = False) -> int:
    """The messages of a newly confirmed order (recorded once however often this runs)."""
    return announce.order_placed(order_id=order_id, paid=paid)


@shared_task
def record_sms_delivery_reports() -> int:
    """What became of the SMS sent lately (delivered to the handset, or never)."""
    return services.record_sms_delivery_reports()
