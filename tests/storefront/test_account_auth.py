# ruff: noqa: F811 - pytest fixtures are imported by name
"""Signing up, in and out through the account pages; `next` leads back (the panel sends
producers here), and account pages send strangers to sign in."""

from __future__ import annotations

import pytest
from django.urls import reverse

from marketplace.accounts.models import User
from tests.builders.accounts import PASSWORD
from tests.storefront.shopping import shopper, sign_in, text  # noqa: F401

SIGN_UP = {
    "firstName": "مریم",
    "lastName": "کاظمی",
    "email": "maryam@example.com",
    "phone": "۰۹۱۵۱۲۳۴۵۶۷",
    "password": PASSWORD,
}


def test_sign_up_with_persian_digits_then_go_on(seeded, shopper):
    response = shopper.post(reverse("account:signup"), {**SIGN_UP, "next": "/panel/"})
    assert response.status_code == 302 and response.url == "/panel/"
    user = User.objects.get(email="maryam@example.com")
    assert user.phone == "+989151234567" and user.first_name == "مریم"
    home = shopper.get(reverse("account:index"))
    assert "مریم کاظمی" in text(home)


def test_sign_up_errors_next_to_fields(seeded, shopper, buyer):
    response = shopper.post(
        reverse("account:signup"),
        {**SIGN_UP, "email": buyer.email, "phone": "123", "password": "short"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    for name in ("phone", "password"):
        assert f'id="f-{name}-error"' in body, name
    # Whether the email already has an account is not told.
    assert 'id="f-email-error"' not in body
    assert f'value="{buyer.email}"' in body
    assert PASSWORD not in body and 'value="short"' not in body
    assert User.objects.filter(email=buyer.email).count() == 1


def test_sign_in_by_email_or_mobile(seeded, shopper, buyer):
    buyer.phone = "+989121112233"
    buyer.save()
    response = sign_in(shopper, "۰۹۱۲۱۱۱۲۲۳۳", next="/account/orders/")
    assert response.status_code == 302 and response.url == "/account/orders/"
    shopper.post(reverse("account:signout"))
    assert shopper.get(reverse("account:orders")).status_code == 302
    assert sign_in(shopper, buyer.email).url == reverse("account:index")


def test_wrong_password_and_foreign_next(seeded, shopper, buyer):
    response = sign_in(shopper, buyer.email, "wrong-password")
    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.content.decode()
    response = sign_in(shopper, buyer.email, next="https://evil.example.com/")
    assert response.url == reverse("account:index")


@pytest.mark.parametrize(
    "url", ["/account/", "/account/orders/", "/account/addresses/", "/account/addresses/new/"]
)
def test_account_pages_need_signing_in(seeded, shopper, url):
    response = shopper.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("account:signin") + "?next=")
    assert url.replace("/", "%2F") in response.url


def test_sign_out_is_a_post(seeded, shopper, buyer):
    sign_in(shopper, buyer.email)
    assert shopper.get(reverse("account:signout")).status_code == 405
    assert shopper.post(reverse("account:signout")).status_code == 302
    assert shopper.get(reverse("account:index")).status_code == 302


def test_junk_sign_in_and_sign_up(seeded, shopper):
    for data in ({}, {"login": "x" * 5000, "password": "y"}, {"email": "\x00", "phone": "۰"}):
        assert shopper.post(reverse("account:signin"), data).status_code == 200
        assert shopper.post(reverse("account:signup"), data).status_code == 200
