"""A sign-in code while the SMS provider fails: the request answers normally, the code
arrives once the provider is back, and a code that expired meanwhile is never sent."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from marketplace.notifications import services
from marketplace.notifications.models import Notification, NotificationStatus

pytestmark = pytest.mark.django_db

PHONE = "+989151234567"
REQUEST = """mutation($phone: String!) {
  accountRequestLoginCode(phone: $phone) { errors { field code message } }
}"""
SIGN_IN = """mutation($phone: String!, $code: String!) {
  tokenCreateFromLoginCode(phone: $phone, code: $code) { token errors { code } }
}"""


def request_code(api) -> list[dict]:
    return api(REQUEST, {"phone": PHONE})["data"]["accountRequestLoginCode"]["errors"]


def code_row() -> Notification:
    return Notification.objects.get(template="account.login_code")


@pytest.mark.parametrize("fault", ["500", "timeout"])
def test_a_failing_provider_delays_the_code_and_loses_nothing(api, sms_server, settings, fault):
    if fault == "500":
        sms_server.log.fail_next = 1
    else:
        settings.SMS_TIMEOUT_SECONDS = 0.5
        sms_server.log.hang_seconds = 2
    assert request_code(api) == []
    row = code_row()
    first = services.deliver(notification_id=row.pk)
    assert first.retry_in and not first.sent
    # After a timeout the provider may still have taken it: the retry carries the same
    # localid, so the phone gets one SMS either way.
    sms_server.log.hang_seconds = 0
    Notification.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())
    assert services.deliver(notification_id=row.pk).sent
    [sms] = sms_server.to(PHONE)
    code = next(word for word in sms["message"].split() if word.isdigit() and len(word) == 6)
    answer = api(SIGN_IN, {"phone": PHONE, "code": code})["data"]["tokenCreateFromLoginCode"]
    assert answer["errors"] == [] and answer["token"]


def test_a_code_that_expired_while_the_provider_was_down_is_not_sent(api, sms_server, settings):
    sms_server.log.fail_next = 1
    assert request_code(api) == []
    row = code_row()
    assert services.deliver(notification_id=row.pk).retry_in
    later = timezone.now() - timedelta(seconds=settings.LOGIN_CODE_TTL_SECONDS)
    Notification.objects.filter(pk=row.pk).update(created=later, next_attempt_at=timezone.now())
    outcome = services.deliver(notification_id=row.pk)
    assert (outcome.sent, outcome.retry_in) == (False, None)
    row.refresh_from_db()
    assert row.status == NotificationStatus.FAILED and row.context == {}
    assert "expired" in row.last_error
    assert sms_server.log.messages == []
