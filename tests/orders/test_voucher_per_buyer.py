"""A voucher's per-buyer limit counts a buyer's uses by account, by email (however it is
tagged, cased or, for Gmail, dotted) and by delivery mobile: neither a new guest address
nor signing out buys another use. Checked when the code is added and when the order is
placed."""

from __future__ import annotations

import importlib

import pytest

from marketplace.core.errors import DomainError
from marketplace.core.normalize import email_for_limits
from marketplace.discounts.models import VoucherUsage
from marketplace.orders import services
from tests.builders.accounts import make_user
from tests.builders.catalog import make_variant
from tests.builders.checkout import make_checkout
from tests.builders.discounts import make_voucher
from tests.support import codes

pytestmark = pytest.mark.django_db

LIMIT_REACHED = [("promo_code", "VOUCHER_INVALID")]


@pytest.fixture
def variant(ir, seller_a):
    return make_variant(seller_a, quantity=50)


@pytest.fixture
def voucher(ir):
    return make_voucher(per_buyer_limit=1)


def place(variant, voucher, *, user=None, email: str = "", phone: str = "+989121234567"):
    checkout = make_checkout([(variant, 1)], user=user, email=email, voucher=voucher)
    checkout.shipping_address.phone = phone
    checkout.shipping_address.save()
    return services.complete_checkout(actor=user, checkout=checkout, gateway="cod")


def refused(variant, voucher, **buyer) -> list:
    with pytest.raises(DomainError) as exc:
        place(variant, voucher, **buyer)
    return codes(exc)


@pytest.mark.parametrize(
    ("email", "key"),
    [
        ("Buyer@Example.com", "buyer@example.com"),
        (" buyer+1@example.com ", "buyer@example.com"),
        ("buyer+a+b@example.com", "buyer@example.com"),
        ("S.Ahmadi+shop@gmail.com", "sahmadi@gmail.com"),
        ("s.a.h.m.a.d.i@googlemail.com", "sahmadi@gmail.com"),
        # Other providers may give dotted names to different people.
        ("s.ahmadi@yahoo.com", "s.ahmadi@yahoo.com"),
        ("", ""),
        ("not-an-address", "not-an-address"),
    ],
)
def test_one_spelling_per_mailbox(email, key):
    assert email_for_limits(email) == key


@pytest.mark.parametrize(
    "again",
    ["BUYER+1@example.com", "buyer+voucher@EXAMPLE.com", "Buyer@Example.com"],
)
def test_a_guest_cannot_tag_the_email_for_another_use(variant, voucher, again):
    place(variant, voucher, email="buyer@example.com", phone="+989121111111")
    assert refused(variant, voucher, email=again, phone="+989122222222") == LIMIT_REACHED
    usage = VoucherUsage.objects.get()
    assert (usage.email_key, usage.phone) == ("buyer@example.com", "+989121111111")


def test_gmail_dots_are_one_mailbox(variant, voucher):
    place(variant, voucher, email="sara.ahmadi@gmail.com", phone="+989121111111")
    again = {"email": "s.araahmadi+2@googlemail.com", "phone": "+989122222222"}
    assert refused(variant, voucher, **again) == LIMIT_REACHED


def test_the_same_mobile_with_a_new_email_is_the_same_buyer(variant, voucher):
    place(variant, voucher, email="first@example.com", phone="+989121111111")
    again = {"email": "second@example.org", "phone": "+989121111111"}
    assert refused(variant, voucher, **again) == LIMIT_REACHED


def test_signing_in_or_out_gets_no_other_use(variant, ir):
    sara = make_user("sara@example.com", phone="+989153333333")
    as_guest = make_voucher(per_buyer_limit=1)
    place(variant, as_guest, email="Sara+guest@example.com", phone="+989121111111")
    # Her account's email is the one she used as a guest.
    elsewhere = {"user": sara, "phone": "+989124444444"}
    assert refused(variant, as_guest, **elsewhere) == LIMIT_REACHED

    signed_in = make_voucher(per_buyer_limit=1)
    place(variant, signed_in, user=sara, phone="+989121111111")
    # Signed out, with another address and email, to the mobile of her account.
    guest = {"email": "someone@example.org", "phone": "+989153333333"}
    assert refused(variant, signed_in, **guest) == LIMIT_REACHED


def test_other_buyers_are_not_affected(variant, voucher):
    place(variant, voucher, email="buyer@example.com", phone="+989121111111")
    place(variant, voucher, email="buyer2@example.com", phone="+989122222222")
    place(variant, voucher, user=make_user("reza@example.com"), phone="+989123333333")
    assert VoucherUsage.objects.count() == 3


def test_the_code_is_refused_when_added_too(api, variant, voucher):
    from tests.api.checkout.documents import CREATE, PROMO_ADD, line

    place(variant, voucher, email="buyer@example.com", phone="+989121111111")
    created = api(CREATE, {"input": {"email": "BUYER+2@example.com", "lines": [line(variant, 1)]}})
    checkout = created["data"]["checkoutCreate"]["checkout"]
    payload = api(PROMO_ADD, {"id": checkout["id"], "code": voucher.code})
    assert payload["data"]["checkoutAddPromoCode"]["errors"][0]["code"] == "VOUCHER_INVALID"


def test_past_uses_get_their_email_key_and_mobile(variant, voucher):
    from django.apps import apps

    place(variant, voucher, email="Buyer+x@example.com", phone="+989121111111")
    VoucherUsage.objects.update(email_key="", phone="")
    migration = importlib.import_module(
        "marketplace.discounts.migrations.0003_usage_email_key_phone"
    )
    migration.fill_keys(apps, None)
    usage = VoucherUsage.objects.get()
    assert (usage.email_key, usage.phone) == ("buyer@example.com", "+989121111111")
    assert refused(variant, voucher, email="buyer@example.com", phone="+989120000000")
