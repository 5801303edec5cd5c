"""Background jobs of the ledger; each is idempotent (a batch is made once per day and
currency, and a transfer is sent once per payout)."""

from __future__ import annotations

import logging
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from marketplace.channels.models import Channel
from marketplace.ledger import payouts, statements

logger = logging.getLogger(__name__)


@shared_task
def run_weekly_payouts() -> int:
    """On the payout weekday, the batch of every channel currency. Scheduled hourly, so a
    run missed by a restart happens later the same day; a second run finds the batch."""
    today = timezone.localdate()
    if today.weekday() != settings.PAYOUT_WEEKDAY:
        return 0
    currencies = sorted(set(Channel.objects.values_list("currency_code", flat=True)))
    return sum(payouts.run_payouts(currency=c, run_on=today).payouts.count() for c in currencies)


@shared_task
def reconcile_yesterday() -> int:
    """Yesterday's captures of each gateway against its clearing account; every gateway
    that does not match is logged as an error for the operator. Returns how many."""
    day = timezone.localdate() - timedelta(days=1)
    currencies = sorted(set(Channel.objects.values_list("currency_code", flat=True)))
    mismatched = 0
    for currency in currencies:
        for report in statements.reconcile(day, currency):
            if report.difference or report.unposted_payments or report.unknown_payments:
                mismatched += 1
                logger.error(
                    "reconciliation %s %s %s: captured %s, posted %s, not posted %s, unknown %s",
                    day,
                    currency,
                    report.gateway,
                    report.captured,
                    report.posted,
                    list(report.unposted_payments),
                    list(report.unknown_payments),
                )
    return mismatched
