"""The admin shows what was sent, never a sign-in code waiting to go, and edits nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from marketplace.notifications import announce
from marketplace.notifications.models import Notification

pytestmark = pytest.mark.django_db

PHONE = "+989151234567"


def test_a_pending_sign_in_code_is_not_shown_and_no_row_can_be_edited(client, operator):
    announce.login_code(phone=PHONE, code="482913", code_id=1)
    row = Notification.objects.get()
    client.force_login(operator)
    url = reverse("admin:notifications_notification_change", args=[row.pk])
    page = client.get(url)
    assert page.status_code == 200
    body = page.content.decode()
    assert PHONE in body and "482913" not in body
    client.post(url, {"phone": "+989121112233", "status": "PENDING"})
    row.refresh_from_db()
    assert row.phone == PHONE
    assert client.get(reverse("admin:notifications_notification_add")).status_code == 403


def test_other_messages_show_their_context(client, operator, seller_a):
    announce.seller_approved(seller=seller_a)
    row = Notification.objects.get()
    client.force_login(operator)
    page = client.get(reverse("admin:notifications_notification_change", args=[row.pk]))
    assert seller_a.name in page.content.decode()
