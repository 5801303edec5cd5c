"""/graphql/ is CSRF-exempt, so it signs callers in by bearer token only: the admin's
session cookie, which a browser sends with a form posted from any origin, counts for
nothing there."""

import json
from urllib.parse import urlencode

import pytest
from django.test import Client

from marketplace.accounts.tokens import create_access_token
from marketplace.sellers.models import CooperativeStaff
from tests.support import gid

pytestmark = pytest.mark.django_db

STAFF_ADD = """mutation { cooperativeStaffAdd(cooperative: "%s", email: "buyer@example.com") {
  cooperative { name } errors { field code } } }"""


@pytest.fixture
def browser(operator) -> Client:
    """The operator's browser: signed in to the admin, CSRF checked as in production."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(operator)
    return client


@pytest.mark.parametrize("enctype", ["application/x-www-form-urlencoded", "multipart/form-data"])
def test_a_form_from_another_origin_runs_nothing_privileged(browser, coop_a, buyer, enctype):
    query = STAFF_ADD % gid(coop_a)
    if enctype == "multipart/form-data":
        body = {"operations": json.dumps({"query": query}), "map": "{}"}
    else:
        body = urlencode({"query": query})
    response = browser.post(
        "/graphql/",
        body,
        **({"content_type": enctype} if enctype != "multipart/form-data" else {}),
        HTTP_ORIGIN="https://evil.example",
        HTTP_REFERER="https://evil.example/page.html",
    )
    if enctype == "multipart/form-data":
        # An anonymous multipart request is refused before it is read.
        assert response.status_code == 403
        assert response.json()["errors"][0]["extensions"]["code"] == "PERMISSION_DENIED"
    else:
        payload = response.json()["data"]["cooperativeStaffAdd"]
        assert payload["cooperative"] is None
        assert payload["errors"] == [{"field": None, "code": "PERMISSION_DENIED"}]
    assert not CooperativeStaff.objects.exists()


def test_the_session_cookie_does_not_sign_the_caller_in(browser, operator):
    response = browser.post(
        "/graphql/", data='{"query": "{ me { email } }"}', content_type="application/json"
    )
    assert response.json() == {"data": {"me": None}}


def test_a_bearer_token_beside_the_session_cookie_is_the_caller(browser, buyer):
    response = browser.post(
        "/graphql/",
        data='{"query": "{ me { email } }"}',
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {create_access_token(buyer)}",
    )
    assert response.json() == {"data": {"me": {"email": "buyer@example.com"}}}
