"""Fixtures of the return tests: a delivered order of coop A's member."""

from __future__ import annotations

import pytest

from marketplace.orders.services import complete_checkout
from marketplace.payments.models import PaymentStatus
from tests.builders.catalog import make_variant
from tests.builders.returns import deliver, delivered_order
from tests.payments.stripe_server import intent_event, localstripe
from tests.payments.test_stripe_gateway import pay_with_card, post_event, usd_checkout
from tests.s3_store import bucket, s3_endpoint  # noqa: F401 (fixtures)


@pytest.fixture
def saffron(seeded, seller_a):
    return make_variant(seller_a, quantity=10, price=250_000)


@pytest.fixture
def honey(seeded, seller_a):
    return make_variant(seller_a, quantity=10, price=400_000)


@pytest.fixture
def delivered(buyer, staff_a, saffron, honey, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return delivered_order(buyer, [(saffron, 2), (honey, 1)], staff_a)


@pytest.fixture(scope="module")
def stripe_base():
    with localstripe() as base:
        yield base


@pytest.fixture
def paid_usd_order(settings, client, stripe_base, seeded, buyer, seller_a, staff_a):
    import stripe

    settings.STRIPE_SECRET_KEY = "sk_test_bazarcheh"
    settings.STRIPE_API_BASE = stripe_base
    settings.STRIPE_WEBHOOK_SECRET = "whsec_bazarcheh_test"
    remote = stripe.StripeClient("sk_test_bazarcheh", base_addresses={"api": stripe_base})
    variant = make_variant(seller_a, quantity=5, channels=("ir", "intl"))
    order, payment = complete_checkout(
        actor=buyer, checkout=usd_checkout(buyer, variant, 2), gateway="stripe"
    )
    pay_with_card(remote, payment.psp_reference)
    post_event(client, intent_event(f"evt_paid_{payment.pk}", payment.psp_reference))
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.CHARGED
    deliver(order.shipments.get(), staff_a)
    return order, payment, remote
