# ruff: noqa: F811 - pytest fixtures are imported by name
"""The sign-in page offers a code by SMS first; a phone-only account adds a password and
chooses how messages reach it, all without JavaScript."""

from __future__ import annotations

from django.urls import reverse

from marketplace.accounts.models import User
from marketplace.notifications.models import Notification, NotificationPreference
from tests.builders.accounts import PASSWORD
from tests.storefront.shopping import shopper, sign_in, text  # noqa: F401

PHONE = "+989151234567"


def code_for(phone: str = PHONE) -> str:
    row = Notification.objects.filter(phone=phone, template="account.login_code").latest("pk")
    return row.context["code"]


def test_the_code_form_comes_first(seeded, shopper):
    body = shopper.get(reverse("account:signin")).content.decode()
    assert body.index(reverse("account:signin_code")) < body.index('name="password"')
    assert 'autocomplete="tel"' in body


def test_a_new_phone_signs_in_by_code_then_adds_a_password(seeded, shopper):
    page = shopper.post(
        reverse("account:signin_code"), {"phone": "۰۹۱۵ ۱۲۳ ۴۵۶۷", "next": "/panel/"}
    )
    assert page.status_code == 200
    assert 'autocomplete="one-time-code"' in page.content.decode()
    wrong = shopper.post(
        reverse("account:signin_code_verify"), {"phone": "09151234567", "code": "12"}
    )
    assert wrong.status_code == 200 and 'aria-invalid="true"' in wrong.content.decode()
    done = shopper.post(
        reverse("account:signin_code_verify"),
        {"phone": "09151234567", "code": code_for(), "next": "/panel/"},
    )
    assert done.status_code == 302 and done.url == "/panel/"
    home = shopper.get(reverse("account:index"))
    assert reverse("account:password") in home.content.decode()
    shopper.post(reverse("account:password"), {"password": PASSWORD})
    user = User.objects.get(phone=PHONE)
    assert user.has_usable_password()
    # Still signed in with the new tokens, and the form is gone.
    home = shopper.get(reverse("account:index"))
    assert home.status_code == 200 and reverse("account:password") not in home.content.decode()
    shopper.post(reverse("account:signout"))
    assert sign_in(shopper, "09151234567").status_code == 302


def test_message_settings(seeded, shopper, buyer):
    sign_in(shopper, buyer.email)
    page = text(shopper.get(reverse("account:index")))
    assert "News and offers" in page
    shopper.post(reverse("account:preferences"), {"kind-orders": "BOTH", "kind-marketing": "SMS"})
    chosen = dict(NotificationPreference.objects.values_list("kind", "delivery"))
    assert chosen == {"orders": "BOTH", "marketing": "SMS"}
    # Transactional messages cannot be turned off; junk is ignored.
    shopper.post(reverse("account:preferences"), {"kind-orders": "OFF", "kind-x": "SMS"})
    assert NotificationPreference.objects.get(kind="orders").delivery == "BOTH"
    # Back to the default; a kind left as it was is not sent again.
    shopper.post(
        reverse("account:preferences"),
        {
            "kind-orders": "AUTO",
            "was-orders": "BOTH",
            "kind-marketing": "SMS",
            "was-marketing": "SMS",
        },
    )
    assert dict(NotificationPreference.objects.values_list("kind", "delivery")) == {
        "marketing": "SMS"
    }
    page = shopper.get(reverse("account:index")).content.decode()
    assert 'name="was-orders" value="AUTO"' in page
    assert 'name="was-marketing" value="SMS"' in page


def test_a_malformed_phone_is_shown_next_to_the_field(seeded, shopper):
    page = shopper.post(reverse("account:signin_code"), {"phone": "12345"})
    assert page.status_code == 200
    assert 'id="c-phone-error"' in page.content.decode()
