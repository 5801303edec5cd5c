"""Cash on delivery after a short pack, through the fulfilment services: less cash is
collected, and the ledger takes it exactly from the producer whose units were missing;
the payment records the cash that arrived, not the order's total."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db.models import Sum
from django.test import Client
from django.utils import timezone

from marketplace.ledger import selectors, statements
from marketplace.ledger.models import AccountKind, CauseKind, Entry, Posting
from marketplace.ledger.split import PLATFORM, cooperative_party, seller_party, split_order
from marketplace.logistics import services as logistics
from marketplace.logistics.models import Parcel
from marketplace.orders.models import OrderStatus
from marketplace.payments.models import PaymentStatus
from tests.builders.catalog import make_variant
from tests.builders.discounts import make_voucher
from tests.builders.sellers import make_seller
from tests.ledger.conftest import place
from tests.logistics.test_lifecycle import POST_NUMBER
from tests.payments.conftest import callback, decide
from tests.payments.conftest import place as place_online


@pytest.fixture
def shared_parcel(ir, coop_a, staff_a, seller_a, buyer):
    """A cash-on-delivery order of two members of one cooperative: one parcel."""
    neighbour = make_seller("neighbour@example.com", "گلاب همسایه", coop_a)
    saffron = make_variant(seller_a, quantity=10, price=250_001)
    rosewater = make_variant(neighbour, quantity=10, price=90_000)
    order = place([(saffron, 2), (rosewater, 3)], buyer=buyer)
    shipment = order.shipments.get()
    return order, shipment, seller_a, neighbour


def test_short_packed_cash_order_nets_the_missing_units_from_their_producer(
    shared_parcel, staff_a, buyer, coop_a, django_capture_on_commit_callbacks
):
    order, shipment, seller_a, neighbour = shared_parcel
    lines = {line.seller_id: line for line in order.lines.all()}
    short_line = lines[neighbour.pk]
    split = split_order(order)
    missing = split.returned_parts({short_line.pk: 2})
    with django_capture_on_commit_callbacks(execute=True):
        logistics.pack_shipment(actor=staff_a, shipment=shipment, quantities={short_line.pk: 1})
        logistics.ship_shipment(actor=staff_a, shipment=shipment, tracking_number=POST_NUMBER)
        parcel = Parcel.objects.get(shipment=shipment)
        logistics.deliver_shipment(
            actor=staff_a, shipment=shipment, cash_collected=parcel.cash_to_collect
        )
        logistics.confirm_receipt(actor=buyer, order=order)
    order.refresh_from_db()
    assert order.status == OrderStatus.COMPLETED

    parties = [seller_party(seller_a.pk), seller_party(neighbour.pk), cooperative_party(coop_a.pk)]
    got = selectors.balances(parties, order.currency)
    whole = split.by_party()
    expected = {p: whole.get(p, Decimal(0)) - missing.get(p, Decimal(0)) for p in parties}
    # The member who packed everything is owed its whole part; the other loses exactly
    # the part of the units it did not pack.
    assert got[seller_party(seller_a.pk)].available == expected[seller_party(seller_a.pk)]
    assert got[seller_party(neighbour.pk)].available == expected[seller_party(neighbour.pk)]
    # The cooperative collected the cash: its fee and the shipping are netted against it.
    coop = got[cooperative_party(coop_a.pk)]
    assert coop.available == 0 and coop.pending == 0
    assert coop.cash_held == parcel.cash_to_collect - expected[cooperative_party(coop_a.pk)]
    commission = -Entry.objects.filter(account__kind=AccountKind.COMMISSION).aggregate(
        t=Sum("amount")
    )["t"]
    assert commission == whole[PLATFORM] - missing.get(PLATFORM, Decimal(0))
    # The remittance statement says the same: the missing units are the member's refunds.
    today = timezone.localdate()
    remittance = statements.cooperative_statement(
        actor=staff_a, cooperative=coop_a, start=today.replace(day=1), end=today
    )
    nets = {row.label: row.net for row in remittance.rows}
    assert nets == {
        seller_a.name: expected[seller_party(seller_a.pk)],
        neighbour.name: expected[seller_party(neighbour.pk)],
    }
    payment = order.payments.get()
    assert payment.status == PaymentStatus.CHARGED
    assert payment.captured_amount == parcel.cash_to_collect == order.total - parcel.short_amount


def _deliver(staff, shipment, quantities=None, number=POST_NUMBER) -> Parcel:
    logistics.pack_shipment(actor=staff, shipment=shipment, quantities=quantities)
    logistics.ship_shipment(actor=staff, shipment=shipment, tracking_number=number)
    parcel = Parcel.objects.get(shipment=shipment)
    logistics.deliver_shipment(
        actor=staff, shipment=shipment, cash_collected=parcel.cash_to_collect
    )
    return parcel


def test_short_pack_after_another_parcels_cash_is_taken_off_its_own_cash_only(
    ir,
    coop_a,
    coop_b,
    staff_a,
    staff_b,
    seller_a,
    seller_b,
    buyer,
    django_capture_on_commit_callbacks,
):
    saffron = make_variant(seller_a, quantity=10, price=250_001)
    raisins = make_variant(seller_b, quantity=10, price=90_000)
    order = place([(saffron, 1), (raisins, 3)], buyer=buyer)
    shipments = {s.cooperative_id: s for s in order.shipments.all()}
    raisin_line = order.lines.get(seller=seller_b)
    split = split_order(order)
    missing = split.returned_parts({raisin_line.pk: 1})
    with django_capture_on_commit_callbacks(execute=True):
        first = _deliver(staff_a, shipments[coop_a.pk])
        # The second parcel is packed short after the first one's cash came in.
        second = _deliver(
            staff_b, shipments[coop_b.pk], {raisin_line.pk: 2}, "999956789012345678901234"
        )
        logistics.confirm_receipt(actor=buyer, order=order)
    assert not Posting.objects.filter(order_id=order.pk, cause_kind=CauseKind.REFUND).exists()
    payment = order.payments.get()
    assert payment.captured_amount == first.cash_to_collect + second.cash_to_collect
    whole = split.by_party()
    got = selectors.balances([seller_party(seller_a.pk), seller_party(seller_b.pk)], "IRR")
    assert got[seller_party(seller_a.pk)].available == whole[seller_party(seller_a.pk)]
    assert got[seller_party(seller_b.pk)].available == (
        whole[seller_party(seller_b.pk)] - missing[seller_party(seller_b.pk)]
    )
    assert Entry.objects.aggregate(t=Sum("amount"))["t"] == 0


def test_short_packed_online_order_refunds_only_the_missing_units_producer(
    settings, ir, coop_a, staff_a, seller_a, buyer, django_capture_on_commit_callbacks
):
    settings.PAYMENT_SANDBOX = True
    settings.PAYMENT_PUBLIC_URL = ""
    neighbour = make_seller("neighbour@example.com", "گلاب همسایه", coop_a)
    goods = [
        make_variant(seller_a, quantity=10, price=250_001),
        make_variant(neighbour, quantity=10, price=90_000),
    ]
    order, payment = place_online(buyer, goods)
    browser = Client()
    callback(browser, decide(browser, payment.action["url"], "paid"))
    shipment = order.shipments.get()
    short_line = order.lines.get(seller=neighbour)
    split = split_order(order)
    missing = split.returned_parts({short_line.pk: 1})
    with django_capture_on_commit_callbacks(execute=True):
        parcel = _deliver(staff_a, shipment, {short_line.pk: 1})
    with django_capture_on_commit_callbacks(execute=True):
        logistics.confirm_receipt(actor=buyer, order=order)
    payment.refresh_from_db()
    assert payment.refunded_amount == parcel.short_amount > 0
    whole = split.by_party()
    got = selectors.balances([seller_party(seller_a.pk), seller_party(neighbour.pk)], "IRR")
    assert got[seller_party(seller_a.pk)].available == whole[seller_party(seller_a.pk)]
    assert got[seller_party(neighbour.pk)].available == (
        whole[seller_party(neighbour.pk)] - missing[seller_party(neighbour.pk)]
    )


def test_a_sellers_voucher_on_a_cash_order_is_borne_by_that_seller_alone(
    ir,
    coop_a,
    coop_b,
    staff_a,
    staff_b,
    seller_a,
    seller_b,
    buyer,
    django_capture_on_commit_callbacks,
):
    saffron = make_variant(seller_a, quantity=10, price=250_001)
    raisins = make_variant(seller_b, quantity=10, price=90_000)
    voucher = make_voucher(seller=seller_a, kind="FIXED", value=Decimal(100_000))
    order = place([(saffron, 2), (raisins, 3)], buyer=buyer, voucher=voucher)
    assert order.discount == 100_000
    shipments = {s.cooperative_id: s for s in order.shipments.all()}
    whole = split_order(order).by_party()
    with django_capture_on_commit_callbacks(execute=True):
        _deliver(staff_a, shipments[coop_a.pk])
        _deliver(staff_b, shipments[coop_b.pk], number="999956789012345678901234")
        logistics.confirm_receipt(actor=buyer, order=order)
    got = selectors.balances([seller_party(seller_a.pk), seller_party(seller_b.pk)], "IRR")
    # Seller A's voucher: its part is 100,000 less; seller B's is untouched.
    assert got[seller_party(seller_b.pk)].available == whole[seller_party(seller_b.pk)]
    assert got[seller_party(seller_a.pk)].available == whole[seller_party(seller_a.pk)]
