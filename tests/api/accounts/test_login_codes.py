"""Signing in with a code sent by SMS (accountRequestLoginCode, tokenCreateFromLoginCode)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from marketplace.accounts.models import LoginCode, User
from marketplace.notifications.models import Notification
from tests.builders.accounts import PASSWORD, make_user

pytestmark = pytest.mark.django_db

PHONE = "+989151234567"
REQUEST = """mutation($phone: String!) {
  accountRequestLoginCode(phone: $phone) { errors { field code message } }
}"""
SIGN_IN = """mutation($phone: String!, $code: String!) {
  tokenCreateFromLoginCode(phone: $phone, code: $code) {
    token refreshToken user { phone email } errors { field code message }
  }
}"""
ME = "{ me { phone email } }"


def request_code(api, phone=PHONE, **kwargs) -> list[dict]:
    return api(REQUEST, {"phone": phone}, **kwargs)["data"]["accountRequestLoginCode"]["errors"]


def sign_in(api, code, phone=PHONE) -> dict:
    return api(SIGN_IN, {"phone": phone, "code": code})["data"]["tokenCreateFromLoginCode"]


def sent_code(phone=PHONE) -> str:
    row = Notification.objects.filter(phone=phone, template="account.login_code").latest("pk")
    return row.context["code"]


def test_a_new_phone_signs_up_with_its_code(api):
    assert request_code(api, phone="۰۹۱۵ ۱۲۳ ۴۵۶۷") == []
    code = sent_code()
    assert len(code) == 6 and code.isdigit()
    stored = LoginCode.objects.get()
    assert code not in stored.code_hash  # only a keyed hash is kept
    result = sign_in(api, code)
    assert result["errors"] == []
    assert result["user"] == {"phone": PHONE, "email": None}
    user = User.objects.get(phone=PHONE)
    assert not user.has_usable_password()
    assert api(ME, token=result["token"])["data"]["me"]["phone"] == PHONE


def test_an_existing_account_signs_in_and_the_answers_do_not_differ(api):
    existing = make_user("known@example.com", phone=PHONE)
    stranger = "+989121112233"
    assert request_code(api) == request_code(api, phone=stranger) == []
    result = sign_in(api, sent_code())
    assert result["user"]["email"] == existing.email
    assert User.objects.count() == 1  # no account for the stranger until they sign in


def test_a_code_is_used_once(api):
    request_code(api)
    code = sent_code()
    assert sign_in(api, code)["errors"] == []
    again = sign_in(api, code)
    assert again["token"] is None
    assert [(e["field"], e["code"]) for e in again["errors"]] == [("code", "INVALID")]


def test_wrong_codes_count_and_the_fifth_ends_the_code(api):
    request_code(api)
    code = sent_code()
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        assert sign_in(api, wrong)["errors"][0]["code"] == "INVALID"
    assert LoginCode.objects.get().tries == 5
    # Even the right code no longer works.
    assert sign_in(api, code)["errors"][0]["code"] == "INVALID"
    assert not User.objects.filter(phone=PHONE).exists()


def test_an_expired_code_is_refused(api):
    request_code(api)
    LoginCode.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert sign_in(api, sent_code())["errors"][0]["code"] == "INVALID"


def test_a_new_code_replaces_the_old_one(api, settings):
    settings.LOGIN_CODE_RESEND_SECONDS = 0
    request_code(api)
    first = sent_code()
    request_code(api)
    second = sent_code()
    if first != second:
        assert sign_in(api, first)["errors"][0]["code"] == "INVALID"
    assert sign_in(api, second)["errors"] == []


@pytest.mark.parametrize("phone", ["12345", "02151234567", "", "۰۹۱۵" * 20, "+98915\x001234567"])
def test_malformed_phones_get_a_clear_error(api, phone):
    errors = request_code(api, phone=phone)
    assert len(errors) == 1 and errors[0]["field"] == "phone"
    assert errors[0]["code"] in {"INVALID", "REQUIRED"}
    assert not LoginCode.objects.exists()


@pytest.mark.parametrize("code", ["", "12345", "1234567", "abcdef", "۱۲۳۴۵" + "x"])
def test_malformed_codes_are_invalid(api, code):
    request_code(api)
    assert sign_in(api, code)["errors"][0]["code"] == "INVALID"


def test_a_flood_of_requests_is_throttled_per_phone(api, settings):
    settings.LOGIN_CODE_RESEND_SECONDS = 0
    codes = [request_code(api) for _ in range(settings.LOGIN_CODE_PER_PHONE_HOUR + 3)]
    assert codes[: settings.LOGIN_CODE_PER_PHONE_HOUR] == [[]] * settings.LOGIN_CODE_PER_PHONE_HOUR
    assert {e[0]["code"] for e in codes[settings.LOGIN_CODE_PER_PHONE_HOUR :]} == {"THROTTLED"}
    assert LoginCode.objects.count() == settings.LOGIN_CODE_PER_PHONE_HOUR


def test_a_second_request_within_the_minute_is_throttled(api):
    assert request_code(api) == []
    assert request_code(api)[0]["code"] == "THROTTLED"


def test_a_flood_from_one_client_is_throttled_across_phones(api, settings):
    settings.LOGIN_CODE_PER_CLIENT_HOUR = 3
    answers = [request_code(api, phone=f"+98915123450{i}") for i in range(5)]
    assert [bool(a) for a in answers] == [False, False, False, True, True]
    assert answers[-1][0]["code"] == "THROTTLED"


def test_the_throttle_store_is_shared_not_per_process(settings):
    # Redis in production; otherwise PostgreSQL (tests/core/test_throttle.py races it).
    from marketplace.core import throttle
    from marketplace.core.models import ThrottleCount

    assert "locmem" not in settings.CACHES["throttle"]["BACKEND"]
    assert throttle.allow("probe", "key", limit=1, window=10)
    assert throttle._in_redis() or ThrottleCount.objects.exists()


def test_aliased_attempts_in_one_request_are_refused(api):
    request_code(api)
    doc = """mutation($p: String!) {
      a: tokenCreateFromLoginCode(phone: $p, code: "000001") { errors { code } }
      b: tokenCreateFromLoginCode(phone: $p, code: "000002") { errors { code } }
    }"""
    data = api(doc, {"p": PHONE})["data"]
    assert data["a"]["errors"][0]["code"] == "INVALID"
    assert LoginCode.objects.get().tries == 0


SET_PASSWORD = """mutation($password: String!) {
  accountSetPassword(password: $password) { token errors { field code } }
}"""
TOKEN = """mutation($login: String!, $password: String!) {
  tokenCreate(email: $login, password: $password) { token errors { code } }
}"""


def test_a_phone_only_account_adds_a_password_once(api):
    request_code(api)
    token = sign_in(api, sent_code())["token"]
    result = api(SET_PASSWORD, {"password": PASSWORD}, token=token)["data"]["accountSetPassword"]
    assert result["errors"] == [] and result["token"]
    signed = api(TOKEN, {"login": "09151234567", "password": PASSWORD})["data"]["tokenCreate"]
    assert signed["errors"] == [] and signed["token"]
    again = api(SET_PASSWORD, {"password": "Another-1405-pass"}, token=result["token"])
    assert again["data"]["accountSetPassword"]["errors"][0]["code"] == "INVALID_STATUS"


def test_old_codes_are_deleted(api):
    from marketplace.accounts.login_codes import delete_old_codes

    request_code(api)
    assert delete_old_codes() == 0
    LoginCode.objects.update(expires_at=timezone.now() - timedelta(days=2))
    assert delete_old_codes() == 1 and not LoginCode.objects.exists()
