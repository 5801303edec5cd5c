"""requestPasswordReset and setPassword: a reset link by email through the notifications,
tokens that work once, and answers that never tell whether an account has an email."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import mail

from marketplace.api.inprocess import execute
from marketplace.notifications import services as notifications
from marketplace.notifications.models import Notification
from tests.builders.accounts import PASSWORD

pytestmark = pytest.mark.django_db

REQUEST = """mutation ($email: String!, $url: String!) {
  requestPasswordReset(email: $email, redirectUrl: $url) { errors { field code message } }
}"""
SET = """mutation ($email: String, $token: String!, $password: String!) {
  setPassword(email: $email, token: $token, password: $password) {
    user { email } errors { field code message }
  }
}"""
LINK = "http://testserver/account/password/set/"
NEW_PASSWORD = "barberry-harvest-1404"


def ask(email: str, url: str = LINK) -> list[dict]:
    return execute(REQUEST, {"email": email, "url": url}, language="en")["data"][
        "requestPasswordReset"
    ]["errors"]


def set_password(email: str | None, token: str, password: str = NEW_PASSWORD) -> dict:
    variables = {"email": email, "token": token, "password": password}
    return execute(SET, variables, language="en")["data"]["setPassword"]


def emailed_token(user) -> str:
    notification = Notification.objects.get(template="account.password_reset", email=user.email)
    assert notifications.deliver(notification_id=notification.pk)
    [message] = mail.outbox
    assert message.to == [user.email]
    link = notification.context["link"]
    assert link.startswith(LINK) and link in message.body
    query = parse_qs(urlsplit(link).query)
    assert query["email"] == [user.email]
    return query["token"][0]


def test_a_reset_link_sets_a_new_password_once(buyer, client):
    assert ask("BUYER@example.com") == []
    token = emailed_token(buyer)
    done = set_password("buyer@example.com", token)
    assert done == {"user": {"email": "buyer@example.com"}, "errors": []}
    buyer.refresh_from_db()
    assert buyer.check_password(NEW_PASSWORD) and not buyer.check_password(PASSWORD)
    again = set_password("buyer@example.com", token, "another-long-password-9")
    assert [e["field"] for e in again["errors"]] == ["token"]


def test_asking_for_an_unknown_email_answers_the_same_and_sends_nothing(buyer):
    assert ask("nobody@example.com") == ask("buyer@example.com") == []
    assert list(Notification.objects.values_list("email", flat=True)) == ["buyer@example.com"]


@pytest.mark.parametrize(
    "url", ["https://evil.example/steal", "//evil.example/x", "javascript:alert(1)", ""]
)
def test_the_link_goes_only_to_the_shop(buyer, url):
    [error] = ask("buyer@example.com", url)
    assert error["field"] == "redirectUrl" or error["field"] == "redirect_url"
    assert not Notification.objects.exists()


def test_a_wrong_token_or_email_or_a_weak_password_is_refused(buyer, reza):
    ask("buyer@example.com")
    token = emailed_token(buyer)
    assert [e["field"] for e in set_password("reza@example.com", token)["errors"]] == ["token"]
    assert [e["field"] for e in set_password(None, token)["errors"]] == ["token"]
    assert [e["field"] for e in set_password("buyer@example.com", "x" * 500)["errors"]] == ["token"]
    weak = set_password("buyer@example.com", token, "123")
    assert [e["field"] for e in weak["errors"]] == ["password"]
    buyer.refresh_from_db()
    assert buyer.check_password(PASSWORD)
