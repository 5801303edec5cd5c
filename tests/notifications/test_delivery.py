"""Sending one message exactly once: claims, failures recorded, backoff, final FAILED,
a crash between the provider's answer and the SENT mark."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from marketplace.core.models import Job
from marketplace.notifications import recipients, services
from marketplace.notifications.models import Notification, NotificationStatus
from tests.builders.accounts import make_user

PHONE = "+989151234567"


def record(user, event="seller.approved.owner", key="seller:1:approved") -> Notification:
    [row] = services.notify(
        event=event,
        recipients=[recipients.of_user(user)],
        context={"seller": "زعفران"},
        dedup_key=key,
    )
    return row


@pytest.fixture
def emailer(db):
    return make_user("owner@example.com", language="en")


@pytest.fixture
def texter(db):
    return make_user("texter@example.com", phone=PHONE)


def test_a_failure_is_recorded_and_retried_later(emailer, settings):
    # Before the fix the FAILED status and the attempt were saved inside the
    # transaction the re-raised error rolled back: nothing was recorded.
    settings.EMAIL_BACKEND = "tests.notifications.failing_backend.BrokenBackend"
    row = record(emailer)
    outcome = services.deliver(notification_id=row.pk)
    row.refresh_from_db()
    assert row.attempts == 1
    assert row.status == NotificationStatus.PENDING
    assert "SMTP is down" in row.last_error
    assert row.next_attempt_at > timezone.now() + timedelta(seconds=20)
    assert outcome.retry_in == pytest.approx(settings.NOTIFICATION_RETRY_BASE_SECONDS)


def test_the_backoff_doubles_and_the_last_attempt_is_final(emailer, settings):
    settings.EMAIL_BACKEND = "tests.notifications.failing_backend.BrokenBackend"
    settings.NOTIFICATION_MAX_ATTEMPTS = 3
    row = record(emailer)
    waits = []
    for _ in range(3):
        Notification.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())
        waits.append(services.deliver(notification_id=row.pk).retry_in)
    row.refresh_from_db()
    assert waits == [30, 60, None]
    assert (row.status, row.attempts) == (NotificationStatus.FAILED, 3)
    # A failed message is not sent again by a late task.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert services.deliver(notification_id=row.pk).sent is False
    assert mail.outbox == []


def test_a_message_is_sent_once_however_often_the_task_runs(emailer, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    row = record(emailer)
    results = [services.deliver(notification_id=row.pk) for _ in range(3)]
    assert [r.sent for r in results] == [True, False, False]
    assert [r.retry_in for r in results] == [None, None, None]
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["owner@example.com"]
    assert message.subject == "Your shop زعفران is approved"
    assert message.extra_headers["Message-ID"] == f"<notification-{row.pk}@bazarcheh.ir>"


def test_a_row_claimed_by_another_worker_is_left_alone(emailer, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    row = record(emailer)
    Notification.objects.filter(pk=row.pk).update(
        status=NotificationStatus.SENDING, claimed_at=timezone.now()
    )
    outcome = services.deliver(notification_id=row.pk)
    assert outcome.sent is False and outcome.retry_in > 200  # until the lease ends
    assert mail.outbox == []


def test_an_abandoned_claim_is_sent_again_with_the_same_reference(texter, sms_server, settings):
    # A worker died after the provider took the message but before marking it SENT.
    row = record(texter)
    assert row.channel == "SMS"
    assert services.deliver(notification_id=row.pk).sent
    assert len(sms_server.log.messages) == 1
    long_ago = timezone.now() - timedelta(seconds=settings.NOTIFICATION_SEND_LEASE_SECONDS + 1)
    Notification.objects.filter(pk=row.pk).update(
        status=NotificationStatus.SENDING, claimed_at=long_ago
    )
    assert services.deliver(notification_id=row.pk).sent
    assert len(sms_server.log.messages) == 1  # the provider saw the same localid
    assert sms_server.log.requests == 2
    row.refresh_from_db()
    assert row.status == NotificationStatus.SENT and row.attempts == 2


def test_sms_provider_errors(texter, sms_server, settings):
    row = record(texter)
    sms_server.log.fail_next = 1
    first = services.deliver(notification_id=row.pk)
    row.refresh_from_db()
    assert first.retry_in and row.status == NotificationStatus.PENDING
    assert "HTTP 500" in row.last_error
    Notification.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())
    assert services.deliver(notification_id=row.pk).sent
    assert [m["receptor"] for m in sms_server.log.messages] == [PHONE]
    assert sms_server.log.messages[0]["sender"] == "10004346"


def test_an_sms_provider_that_hangs_times_out(texter, sms_server, settings):
    settings.SMS_TIMEOUT_SECONDS = 0.5
    sms_server.log.hang_seconds = 2
    row = record(texter)
    outcome = services.deliver(notification_id=row.pk)
    row.refresh_from_db()
    assert outcome.retry_in and row.status == NotificationStatus.PENDING
    assert "unreachable" in row.last_error


def test_a_refused_number_fails_at_once(texter, sms_server):
    sms_server.log.refuse_status = 411
    row = record(texter)
    assert services.deliver(notification_id=row.pk).retry_in is None
    row.refresh_from_db()
    assert (row.status, row.attempts) == (NotificationStatus.FAILED, 1)
    assert "411" in row.last_error


def test_one_row_per_event_recipient_and_channel(texter):
    first = record(texter)
    again = services.notify(
        event="seller.approved.owner",
        recipients=[recipients.of_user(texter)],
        context={"seller": "x"},
        dedup_key="seller:1:approved",
    )
    assert again == []
    assert Notification.objects.count() == 1
    # ...and one outbox job to send it, keyed by the row.
    assert list(Job.objects.values_list("dedup_key", "task", "kwargs")) == [
        (f"notification:{first.pk}", services.SEND_TASK, {"notification_id": first.pk})
    ]


def test_announcing_again_to_more_people_reaches_only_the_new_ones(texter, emailer):
    first = record(texter)
    again = services.notify(
        event="seller.approved.owner",
        recipients=[recipients.of_user(texter), recipients.of_user(emailer)],
        context={"seller": "x"},
        dedup_key="seller:1:approved",
    )
    assert [row.recipient for row in again] == [recipients.of_user(emailer).key]
    assert Notification.objects.filter(recipient=first.recipient).count() == 1
    assert Job.objects.count() == 2


def test_email_reaches_a_real_smtp_server(emailer, smtp_server):
    row = record(emailer)
    assert services.deliver(notification_id=row.pk).sent
    [message] = smtp_server.to("owner@example.com")
    assert "can now list products on Bazarcheh" in message["data"]
    assert f"notification-{row.pk}@bazarcheh.ir" in message["data"]


def test_sign_in_codes_are_wiped_once_sent(texter, sms_server):
    from marketplace.notifications import announce

    announce.login_code(phone=PHONE, code="482913", code_id=1)
    row = Notification.objects.get(template="account.login_code")
    assert services.deliver(notification_id=row.pk).sent
    row.refresh_from_db()
    assert row.context == {}
    assert "482913" in sms_server.log.messages[0]["message"]


def test_preferences_choose_the_channels(texter):
    from marketplace.notifications.models import NotificationPreference

    def channels(key: str) -> list[str]:
        rows = services.notify(
            event="seller.approved.owner",
            recipients=[recipients.of_user(texter)],
            context={"seller": "x"},
            dedup_key=key,
        )
        return sorted(row.channel for row in rows)

    # Default: one message, by SMS as there is a mobile number.
    assert channels("k1") == ["SMS"]
    NotificationPreference.objects.create(user=texter, kind="sellers", delivery="BOTH")
    assert channels("k2") == ["EMAIL", "SMS"]
    NotificationPreference.objects.filter(user=texter).update(delivery="EMAIL")
    assert channels("k3") == ["EMAIL"]
    # Marketing is off unless chosen.
    assert recipients.channels_for(recipients.of_user(texter), "marketing", None) == []


def test_a_long_wait_is_retried_in_steps_a_worker_may_hold(emailer, settings, monkeypatch):
    # A worker holds a retried message unacknowledged until its countdown has passed;
    # past the broker's visibility timeout Redis would hand it out a second time.
    from celery.exceptions import Retry

    from tests.conftest import every_task

    send_notification = every_task()["marketplace.notifications.tasks.send_notification"]
    row = record(emailer)
    later = timezone.now() + timedelta(seconds=settings.TASK_MAX_COUNTDOWN_SECONDS * 4)
    Notification.objects.filter(pk=row.pk).update(next_attempt_at=later)
    countdowns = []

    def retry(*, countdown):
        countdowns.append(countdown)
        return Retry(when=countdown)

    monkeypatch.setattr(send_notification, "retry", retry)
    with pytest.raises(Retry):
        send_notification.run(row.pk)
    assert countdowns == [settings.TASK_MAX_COUNTDOWN_SECONDS]
    assert Notification.objects.get(pk=row.pk).status == NotificationStatus.PENDING
