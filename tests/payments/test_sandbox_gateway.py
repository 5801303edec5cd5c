"""The sandbox gateway end to end: the Shaparak adapter against the gateway Bazarcheh
serves itself, the payment page, the callback, verification and its faults."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection

from marketplace.core import outbox
from marketplace.notifications.models import Notification
from marketplace.orders import paying
from marketplace.orders.models import Order, OrderStatus
from marketplace.payments import services
from marketplace.payments.gateways import GatewayResponse
from marketplace.payments.models import (
    Payment,
    PaymentStatus,
    SandboxSession,
    SandboxStatus,
    Transaction,
)
from marketplace.payments.signals import payment_captured
from tests.builders.catalog import make_variant
from tests.builders.inventory import stock_of
from tests.payments.conftest import (
    ANNOUNCE,
    RETURN_URL,
    announcements,
    callback,
    decide,
    place,
    query_of,
)
from tests.support import count_queries, run_jobs


def test_checkout_waits_for_the_gateway_with_stock_allocated(placed, goods):
    order, payment = placed
    assert order.status == OrderStatus.UNCONFIRMED
    assert order.payment_status == PaymentStatus.PENDING
    assert payment.status == PaymentStatus.PENDING and payment.psp_reference
    assert payment.action == {
        "kind": "REDIRECT",
        "url": f"/payments/sandbox/pg/StartPay/{payment.psp_reference}",
    }
    assert stock_of(goods[0]).quantity_allocated == 1
    assert stock_of(goods[1]).quantity_allocated == 2
    session = SandboxSession.objects.get(authority=payment.psp_reference)
    assert session.amount == int(order.total) and session.status == SandboxStatus.NEW
    start = Transaction.objects.get(payment=payment, kind="start")
    assert start.raw["response"]["data"]["code"] == 100
    assert start.raw["request"]["body"]["merchant_id"].startswith("…")


def test_a_sandbox_served_on_its_own_sends_buyers_to_its_origin(settings, sandbox, buyer, goods):
    settings.PAYMENT_PUBLIC_URL = "https://shop.example.com"
    settings.SANDBOX_PUBLIC_URL = "https://gateway.example.com"
    _order, payment = place(buyer, goods)
    assert payment.action["url"] == (
        f"https://gateway.example.com/payments/sandbox/pg/StartPay/{payment.psp_reference}"
    )
    session = SandboxSession.objects.get(authority=payment.psp_reference)
    assert session.callback_url == "https://shop.example.com/payments/sandbox/callback/"


def test_callbacks_run_their_repeated_statements_prepared(
    settings, client, sandbox, buyer, seller_a, seller_b
):
    """A callback's writes have one shape whatever the order: like mutations, they are
    planned once per connection (marketplace.core.db), not on every payment."""
    goods = [make_variant(seller_a, quantity=30), make_variant(seller_b, quantity=30)]
    for _ in range(settings.DB_PREPARE_THRESHOLD + 1):
        _order, payment = place(buyer, goods)
        response = callback(client, decide(client, payment.action["url"], "paid"))
        assert query_of(response["Location"])["payment"] == "paid"
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s",
            ['%INSERT INTO "ledger_posting"%'],
        )
        assert cursor.fetchone()[0] == 1


def test_the_payment_page_shows_the_order_and_the_amount_in_toman(client, placed):
    order, payment = placed
    page = client.get(payment.action["url"], HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    assert str(order.number) in html
    assert str(int(order.total / 10)) in html and "toman" in html
    assert 'name="result" value="paid"' in html and 'name="result" value="canceled"' in html


def test_paying_confirms_the_order_after_verification(client, placed):
    order, payment = placed
    captured = []

    def listen(sender, **kw):
        captured.append(kw["amount"])

    # Only this listener goes away afterwards: the ledger's receiver stays connected.
    payment_captured.connect(listen, weak=False)
    try:
        location = decide(client, payment.action["url"], "paid")
        assert query_of(location)["Status"] == "OK"
        response = callback(client, location)
    finally:
        payment_captured.disconnect(listen)
    assert response.status_code == 302
    assert response["Location"].startswith(RETURN_URL)
    assert query_of(response["Location"])["payment"] == "paid"
    payment.refresh_from_db()
    order.refresh_from_db()
    assert payment.status == PaymentStatus.CHARGED
    assert payment.captured_amount == payment.total == order.total
    assert (order.status, order.payment_status) == (OrderStatus.CONFIRMED, PaymentStatus.CHARGED)
    assert order.expires_at is None
    verify = Transaction.objects.get(payment=payment, kind="verify")
    assert verify.is_success and verify.raw["response"]["data"]["code"] == 100
    assert verify.raw["response"]["data"]["card_pan"].count("*") == 6
    assert captured == [order.total]


def test_the_same_callback_twice_has_one_effect(client, placed):
    order, payment = placed
    location = decide(client, payment.action["url"], "paid")
    first = callback(client, location)
    second = callback(client, location)
    assert first["Location"] == second["Location"]
    assert order.events.filter(type="CONFIRMED").count() == 1
    assert order.events.filter(type="PAYMENT_CAPTURED").count() == 1
    assert Payment.objects.get(pk=payment.pk).captured_amount == order.total


def test_double_click_on_pay_is_one_decision(client, placed):
    _order, payment = placed
    url = payment.action["url"]
    client.post(url, {"result": "paid"})
    again = client.post(url, {"result": "canceled"})
    assert query_of(again["Location"])["Status"] == "OK"
    assert SandboxSession.objects.get(authority=payment.psp_reference).status == "PAID"


def test_cancel_on_the_page_fails_the_payment_and_keeps_the_order(client, placed, goods):
    order, payment = placed
    response = callback(client, decide(client, payment.action["url"], "canceled"))
    assert query_of(response["Location"])["payment"] == "failed"
    payment.refresh_from_db()
    order.refresh_from_db()
    assert payment.status == PaymentStatus.FAILED and payment.captured_amount == 0
    assert (order.status, order.payment_status) == (OrderStatus.UNCONFIRMED, PaymentStatus.FAILED)
    assert stock_of(goods[0]).quantity_allocated == 1


def test_a_forged_ok_callback_is_verified_and_changes_nothing_but_failure(client, placed):
    order, payment = placed
    # The buyer never paid, but the callback claims OK: the gateway says not paid (-51).
    response = client.get(
        f"/payments/sandbox/callback/?Authority={payment.psp_reference}&Status=OK"
    )
    assert query_of(response["Location"])["payment"] == "failed"
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.FAILED and payment.captured_amount == 0
    assert Order.objects.get(pk=order.pk).status == OrderStatus.UNCONFIRMED


@pytest.mark.parametrize("authority", ["", "S999", "A" + "0" * 35])
def test_an_unknown_authority_gets_a_clear_page(client, sandbox, authority):
    response = client.get(f"/payments/sandbox/callback/?Authority={authority}&Status=OK")
    assert response.status_code == 400
    assert b"<h1>" in response.content


def test_the_sandbox_page_of_an_unknown_authority_is_not_found(client, placed):
    _order, payment = placed
    unknown = payment.action["url"].replace(payment.psp_reference, "S" + "9" * 35)
    assert client.get(unknown).status_code == 404
    assert client.post(unknown, {"result": "paid"}).status_code == 404


def test_another_gateways_authority_is_unknown_here(client, placed):
    _order, payment = placed
    response = client.get(
        f"/payments/shaparak/callback/?Authority={payment.psp_reference}&Status=OK"
    )
    assert response.status_code == 400
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.PENDING


def test_a_callback_with_another_orders_authority_touches_only_that_order(
    client, sandbox, buyer, goods
):
    mine, my_payment = place(buyer, goods)
    theirs, their_payment = place(buyer, goods)
    # Paid on their page; the callback names their authority, never mine.
    location = decide(client, their_payment.action["url"], "paid")
    callback(client, location)
    assert Order.objects.get(pk=theirs.pk).status == OrderStatus.CONFIRMED
    assert Order.objects.get(pk=mine.pk).status == OrderStatus.UNCONFIRMED
    assert Payment.objects.get(pk=my_payment.pk).status == PaymentStatus.PENDING


def test_an_amount_mismatch_is_never_paid(client, placed):
    order, payment = placed
    location = decide(client, payment.action["url"], "paid")
    # The gateway took another amount than the payment's: verification fails (-50).
    SandboxSession.objects.filter(authority=payment.psp_reference).update(amount=1000)
    response = callback(client, location)
    assert query_of(response["Location"])["payment"] == "failed"
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.FAILED and payment.captured_amount == 0
    verify = Transaction.objects.get(payment=payment, kind="verify")
    assert verify.raw["response"]["errors"]["code"] == -50
    assert Order.objects.get(pk=order.pk).status == OrderStatus.UNCONFIRMED


def test_a_payment_settled_with_another_amount_is_not_paid(placed):
    _order, payment = placed
    response = GatewayResponse(
        status=PaymentStatus.CHARGED, kind="verify", amount=Decimal(1), raw={"x": 1}
    )
    outcome = services.settle(payment=payment, response=response)
    assert not outcome.paid
    assert Payment.objects.get(pk=payment.pk).captured_amount == 0


def test_without_a_return_url_the_callback_shows_a_page(client, sandbox, buyer, goods):
    _order, payment = place(buyer, goods, redirect_url=None)
    response = callback(client, decide(client, payment.action["url"], "paid"))
    assert response.status_code == 200 and b"<h1>" in response.content


def test_the_sandbox_is_off_unless_enabled(client, placed, settings):
    _order, payment = placed
    settings.PAYMENT_SANDBOX = False
    assert client.get(payment.action["url"]).status_code == 404


def messages(order: Order) -> list[tuple[str, str]]:
    return sorted(
        Notification.objects.filter(event_key__startswith=f"order:{order.pk}:").values_list(
            "template", "recipient"
        )
    )


def test_an_order_is_announced_only_once_its_payment_arrives(
    client, placed, buyer, staff_a, staff_b, seller_a, seller_b
):
    """Fulfillers are not asked to pack an order nobody has paid for: the checkout
    queues no announcement; the payment does, once however often the buyer comes back,
    and the buyer hears of the payment received, not of a second placed order."""
    order, payment = placed
    assert announcements(order) == []
    location = decide(client, payment.action["url"], "paid")
    callback(client, location)
    callback(client, location)
    assert announcements(order) == [{"order_id": order.pk, "paid": True}]
    run_jobs(ANNOUNCE)
    run_jobs(ANNOUNCE)
    assert messages(order) == sorted(
        [
            ("payment.confirmed.buyer", f"user:{buyer.pk}"),
            ("order.placed.fulfiller", f"user:{staff_a.pk}"),
            ("order.placed.fulfiller", f"user:{staff_b.pk}"),
            ("order.placed.seller", f"user:{seller_a.owner_id}"),
            ("order.placed.seller", f"user:{seller_b.owner_id}"),
        ]
    )


def test_an_unpaid_order_is_never_announced(client, placed):
    order, payment = placed
    callback(client, decide(client, payment.action["url"], "canceled"))
    assert Order.objects.get(pk=order.pk).status == OrderStatus.UNCONFIRMED
    assert announcements(order) == []
    assert messages(order) == []


def test_an_order_paid_again_on_delivery_is_announced_as_placed(client, placed, buyer):
    order, payment = placed
    callback(client, decide(client, payment.action["url"], "canceled"))
    paying.pay_order(actor=buyer, order=Order.objects.get(pk=order.pk), gateway="cod")
    assert announcements(order) == [{"order_id": order.pk, "paid": False}]
    run_jobs(ANNOUNCE)
    assert ("order.placed.buyer", f"user:{buyer.pk}") in messages(order)


def test_an_order_announced_at_checkout_before_still_hears_of_its_payment(
    client, placed, buyer, staff_a
):
    """Orders placed before the payment announced them had their announcement queued
    at checkout (and done): their payment still tells the buyer, and nobody twice."""
    order, payment = placed
    outbox.enqueue(ANNOUNCE, kwargs={"order_id": order.pk}, dedup_key=f"order:{order.pk}:placed")
    run_jobs(ANNOUNCE)
    told = messages(order)
    assert ("order.placed.fulfiller", f"user:{staff_a.pk}") in told
    callback(client, decide(client, payment.action["url"], "paid"))
    run_jobs(ANNOUNCE)
    assert messages(order) == sorted([*told, ("payment.confirmed.buyer", f"user:{buyer.pk}")])


def test_the_buyer_hears_when_the_payment_failed(client, placed):
    _order, payment = placed
    callback(client, decide(client, payment.action["url"], "canceled"))
    assert Notification.objects.filter(event_key=f"payment:{payment.pk}:failed").exists()


def test_a_paid_callback_runs_a_fixed_number_of_statements(client, sandbox, buyer, goods):
    """The buyer back from paying: the payment found (1); the gateway's verification,
    one conditional update (1); in one transaction (2 savepoints here, as the test runs
    in a transaction) the order and the payment locked in one statement (1), the
    exchange kept (1), both updated by one statement (1), the order's announcement
    queued (1), the events (1); the ledger's capture in the same transaction: the
    order's postings, the split's lines and parcels, the accounts, the posting with its
    entries (5). 36 before these were counted."""
    counts = []
    # The first payment to these parties opens their ledger accounts; later ones do not.
    for _ in range(2):
        _order, payment = place(buyer, goods)
        location = decide(client, payment.action["url"], "paid")
        count, response = count_queries(callback, client, location)
        assert query_of(response["Location"])["payment"] == "paid"
        counts.append(count)
    assert counts[1] == 14
