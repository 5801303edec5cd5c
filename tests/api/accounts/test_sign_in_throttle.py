"""Password guessing: tokenCreate is sent alone (aliases and fragments cannot try many
passwords in one request) and failed tries are limited per account and per client
address in the shared throttle store; the admin's sign-in form locks out with
django-axes, counted in the database per client address and per account."""

from __future__ import annotations

import json

import pytest
from axes.models import AccessAttempt
from django.test import Client

from marketplace.accounts.models import User
from tests.builders.accounts import PASSWORD, make_user

pytestmark = pytest.mark.django_db

TOKEN_CREATE = """mutation($login: String!, $password: String!) {
  tokenCreate(email: $login, password: $password) { token errors { field code message } }
}"""


def sign_in(client: Client, login: str, password: str, address: str = "203.0.113.7") -> dict:
    response = client.post(
        "/graphql/",
        data=json.dumps(
            {"query": TOKEN_CREATE, "variables": {"login": login, "password": password}}
        ),
        content_type="application/json",
        REMOTE_ADDR=address,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200, response.content
    return response.json()["data"]["tokenCreate"]


def error_codes(payload: dict) -> list[tuple[str | None, str]]:
    return [(e["field"], e["code"]) for e in payload["errors"]]


@pytest.fixture
def limits(settings):
    settings.SIGN_IN_FAILURES_PER_ACCOUNT_HOUR = 3
    settings.SIGN_IN_FAILURES_PER_CLIENT_HOUR = 5
    return settings


@pytest.mark.parametrize(
    "document",
    [
        """mutation { a: tokenCreate(email: "buyer@example.com", password: "wrong-1") { token
          errors { code message } }
          b: tokenCreate(email: "buyer@example.com", password: "%s") { token
          errors { code message } } }""",
        """mutation { ...Guesses } fragment Guesses on Mutation {
          a: tokenCreate(email: "buyer@example.com", password: "wrong-1") { token
          errors { code message } }
          b: tokenCreate(email: "buyer@example.com", password: "%s") { token
          errors { code message } } }""",
        """mutation { ... on Mutation { tokenCreate(email: "buyer@example.com", password: "%s") {
          token errors { code message } } } tokenRefresh(refreshToken: "x") { token } }""",
    ],
    ids=["aliases", "fragment", "beside-another-mutation"],
)
def test_one_token_create_per_request(api, buyer, document):
    data = api(document % PASSWORD)["data"]
    answers = [value for value in data.values() if "errors" in value and value.get("errors")]
    token_answers = [value for value in data.values() if "token" in value]
    assert all(answer["token"] is None for answer in token_answers)
    messages = {error["message"] for answer in answers for error in answer["errors"]}
    assert "Send this mutation alone in its request, and only once." in messages


def test_alone_it_signs_in(client, buyer):
    payload = sign_in(client, "buyer@example.com", PASSWORD)
    assert payload["errors"] == [] and payload["token"]


def test_failures_are_limited_per_account_whatever_the_spelling(client, limits):
    make_user("sara@example.com", phone="+989151234567")
    for index, login in enumerate(["sara@example.com", "SARA@example.com", "09151234567"]):
        payload = sign_in(client, login, "wrong", address=f"198.51.100.{index}")
        assert error_codes(payload) == [("email", "INVALID_CREDENTIALS")]
    # The right password, from yet another address, no longer gets through this hour.
    for login in ("۰۹۱۵ ۱۲۳ ۴۵۶۷", "Sara@Example.com"):
        payload = sign_in(client, login, PASSWORD, address="198.51.100.50")
        assert error_codes(payload) == [("email", "THROTTLED")] and payload["token"] is None
    # Other accounts are not affected.
    make_user("reza@example.com")
    assert sign_in(client, "reza@example.com", PASSWORD, address="198.51.100.50")["token"]


def test_failures_are_limited_per_client_address(client, limits, buyer):
    for index in range(5):
        payload = sign_in(client, f"guess{index}@example.com", "wrong")
        assert error_codes(payload) == [("email", "INVALID_CREDENTIALS")]
    payload = sign_in(client, "buyer@example.com", PASSWORD)
    assert error_codes(payload) == [("email", "THROTTLED")]
    assert sign_in(client, "buyer@example.com", PASSWORD, address="192.0.2.1")["token"]


def test_successful_sign_ins_are_not_held_against_anyone(client, limits, buyer):
    for _ in range(limits.SIGN_IN_FAILURES_PER_CLIENT_HOUR + 2):
        assert sign_in(client, "buyer@example.com", PASSWORD)["errors"] == []
    for _ in range(2):
        sign_in(client, "buyer@example.com", "wrong")
    assert sign_in(client, "buyer@example.com", PASSWORD)["errors"] == []


def test_the_storefront_counts_the_browsers_address(limits, buyer):
    from marketplace.api.inprocess import execute

    for index in range(5):
        variables = {"login": f"stranger{index}@example.com", "password": "wrong"}
        execute(TOKEN_CREATE, variables, client_address="198.51.100.9")
    right = {"login": "buyer@example.com", "password": PASSWORD}
    throttled = execute(TOKEN_CREATE, right, client_address="198.51.100.9")
    assert throttled["data"]["tokenCreate"]["errors"][0]["code"] == "THROTTLED"
    elsewhere = execute(TOKEN_CREATE, right, client_address="198.51.100.10")
    assert elsewhere["data"]["tokenCreate"]["token"]


# ---------------------------------------------------------------- the admin's sign-in form


def admin_sign_in(client: Client, email: str, password: str, address: str):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": email, "password": password, "next": "/admin/"},
        REMOTE_ADDR=address,
    )


@pytest.fixture
def staff(settings) -> User:
    settings.AXES_FAILURE_LIMIT = 3
    return make_user("ops@example.com", is_staff=True, is_superuser=True)


def test_the_admin_form_locks_out_a_client_address(staff):
    make_user("ops2@example.com", is_staff=True, is_superuser=True)
    browser = Client()
    for attempt in range(3):
        response = admin_sign_in(browser, f"nobody{attempt}@example.com", "wrong", "203.0.113.9")
        assert response.status_code in (200, 429)
    locked = admin_sign_in(browser, "ops2@example.com", PASSWORD, "203.0.113.9")
    assert locked.status_code == 429
    assert Client().get("/admin/", REMOTE_ADDR="203.0.113.9").status_code == 302
    assert AccessAttempt.objects.filter(ip_address="203.0.113.9").exists()
    other = Client()
    assert admin_sign_in(other, "ops2@example.com", PASSWORD, "203.0.113.10").status_code == 302
    assert other.get("/admin/").status_code == 200


def test_the_admin_form_locks_out_an_account_from_any_address(staff):
    for attempt in range(3):
        admin_sign_in(Client(), "ops@example.com", "wrong", f"203.0.113.{20 + attempt}")
    browser = Client()
    assert admin_sign_in(browser, "ops@example.com", PASSWORD, "203.0.113.40").status_code == 429
    assert browser.get("/admin/").status_code == 302


def test_a_success_before_the_limit_starts_the_count_again(staff):
    browser = Client()
    for _ in range(2):
        admin_sign_in(browser, "ops@example.com", "wrong", "203.0.113.50")
    assert admin_sign_in(browser, "ops@example.com", PASSWORD, "203.0.113.50").status_code == 302
    browser.logout()
    for _ in range(2):
        admin_sign_in(browser, "ops@example.com", "wrong", "203.0.113.50")
    assert admin_sign_in(browser, "ops@example.com", PASSWORD, "203.0.113.50").status_code == 302
