from celery import shared_task

from marketplace.returns import photos, refunds
from marketplace.returns.models import ReturnRequest


@shared_task
def retry_owed_refunds() -> int:
    """Periodic: try again the refunds returns still owe (nothing was charged yet, the
    gateway refused or was down). Never refunds twice, however often or in parallel it
    runs (refunds.py)."""
    return refunds.retry_owed()


@shared_task
def pay_owed_refund(return_id: int) -> str:
    """Try one return's owed refund now (its order's money just came in)."""
    if not ReturnRequest.objects.filter(pk=return_id).exists():
        return "gone"
    return refunds.pay(return_request=ReturnRequest(pk=return_id)).status


@shared_task
def delete_orphaned_return_photos() -> int:
    """Periodic: delete stored return photos whose return was rolled back."""
    return photos.delete_orphaned_photos()
