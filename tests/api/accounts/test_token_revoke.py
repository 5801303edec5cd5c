"""Signing out revokes tokens: `tokenRevoke` makes every access and refresh token issued
to the user so far stop working; a new password does the same. Tokens carry the user's
token version, never anything of the password hash."""

from __future__ import annotations

import jwt
import pytest
from django.conf import settings

from marketplace.accounts import tokens
from tests.builders.accounts import PASSWORD

pytestmark = pytest.mark.django_db

TOKEN = """mutation($email: String!, $password: String!) {
  tokenCreate(email: $email, password: $password) { token refreshToken errors { code } } }"""
REFRESH = """mutation($t: String!) { tokenRefresh(refreshToken: $t) { token errors { code } } }"""
REVOKE = """mutation($t: String) { tokenRevoke(refreshToken: $t) { errors { field code } } }"""
ME = "{ me { email } }"


def _sign_in(api, user) -> dict:
    return api(TOKEN, {"email": user.email, "password": PASSWORD})["data"]["tokenCreate"]


def test_revoking_with_the_access_token_ends_every_token(api, buyer):
    first, second = _sign_in(api, buyer), _sign_in(api, buyer)
    assert api(REVOKE, token=first["token"])["data"]["tokenRevoke"]["errors"] == []
    for pair in (first, second):
        api(ME, token=pair["token"], status=401)
        refused = api(REFRESH, {"t": pair["refreshToken"]})["data"]["tokenRefresh"]
        assert refused["token"] is None and refused["errors"] == [{"code": "INVALID"}]
    fresh = _sign_in(api, buyer)
    assert api(ME, token=fresh["token"])["data"]["me"] == {"email": buyer.email}


def test_revoking_with_the_refresh_token_alone(api, buyer):
    pair = _sign_in(api, buyer)
    assert api(REVOKE, {"t": pair["refreshToken"]})["data"]["tokenRevoke"]["errors"] == []
    assert api(REFRESH, {"t": pair["refreshToken"]})["data"]["tokenRefresh"]["token"] is None


def test_revoking_needs_a_token(api, buyer):
    errors = api(REVOKE, {"t": "nonsense"})["data"]["tokenRevoke"]["errors"]
    assert errors == [{"field": "refreshToken", "code": "INVALID"}]


def test_a_new_password_saved_alone_revokes_tokens(api, buyer):
    pair = _sign_in(api, buyer)
    buyer.set_password("another-long-passphrase-2")
    buyer.save(update_fields=["password"])
    api(ME, token=pair["token"], status=401)


def test_tokens_carry_no_part_of_the_password_hash(buyer):
    payload = jwt.decode(
        tokens.create_refresh_token(buyer), settings.SECRET_KEY, algorithms=[tokens.ALGORITHM]
    )
    assert payload["ver"] == buyer.token_version
    assert set(payload) == {"sub", "type", "iat", "exp", "ver"}
