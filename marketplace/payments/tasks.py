from celery import shared_task

from marketplace.payments import services


@shared_task
def reconcile_pending_payments() -> int:
    """Settle payments left PENDING (the buyer paid and closed the tab) by asking their
    gateway. Safe to run twice or in parallel: settling re-checks under row locks."""
    return services.reconcile_pending()


@shared_task
def reconcile_pending_refunds() -> int:
    """Settle refunds whose gateway answer was lost by asking the gateway; each refund is
    settled once, however often or in parallel this runs."""
    return services.reconcile_refunds()
