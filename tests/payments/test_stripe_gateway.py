"""The Stripe gateway with the official library against localstripe: PaymentIntents,
the signed webhook (forged, unsigned, replayed), refunds, and refunds whose answer was
lost, settled by reconciliation."""

from __future__ import annotations

import contextlib
import time
from datetime import timedelta
from decimal import Decimal

import pytest
import stripe

from marketplace.accounts.models import Address
from marketplace.checkout.info import build_checkout_info
from marketplace.checkout.models import CheckoutDelivery
from marketplace.orders import services as order_services
from marketplace.orders.models import Order, OrderStatus
from marketplace.payments import services
from marketplace.payments.gateways import get_gateway
from marketplace.payments.models import Payment, PaymentStatus, RefundStatus, WebhookEvent
from marketplace.payments.services import refund_payment
from marketplace.shipping.models import DeliveryMethod
from tests.builders.catalog import make_variant
from tests.builders.checkout import make_checkout
from tests.payments.conftest import announcements
from tests.payments.stripe_server import WEBHOOK_SECRET, intent_event, localstripe, signed

WEBHOOK = "/payments/stripe/webhook/"


@pytest.fixture(scope="module")
def stripe_base():
    with localstripe() as base:
        yield base


@pytest.fixture
def stripe_on(settings, stripe_base, seeded):
    settings.STRIPE_SECRET_KEY = "sk_test_bazarcheh"
    settings.STRIPE_API_BASE = stripe_base
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    return stripe.StripeClient("sk_test_bazarcheh", base_addresses={"api": stripe_base})


@pytest.fixture
def usd_order(stripe_on, buyer, seller_a):
    variant = make_variant(seller_a, quantity=5, channels=("ir", "intl"))
    checkout = usd_checkout(buyer, variant, 2)
    return order_services.complete_checkout(actor=buyer, checkout=checkout, gateway="stripe")


def usd_checkout(buyer, variant, quantity: int):
    checkout = make_checkout(
        [(variant, quantity)], user=buyer, channel="intl", deliver=False, address=False
    )
    checkout.shipping_address = Address.objects.create(
        first_name="Anna",
        last_name="Berg",
        phone="+4915112345678",
        country="DE",
        city="Berlin",
        street_address_1="Torstraße 1",
        postal_code="10119",
    )
    checkout.save(update_fields=["shipping_address"])
    method = DeliveryMethod.objects.get(name_en="International post", cooperative=None)
    for group in build_checkout_info(checkout).groups:
        CheckoutDelivery.objects.create(
            checkout=checkout, cooperative=group.cooperative, seller=group.seller, method=method
        )
    return checkout


def pay_with_card(
    client: stripe.StripeClient, intent_id: str, number: str = "4242424242424242"
) -> None:
    """What Stripe.js does in the browser: attach a card and confirm the intent."""
    card = {"number": number, "exp_month": 12, "exp_year": 2035, "cvc": "123"}
    method = client.v1.payment_methods.create({"type": "card", "card": card})
    client.v1.payment_intents.update(intent_id, {"payment_method": method.id})
    client.v1.payment_intents.confirm(intent_id)


def post_event(client, event: dict, **sign) -> int:
    body, header = signed(event, **sign)
    response = client.post(
        WEBHOOK, data=body, content_type="application/json", HTTP_STRIPE_SIGNATURE=header
    )
    return response.status_code


def test_checkout_creates_a_payment_intent_for_the_client(usd_order):
    order, payment = usd_order
    assert order.status == OrderStatus.UNCONFIRMED and order.currency == "USD"
    assert payment.status == PaymentStatus.PENDING
    assert payment.psp_reference.startswith("pi_")
    assert payment.action["kind"] == "CLIENT_SECRET"
    assert payment.action["client_secret"].startswith(payment.psp_reference)
    start = payment.transactions.get(kind="start")
    assert start.raw["response"]["amount"] == int(payment.total * 100)


def test_a_verified_webhook_confirms_the_order_once(client, stripe_on, usd_order):
    order, payment = usd_order
    pay_with_card(stripe_on, payment.psp_reference)
    event = intent_event("evt_paid_1", payment.psp_reference)
    assert post_event(client, event) == 200
    payment.refresh_from_db()
    order.refresh_from_db()
    assert payment.status == PaymentStatus.CHARGED and payment.captured_amount == payment.total
    assert (order.status, order.payment_status) == (OrderStatus.CONFIRMED, PaymentStatus.CHARGED)
    # The same event again, freshly signed: handled before, no second effect.
    assert post_event(client, event) == 200
    assert order.events.filter(type="CONFIRMED").count() == 1
    assert WebhookEvent.objects.filter(event_id="evt_paid_1").count() == 1
    assert announcements(order) == [{"order_id": order.pk, "paid": True}]


def test_a_webhook_replayed_a_day_later_is_rejected(client, stripe_on, usd_order):
    _order, payment = usd_order
    pay_with_card(stripe_on, payment.psp_reference)
    event = intent_event("evt_old", payment.psp_reference)
    assert post_event(client, event, at=int(time.time()) - 86400) == 400
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.PENDING


@pytest.mark.parametrize("secret", ["whsec_someone_else", ""])
def test_forged_and_unsigned_webhooks_are_rejected(client, stripe_on, usd_order, secret):
    _order, payment = usd_order
    pay_with_card(stripe_on, payment.psp_reference)
    event = intent_event("evt_forged", payment.psp_reference)
    if secret:
        assert post_event(client, event, secret=secret) == 400
    else:
        response = client.post(WEBHOOK, data=event, content_type="application/json")
        assert response.status_code == 400
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.PENDING
    assert not WebhookEvent.objects.exists()


def test_a_succeeded_event_for_an_unpaid_intent_changes_nothing(client, stripe_on, usd_order):
    order, payment = usd_order
    # Signed, but Stripe itself says the intent is not paid: the intent is what counts.
    assert post_event(client, intent_event("evt_early", payment.psp_reference)) == 200
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.PENDING
    assert Order.objects.get(pk=order.pk).status == OrderStatus.UNCONFIRMED


def test_an_event_about_an_unknown_intent_is_acknowledged(client, stripe_on):
    assert post_event(client, intent_event("evt_unknown", "pi_unknown")) == 200


def test_partial_refunds_go_through_stripe(client, stripe_on, usd_order, operator):
    _order, payment = usd_order
    pay_with_card(stripe_on, payment.psp_reference)
    post_event(client, intent_event("evt_paid_2", payment.psp_reference))
    payment.refresh_from_db()
    refund = refund_payment(actor=operator, payment=payment, amount=Decimal("5.00"))
    assert refund.status == RefundStatus.DONE and refund.psp_reference.startswith("re_")
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PARTIALLY_REFUNDED
    assert payment.refunded_amount == Decimal("5.00")
    remote = stripe_on.v1.refunds.retrieve(refund.psp_reference)
    assert remote.amount == 500


def test_stripe_unreachable_at_checkout_leaves_a_failed_payment(
    settings, stripe_on, buyer, seller_a
):
    settings.STRIPE_API_BASE = "http://127.0.0.1:9"
    variant = make_variant(seller_a, quantity=5, channels=("ir", "intl"))
    checkout = usd_checkout(buyer, variant, 1)
    order, payment = order_services.complete_checkout(
        actor=buyer, checkout=checkout, gateway="stripe"
    )
    assert payment.status == PaymentStatus.FAILED
    assert order.status == OrderStatus.UNCONFIRMED


class LostRefundAnswers(stripe.RequestsClient):
    """Stripe makes the refund but its answer never arrives; with `before`, the request
    never reaches Stripe at all."""

    def __init__(self, *, before: bool) -> None:
        super().__init__(timeout=15)
        self.before = before

    def request(self, method, url, headers, post_data=None):
        refund = method.lower() == "post" and url.split("?")[0].endswith("/v1/refunds")
        if refund and self.before:
            raise stripe.APIConnectionError("connection refused")
        answer = super().request(method, url, headers, post_data)
        if refund:
            raise stripe.APIConnectionError("read timed out")
        return answer


@pytest.mark.parametrize("before", [False, True], ids=["answer-lost", "never-arrived"])
def test_a_refund_whose_answer_was_lost_is_settled_once(
    client, monkeypatch, stripe_on, usd_order, operator, before
):
    _order, payment = usd_order
    pay_with_card(stripe_on, payment.psp_reference)
    post_event(client, intent_event("evt_paid_lost", payment.psp_reference))
    payment.refresh_from_db()
    with monkeypatch.context() as patch:
        patch.setattr(
            get_gateway("stripe"), "http_client", lambda: LostRefundAnswers(before=before)
        )
        refund = refund_payment(actor=operator, payment=payment, amount=Decimal("5.00"))
    assert refund.status == RefundStatus.PENDING
    remote = stripe_on.v1.refunds.list({"payment_intent": payment.psp_reference}).data
    assert len(remote) == (0 if before else 1)
    assert services.reconcile_refunds(older_than=timedelta(0)) == 1
    refund.refresh_from_db()
    payment.refresh_from_db()
    assert refund.status == RefundStatus.DONE and refund.psp_reference.startswith("re_")
    assert payment.status == PaymentStatus.PARTIALLY_REFUNDED
    assert payment.refunded_amount == Decimal("5.00")
    assert services.reconcile_refunds(older_than=timedelta(0)) == 0
    remote = stripe_on.v1.refunds.list({"payment_intent": payment.psp_reference}).data
    assert [(r.id, r.amount) for r in remote] == [(refund.psp_reference, 500)]


def test_a_declined_card_fails_the_payment_and_keeps_the_order(client, stripe_on, usd_order):
    order, payment = usd_order
    # A card that attaches but whose charge is declined.
    with contextlib.suppress(stripe.CardError):
        pay_with_card(stripe_on, payment.psp_reference, number="4000000000000341")
    assert stripe_on.v1.payment_intents.retrieve(payment.psp_reference).last_payment_error
    event = intent_event("evt_declined", payment.psp_reference, "payment_intent.payment_failed")
    assert post_event(client, event) == 200
    payment.refresh_from_db()
    order.refresh_from_db()
    assert payment.status == PaymentStatus.FAILED
    assert (order.status, order.payment_status) == (OrderStatus.UNCONFIRMED, PaymentStatus.FAILED)


def test_a_canceled_intent_fails_the_payment(client, stripe_on, usd_order):
    order, payment = usd_order
    stripe_on.v1.payment_intents.cancel(payment.psp_reference)
    event = intent_event("evt_canceled", payment.psp_reference, "payment_intent.canceled")
    assert post_event(client, event) == 200
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.FAILED
    assert Order.objects.get(pk=order.pk).status == OrderStatus.UNCONFIRMED


def test_stripe_unreachable_at_the_webhook_asks_for_it_again(
    client, settings, stripe_on, stripe_base, usd_order
):
    order, payment = usd_order
    pay_with_card(stripe_on, payment.psp_reference)
    settings.STRIPE_API_BASE = "http://127.0.0.1:9"
    event = intent_event("evt_retry", payment.psp_reference)
    assert post_event(client, event) == 503
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.PENDING
    assert not WebhookEvent.objects.filter(event_id="evt_retry").exists()
    # Stripe delivers it again once we answer.
    settings.STRIPE_API_BASE = stripe_base
    assert post_event(client, event) == 200
    assert Order.objects.get(pk=order.pk).status == OrderStatus.CONFIRMED


def test_reconciliation_settles_an_intent_whose_webhook_never_came(stripe_on, usd_order):
    order, payment = usd_order
    assert services.reconcile_pending(older_than=timedelta(0)) == 0  # not paid yet
    pay_with_card(stripe_on, payment.psp_reference)
    assert services.reconcile_pending(older_than=timedelta(0)) == 1
    assert services.reconcile_pending(older_than=timedelta(0)) == 0
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.CHARGED and payment.captured_amount == payment.total
    assert Order.objects.get(pk=order.pk).status == OrderStatus.CONFIRMED


def test_two_events_about_one_intent_confirm_once(client, stripe_on, usd_order):
    order, payment = usd_order
    pay_with_card(stripe_on, payment.psp_reference)
    first = post_event(client, intent_event("evt_twice", payment.psp_reference))
    other = post_event(client, intent_event("evt_twice_other_id", payment.psp_reference))
    assert (first, other) == (200, 200)
    assert order.events.filter(type="CONFIRMED").count() == 1
    assert payment.transactions.filter(kind="verify").count() == 1
