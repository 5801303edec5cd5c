"""What became of each SMS: the provider's delivery reports, asked for in batches."""

from __future__ import annotations

import pytest

from integrations.notifications.kavenegar import Kavenegar
from marketplace.notifications import recipients, services
from marketplace.notifications.models import Notification
from tests.builders.accounts import make_user

pytestmark = pytest.mark.django_db


def sent_sms(count: int) -> list[Notification]:
    rows = []
    for index in range(count):
        user = make_user(f"texter{index}@example.com", phone=f"+98915123456{index}")
        [row] = services.notify(
            event="seller.approved.owner",
            recipients=[recipients.of_user(user)],
            context={"seller": "زعفران"},
            dedup_key=f"seller:{index}:approved",
        )
        assert services.deliver(notification_id=row.pk).sent
        row.refresh_from_db()
        rows.append(row)
    return rows


def test_delivered_and_undelivered_are_recorded_once(sms_server):
    delivered, blocked, queued = sent_sms(3)
    sms_server.log.statuses = {int(blocked.provider_ref): 14, int(queued.provider_ref): 4}
    before = sms_server.log.requests
    assert services.record_sms_delivery_reports() == 2
    assert sms_server.log.requests == before + 1  # one question for the batch
    reports = dict(Notification.objects.values_list("pk", "delivery_report"))
    assert reports == {delivered.pk: "DELIVERED", blocked.pk: "UNDELIVERED", queued.pk: ""}
    # Later the queued one arrives; the others are not asked about again.
    sms_server.log.statuses = {}
    assert services.record_sms_delivery_reports() == 1
    assert Notification.objects.get(pk=queued.pk).delivery_report == "DELIVERED"
    assert services.record_sms_delivery_reports() == 0


def test_a_failing_provider_leaves_them_for_next_time(sms_server):
    [row] = sent_sms(1)
    sms_server.log.fail_next = 1
    assert services.record_sms_delivery_reports() == 0
    row.refresh_from_db()
    assert row.delivery_report == "" and row.delivery_checked_at is not None
    assert services.record_sms_delivery_reports() == 1


def test_the_development_outbox_has_no_reports(tmp_path, settings):
    settings.SMS_BACKEND = "integrations.notifications.files.FileSms"
    settings.SMS_FILE_PATH = str(tmp_path)
    sent_sms(1)
    assert services.record_sms_delivery_reports() == 0


def test_the_adapter_reads_only_final_statuses(sms_server):
    sms_server.log.statuses = {8001: 10, 8002: 11, 8003: 1, 8004: 100}
    reports = Kavenegar().delivery_reports(["8001", "8002", "8003", "8004"])
    assert reports == {"8001": "DELIVERED", "8002": "UNDELIVERED", "8004": "UNDELIVERED"}
    assert Kavenegar().delivery_reports([]) == {}
