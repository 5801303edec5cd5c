"""The forgotten-password pages: ask for a link, follow it, set a new password, sign in."""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

import pytest

from marketplace.notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_a_buyer_resets_the_password_from_the_emailed_link(client, buyer):
    page = client.get("/account/password/reset/", HTTP_ACCEPT_LANGUAGE="fa")
    assert page.status_code == 200 and "رمز عبور" in page.content.decode()
    for email in ("buyer@example.com", "nobody@example.com"):
        sent = client.post(
            "/account/password/reset/", {"email": email}, HTTP_ACCEPT_LANGUAGE="fa", follow=True
        )
        assert sent.status_code == 200
        assert "اگر حسابی با این ایمیل باشد" in sent.content.decode()
    link = Notification.objects.get(template="account.password_reset").context["link"]
    parts = urlsplit(link)
    assert parts.path == "/account/password/set/"
    form = client.get(f"{parts.path}?{parts.query}", HTTP_ACCEPT_LANGUAGE="fa")
    assert form.status_code == 200 and 'name="token"' in form.content.decode()

    fields = dict(pair.split("=", 1) for pair in parts.query.split("&"))
    data = {key: unquote(value) for key, value in fields.items()}
    weak = client.post(parts.path, data | {"password": "1"}, HTTP_ACCEPT_LANGUAGE="fa")
    assert weak.status_code == 400
    done = client.post(parts.path, data | {"password": "pistachio-orchard-77"})
    assert done.status_code == 302 and done["Location"] == "/account/signin/"
    buyer.refresh_from_db()
    assert buyer.check_password("pistachio-orchard-77")
