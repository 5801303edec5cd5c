"""The storefront keeps the API's tokens sealed in the session, and signing out revokes
them: a copy of the session table gives no usable token, before or after."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse

from marketplace.accounts import tokens
from storefront import client
from tests.storefront.shopping import shopper, sign_in  # noqa: F401

pytestmark = pytest.mark.django_db


def _stored_session() -> dict:
    (row,) = Session.objects.all()
    return row.get_decoded()


def test_the_session_table_holds_no_usable_token(seeded, shopper, buyer):  # noqa: F811
    assert sign_in(shopper, buyer.email).status_code == 302
    stored = _stored_session()
    for value in stored.values():
        if isinstance(value, str):
            assert tokens.user_from_token(value) is None
            assert tokens.user_from_token(value, kind=tokens.REFRESH) is None
            assert not value.startswith("eyJ")
    request = SimpleNamespace(session=stored)
    access = client.session_token(request)
    refresh = client.session_token(request, client.REFRESH)
    assert tokens.user_from_token(access) == buyer
    assert tokens.user_from_token(refresh, kind=tokens.REFRESH) == buyer

    assert shopper.post(reverse("account:signout")).status_code == 302
    assert tokens.user_from_token(access) is None
    assert tokens.user_from_token(refresh, kind=tokens.REFRESH) is None
    assert client.session_token(SimpleNamespace(session=_stored_session())) is None
