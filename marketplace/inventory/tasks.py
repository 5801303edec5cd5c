from celery import shared_task

from marketplace.inventory import stock


@shared_task
def delete_expired_reservations() -> int:
    """Housekeeping only: expired reservations already stopped counting."""
    return stock.delete_expired_reservations()
