"""Background jobs of the ledger; each is idempotent (a batch is made once per day and
currency, and a transfer is sent once per payout)."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from marketplace.channels.models import Channel
from marketplace.ledger import payouts


@shared_task
def run_weekly_payouts() -> int:
    """On the payout weekday, the batch of every channel currency. Scheduled hourly, so a
    run missed by a restart happens later the same day; a second run finds the batch."""
    today = timezone.localdate()
    if today.weekday() != settings.PAYOUT_WEEKDAY:
        return 0
    currencies = sorted(set(Channel.objects.values_list("currency_code", flat=True)))
    return sum(payouts.run_payouts(currency=c, run_on=today).payouts.count() for c in currencies)
