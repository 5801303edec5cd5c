from celery import shared_task

from marketplace.logistics import services, tracking


@shared_task
def auto_complete_orders() -> int:
    """Complete delivered orders after the waiting time; each order is re-checked under
    its lock, so running twice or in parallel completes each once."""
    return services.auto_complete_orders()


@shared_task
def poll_tracking() -> dict[str, int]:
    """Ask carriers that send no webhooks about their parcels on the way; events seen
    before (through a webhook or an earlier poll) change nothing."""
    return tracking.poll_all()
