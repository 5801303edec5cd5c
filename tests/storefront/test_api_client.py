"""The storefront's API client: in process and over HTTP, signed in by the session's
tokens, refreshing an expired access token, and uploads in both modes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory

from storefront import client
from tests.builders.accounts import PASSWORD, make_user

ME = "query { me { email } }"
TOKEN = """
mutation T($email: String!, $password: String!) {
  tokenCreate(email: $email, password: $password) { token refreshToken errors { field code message } }
}
"""
REGISTER = """
mutation R($input: AccountRegisterInput!) {
  accountRegister(input: $input) { user { email } errors { field code message } }
}
"""


@pytest.fixture(params=["in-process", "http"])
def mode(request, settings, live_server):
    settings.STOREFRONT_API_URL = f"{live_server.url}/graphql/" if request.param == "http" else ""
    return request.param


def visitor(language: str = "fa"):
    request = RequestFactory().get("/")
    request.session = SessionStore()
    request.LANGUAGE_CODE = language
    return request


def sign_in(request, email: str, password: str) -> None:
    payload, errors = client.mutate(
        request, TOKEN, {"email": email, "password": password}, root="tokenCreate"
    )
    assert not errors
    client.sign_in(request, access=payload["token"], refresh=payload["refreshToken"])


@pytest.mark.django_db(transaction=True)
def test_anonymous_then_signed_in(mode):
    make_user("reader@example.com")
    request = visitor()
    assert client.query(request, ME) == {"me": None}
    sign_in(request, "reader@example.com", PASSWORD)
    assert client.query(request, ME) == {"me": {"email": "reader@example.com"}}
    client.sign_out(request)
    assert client.query(request, ME) == {"me": None}


@pytest.mark.django_db(transaction=True)
def test_field_errors_in_the_request_language(mode):
    for language, word in (("fa", "ایمیل"), ("en", "email")):
        payload, errors = client.mutate(
            visitor(language),
            REGISTER,
            {"input": {"email": "not an address", "password": PASSWORD}},
            root="accountRegister",
        )
        assert payload["user"] is None
        assert "email" in errors.by_field
        assert word in errors.by_field["email"][0].lower()


@pytest.mark.django_db(transaction=True)
def test_expired_access_token_is_refreshed(mode, settings):
    make_user("late@example.com")
    request = visitor()
    sign_in(request, "late@example.com", PASSWORD)
    settings.JWT_ACCESS_TTL = timedelta(seconds=-1)
    payload, _ = client.mutate(
        request, TOKEN, {"email": "late@example.com", "password": PASSWORD}, root="tokenCreate"
    )
    client.store_tokens(request.session, access=payload["token"])  # already expired
    settings.JWT_ACCESS_TTL = timedelta(minutes=30)
    assert client.query(request, ME) == {"me": {"email": "late@example.com"}}
    assert client.session_token(request) not in (None, payload["token"])


@pytest.mark.django_db(transaction=True)
def test_refused_refresh_signs_out(mode):
    request = visitor()
    client.store_tokens(request.session, access="not-a-token", refresh="not-a-token-either")
    assert client.query(request, ME) == {"me": None}
    assert not client.signed_in(request)


def test_uploads_are_split_out_per_the_multipart_spec():
    photo = SimpleUploadedFile("a.jpg", b"x", content_type="image/jpeg")
    plain, files = client._split_files({"input": {"product": "P", "image": photo}, "n": [photo]})
    assert plain == {"input": {"product": "P", "image": None}, "n": [None]}
    assert files == {"variables.input.image": photo, "variables.n.0": photo}
