"""Fulfilment and the buyer's money: the cash of a cash-on-delivery order marks its
payment paid and, with the buyer's confirmation, reaches the sellers' available
balances; units packed short of an online payment are refunded once."""

from __future__ import annotations

import pytest
from django.test import Client

from marketplace.ledger import selectors as ledger
from marketplace.ledger.models import CauseKind, Posting
from marketplace.ledger.split import cooperative_party, seller_party
from marketplace.logistics import services, settlement
from marketplace.logistics.models import Parcel
from marketplace.orders.models import OrderStatus
from marketplace.payments.models import PaymentStatus, Refund
from tests.builders.catalog import make_variant
from tests.logistics.test_lifecycle import run_all
from tests.payments.conftest import callback, decide
from tests.payments.conftest import place as place_online


def test_completing_a_cash_order_posts_its_completion_in_the_ledger(
    two_coop_order, staff_a, staff_b, buyer, seller_a, django_capture_on_commit_callbacks
):
    order, first, second, _saffron = two_coop_order
    with django_capture_on_commit_callbacks(execute=True):
        run_all(staff_a, staff_b, order, first, second)
    payment = order.payments.get()
    assert payment.status == PaymentStatus.CHARGED
    parties = [seller_party(seller_a.pk), cooperative_party(first.cooperative_id)]
    before = ledger.balances(parties, order.currency)
    assert all(before[p].pending > 0 and before[p].available == 0 for p in parties)

    with django_capture_on_commit_callbacks(execute=True):
        services.confirm_receipt(actor=buyer, order=order)
    order.refresh_from_db()
    assert order.status == OrderStatus.COMPLETED
    after = ledger.balances(parties, order.currency)
    seller, cooperative = parties
    assert after[seller].pending == 0
    assert after[seller].available == before[seller].pending
    # The cooperative's share is settled against the cash it collected and still holds.
    assert after[cooperative].pending == 0
    assert (
        after[cooperative].cash_held == before[cooperative].cash_held - before[cooperative].pending
    )
    kinds = list(Posting.objects.filter(order_id=order.pk).values_list("cause_kind", flat=True))
    # The door payment's capture is not posted again: the cash is, parcel by parcel.
    assert sorted(kinds) == sorted([CauseKind.CASH, CauseKind.CASH, CauseKind.COMPLETION])


@pytest.fixture
def paid_online(settings, seeded, buyer, seller_a, seller_b):
    settings.PAYMENT_SANDBOX = True
    settings.PAYMENT_PUBLIC_URL = ""
    goods = [make_variant(seller_a, quantity=5), make_variant(seller_b, quantity=5)]
    order, payment = place_online(buyer, goods)
    client = Client()
    callback(client, decide(client, payment.action["url"], "paid"))
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.CHARGED
    return order, payment, seller_b


def test_packing_short_an_online_payment_refunds_the_short_amount_once(
    paid_online, staff_b, django_capture_on_commit_callbacks
):
    order, payment, seller_b = paid_online
    shipment = order.shipments.get(cooperative_id=seller_b.cooperative_id)
    line = shipment.lines.get()
    with django_capture_on_commit_callbacks(execute=True):
        services.pack_shipment(actor=staff_b, shipment=shipment, quantities={line.pk: 1})
    parcel = Parcel.objects.get(shipment=shipment)
    assert parcel.short_amount > 0 and parcel.cash_to_collect == 0
    settlement.refund_short(shipment=shipment, amount=parcel.short_amount)  # asked again
    refunds = list(Refund.objects.filter(payment=payment))
    assert [(r.amount, r.reason) for r in refunds] == [
        (parcel.short_amount, f"short-pack:{shipment.pk}")
    ]
    payment.refresh_from_db()
    assert payment.refunded_amount == parcel.short_amount
    assert payment.status == PaymentStatus.PARTIALLY_REFUNDED
    refunds_posted = Posting.objects.filter(order_id=order.pk, cause_kind=CauseKind.REFUND)
    assert refunds_posted.count() == 1
    assert refunds_posted.get().amount == parcel.short_amount
