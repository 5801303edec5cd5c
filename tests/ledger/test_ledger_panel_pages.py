"""The producer's earnings page and the cooperative's finance page: balances, payouts,
statement downloads; strangers see nothing of another's money and junk never errors."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from marketplace.ledger import payouts, services
from tests.ledger.conftest import place
from tests.ledger.test_ledger_postings import collect_cash
from tests.storefront.panel_support import (
    media_root,  # noqa: F401  (autouse fixture)
    signed_in_client,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def earned(variants, three_sellers):
    seller_a = three_sellers[0]
    seller_a.payout_iban = "IR050170000000123456789012"
    seller_a.save(update_fields=["payout_iban"])
    order = place([(variants[0], 2), (variants[1], 1)])
    collect_cash(order)
    services.post_order_completed(order=order)
    return order


def test_producer_sees_balance_payouts_and_downloads_a_statement(earned, three_sellers):
    seller_a = three_sellers[0]
    payouts.run_payouts(currency="IRR", now=timezone.now() + timedelta(days=8))
    browser = signed_in_client(seller_a.owner)
    page = browser.get("/panel/earnings/")
    assert page.status_code == 200
    text = page.content.decode()
    # 4,250,002 rial paid out (pending in the bank batch), shown in toman.
    assert "425,000 toman" in text and "Being prepared" in text
    too_long = browser.get("/panel/earnings/statement/?start=2020-01-01&end=2099-12-31")
    assert too_long["Location"] == "/panel/earnings/"  # with the API's message shown there
    download = browser.get("/panel/earnings/statement/?format=csv")  # this month so far
    assert download.status_code == 302
    statement = browser.get(download["Location"])
    assert statement.status_code == 200
    assert seller_a.name in statement.content.decode("utf-8-sig")
    junk = browser.get("/panel/earnings/statement/?start=x&end=%00&format=<b>")
    assert junk.status_code in (302, 404)


def test_producer_sees_the_orders_whose_money_is_pending(earned, variants, three_sellers):
    waiting = place([(variants[0], 1)])
    collect_cash(waiting)
    browser = signed_in_client(three_sellers[0].owner)
    text = browser.get("/panel/earnings/").content.decode()
    assert "Orders awaiting the buyer" in text
    assert f"<td>{waiting.number}</td>" in text
    assert f"<td>{earned.number}</td>" not in text  # completed: its money is available


def test_finance_page_shows_fees_earned_and_cash_held(earned, coop_a, staff_a):
    browser = signed_in_client(staff_a)
    text = browser.get(f"/panel/coop/{coop_a.slug}/finance/").content.decode()
    # 5% of the member's 5,000,002 rial, shown in toman.
    assert "Fees earned from" in text and "25,000 toman" in text
    assert "Cash on delivery it holds" in text
    backwards = browser.get(f"/panel/coop/{coop_a.slug}/finance/?start=2030-01-01&end=2020-01-01")
    assert backwards.status_code == 200 and "25,000 toman" in backwards.content.decode()


def test_cooperative_finance_page_shows_members(earned, coop_a, staff_a, staff_b, three_sellers):
    page = signed_in_client(staff_a, language="fa").get(f"/panel/coop/{coop_a.slug}/finance/")
    assert page.status_code == 200
    text = page.content.decode()
    assert three_sellers[0].name in text
    assert 'dir="rtl"' in text
    assert signed_in_client(staff_b).get(f"/panel/coop/{coop_a.slug}/finance/").status_code == 404
    statement = signed_in_client(staff_a).get(f"/panel/coop/{coop_a.slug}/finance/statement/")
    assert statement.status_code == 302 and "/ledger/statements/" in statement["Location"]


def test_a_stranger_has_no_earnings_page(ir, buyer):
    page = signed_in_client(buyer).get("/panel/earnings/")
    assert page.status_code == 302
