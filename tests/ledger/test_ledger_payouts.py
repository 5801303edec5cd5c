"""The payout batch: Paya file for Sheba accounts, Stripe Connect transfers against a
local Stripe-protocol server, skipped payees, hold days, and never paying twice."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from marketplace.channels.models import Channel
from marketplace.core.errors import DomainError
from marketplace.ledger import payouts, selectors, services
from marketplace.ledger.models import Payout, PayoutBatch, PayoutProfile, PayoutStatus
from marketplace.ledger.split import cooperative_party, seller_party
from marketplace.notifications.models import Notification
from marketplace.orders import services as order_services
from marketplace.payments.models import Payment
from marketplace.shipping.models import DeliveryMethod, DeliveryRate
from tests.builders.catalog import make_variant
from tests.builders.checkout import make_checkout
from tests.builders.shipping import EXPRESS_POST
from tests.ledger.conftest import place
from tests.ledger.test_ledger_postings import collect_cash

SHEBA = "IR050170000000123456789012"
LATER = timedelta(days=8)


@pytest.fixture
def completed(variants, three_sellers, coop_b):
    """seller_a (Sheba on file) and seller_b (none) have money available."""
    seller_a = three_sellers[0]
    seller_a.payout_iban, seller_a.payout_holder = SHEBA, "Reza Rezaei"
    seller_a.save(update_fields=["payout_iban", "payout_holder"])
    order = place([(variants[0], 2), (variants[1], 1)])
    collect_cash(order)
    services.post_order_completed(order=order)
    return order


def test_bank_batch_pays_sellers_with_a_sheba_and_skips_the_others(completed, three_sellers):
    seller_a, seller_b, _independent = three_sellers
    owed_a = selectors.balance_of(seller_party(seller_a.pk), "IRR").available
    assert payouts.run_payouts(currency="IRR").payouts.count() == 0  # held for 7 days
    PayoutBatch.objects.all().delete()

    batch = payouts.run_payouts(currency="IRR", now=timezone.now() + LATER)
    payout = batch.payouts.get()
    assert (payout.seller, payout.amount, payout.status) == (seller_a, owed_a, "PENDING")
    rows = list(csv.reader(io.StringIO(batch.bank_file)))
    assert rows == [
        ["sheba", "holder", "amount_rial", "reference"],
        [SHEBA, "Reza Rezaei", f"{owed_a:.0f}", payout.reference],
    ]
    assert [entry["seller"] for entry in batch.skipped] == [seller_b.pk]
    assert batch.skipped[0]["reason"]
    after = selectors.balance_of(seller_party(seller_a.pk), "IRR")
    assert after.available == 0
    assert selectors.balance_of(seller_party(seller_b.pk), "IRR").available > 0

    again = payouts.run_payouts(currency="IRR", now=timezone.now() + LATER)
    assert again.pk == batch.pk and Payout.objects.count() == 1


def test_sent_then_failed_payout_returns_to_available(completed, three_sellers, operator):
    seller_a = three_sellers[0]
    owed_a = selectors.balance_of(seller_party(seller_a.pk), "IRR").available
    batch = payouts.run_payouts(currency="IRR", now=timezone.now() + LATER)
    assert payouts.mark_batch_sent(actor=operator, batch=batch) == 1
    assert payouts.mark_batch_sent(actor=operator, batch=batch) == 0
    sent = batch.payouts.get()
    # The producer hears of the transfer once, however often the batch is marked.
    assert Notification.objects.filter(event_key=f"payout:{sent.pk}:sent").count() == 1
    assert selectors.balance_of(seller_party(seller_a.pk), "IRR").paid_out == owed_a

    payout = batch.payouts.get()
    assert payouts.mark_payout_failed(actor=operator, payout=payout, reason="Account closed")
    assert not payouts.mark_payout_failed(actor=operator, payout=payout, reason="again")
    balance = selectors.balance_of(seller_party(seller_a.pk), "IRR")
    assert (balance.available, balance.paid_out) == (owed_a, 0)
    # The next week's batch pays it again: once.
    later = payouts.run_payouts(
        currency="IRR", run_on=timezone.localdate() + timedelta(days=7), now=timezone.now() + LATER
    )
    assert later.payouts.get().amount == owed_a


def test_only_operators_mark_payouts(completed, three_sellers):
    batch = payouts.run_payouts(currency="IRR", now=timezone.now() + LATER)
    owner = three_sellers[0].owner
    with pytest.raises(DomainError):
        payouts.mark_batch_sent(actor=owner, batch=batch)
    assert batch.payouts.get().status == PayoutStatus.PENDING


def test_stripe_transfers_are_sent_once(online, stripe_server, three_sellers, settings):
    settings.PAYOUT_MINIMUM = {"USD": "1"}
    seller_a, seller_b, _independent = three_sellers
    variant_a = make_variant(seller_a, channels=("ir", "intl"))
    variant_b = make_variant(seller_b, channels=("ir", "intl"))
    DeliveryRate.objects.create(
        method=DeliveryMethod.objects.get(name=EXPRESS_POST, cooperative=None, seller=None),
        channel=Channel.objects.get(slug="intl"),
        price=Decimal("5.00"),
    )
    checkout = make_checkout([(variant_a, 2), (variant_b, 1)], channel="intl")
    order, payment = order_services.complete_checkout(
        actor=None, checkout=checkout, gateway=online.id
    )
    assert order.currency == "USD"
    services.post_payment_captured(payment=Payment.objects.get(pk=payment.pk), amount=order.total)
    services.post_order_completed(order=order)
    PayoutProfile.objects.create(seller=seller_a, stripe_account="acct_1A")
    PayoutProfile.objects.create(seller=seller_b, stripe_account="acct_closed")
    owed_a = selectors.balance_of(seller_party(seller_a.pk), "USD").available
    owed_b = selectors.balance_of(seller_party(seller_b.pk), "USD").available

    batch = payouts.run_payouts(currency="USD", now=timezone.now() + LATER)
    sent = batch.payouts.get(seller=seller_a)
    assert (sent.status, sent.reference) == ("SENT", stripe_server.transfers[0]["id"])
    assert stripe_server.transfers == [
        {
            "id": sent.reference,
            "object": "transfer",
            "amount": int(owed_a * 100),
            "currency": "usd",
            "destination": "acct_1A",
        }
    ]
    failed = batch.payouts.get(seller=seller_b)
    assert failed.status == "FAILED" and "closed" in failed.failure
    assert selectors.balance_of(seller_party(seller_b.pk), "USD").available == owed_b
    assert selectors.balance_of(seller_party(seller_a.pk), "USD").paid_out == owed_a

    payouts.run_payouts(currency="USD", now=timezone.now() + LATER)
    payouts.send_transfers(batch=batch)
    assert len(stripe_server.transfers) == 1


def test_cooperative_is_paid_to_its_profile_sheba(online, variants, coop_b, settings):
    settings.PAYOUT_MINIMUM = {"IRR": "1"}
    order = place([(variants[1], 1)], gateway=online.id)
    services.post_payment_captured(payment=Payment.objects.get(order=order), amount=order.total)
    services.post_order_completed(order=order)
    PayoutProfile.objects.create(cooperative=coop_b, iban=SHEBA, holder="Kashmar Coop")
    owed = selectors.balance_of(cooperative_party(coop_b.pk), "IRR").available
    assert owed >= 300_000  # its 10% fee and the shipping
    batch = payouts.run_payouts(currency="IRR", now=timezone.now() + LATER)
    assert batch.payouts.get(cooperative=coop_b).amount == owed
    assert batch.payouts.get(cooperative=coop_b).holder == "Kashmar Coop"


def test_weekly_task_runs_on_the_payout_day_only(completed, settings):
    from marketplace.ledger.tasks import run_weekly_payouts

    settings.PAYOUT_HOLD_DAYS = 0
    settings.PAYOUT_WEEKDAY = (timezone.localdate().weekday() + 1) % 7
    assert run_weekly_payouts() == 0
    assert not PayoutBatch.objects.exists()
    settings.PAYOUT_WEEKDAY = timezone.localdate().weekday()
    assert run_weekly_payouts() == 1
    assert run_weekly_payouts() == 1
    assert Payout.objects.count() == 1


def test_a_balance_under_the_minimum_waits_for_a_later_batch(completed, three_sellers, settings):
    party = seller_party(three_sellers[0].pk)
    owed = selectors.balance_of(party, "IRR").available
    settings.PAYOUT_MINIMUM = {"IRR": str(owed + 1)}
    batch = payouts.run_payouts(currency="IRR", now=timezone.now() + LATER)
    assert batch.payouts.count() == 0
    assert selectors.balance_of(party, "IRR").available == owed
    settings.PAYOUT_MINIMUM = {"IRR": str(owed)}
    later = payouts.run_payouts(
        currency="IRR", run_on=timezone.localdate() + timedelta(days=7), now=timezone.now() + LATER
    )
    assert later.payouts.get().amount == owed
