"""Workers racing: one message however many workers send it at once, one row however many
transactions announce the same event at once."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, transaction

from marketplace.core.models import Job
from marketplace.notifications import announce, recipients, services
from marketplace.notifications.models import Notification, NotificationStatus
from tests.builders.accounts import make_user

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = "+989151234567"
RACERS = 6


def race(work: Callable[[], object]) -> list:
    start = threading.Barrier(RACERS)

    def one(_index: int):
        try:
            start.wait()
            return work()
        finally:
            connection.close()

    with ThreadPoolExecutor(RACERS) as pool:
        return list(pool.map(one, range(RACERS)))


def test_workers_racing_for_one_message_call_the_provider_once(sms_server):
    user = make_user("racer@example.com", phone=PHONE)
    [row] = services.notify(
        event="seller.approved.owner",
        recipients=[recipients.of_user(user)],
        context={"seller": "زعفران"},
        dedup_key="seller:1:approved",
    )
    sms_server.log.hang_seconds = 0.3  # every racer is in flight while the first sends
    outcomes = race(lambda: services.deliver(notification_id=row.pk))
    assert sum(outcome.sent for outcome in outcomes) == 1
    assert sms_server.log.requests == 1 and len(sms_server.to(PHONE)) == 1
    row.refresh_from_db()
    assert (row.status, row.attempts) == (NotificationStatus.SENT, 1)


def test_transactions_announcing_one_event_at_once_record_it_once(seller_a):
    def approve_again() -> None:
        with transaction.atomic():
            announce.seller_approved(seller=seller_a)

    race(approve_again)
    [row] = Notification.objects.all()
    assert row.template == "seller.approved.owner"
    assert Job.objects.filter(dedup_key=f"notification:{row.pk}").count() == 1
    assert Job.objects.count() == 1
