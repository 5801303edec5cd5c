from celery import shared_task

from marketplace.orders import services


@shared_task
def expire_unpaid_orders() -> int:
    """Cancel unpaid online orders past their deadline and release their stock. Safe to
    run twice or in parallel: each order is re-checked under its row lock."""
    return services.expire_unpaid_orders()
