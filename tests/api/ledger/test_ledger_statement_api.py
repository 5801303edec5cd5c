"""Statement links over GraphQL and their downloads: only for the payee's readers,
clear errors for bad input, and a tampered or foreign link finds nothing."""

from __future__ import annotations

import pytest
from django.utils import timezone

from marketplace.ledger import services
from tests.ledger.conftest import place
from tests.ledger.test_ledger_postings import collect_cash
from tests.support import gid

SELLER_LINK = """
query ($id: ID!, $start: Date!, $end: Date!, $format: String) {
  seller(id: $id) { statementUrl(start: $start, end: $end, format: $format) }
}
"""
COOPERATIVE_LINK = """
query ($id: ID!, $start: Date!, $end: Date!) {
  cooperative(id: $id) { statementUrl(start: $start, end: $end, format: "pdf") }
}
"""


@pytest.fixture
def period(variants, three_sellers):
    order = place([(variants[0], 2), (variants[1], 1)])
    collect_cash(order)
    services.post_order_completed(order=order)
    today = timezone.localdate()
    return {"start": today.replace(day=1).isoformat(), "end": today.isoformat()}


def test_owner_downloads_their_statement_others_get_null(api, client, period, three_sellers):
    seller_a, seller_b, _independent = three_sellers
    variables = {"id": gid("Seller", seller_a.pk), "format": "csv", **period}
    url = api(SELLER_LINK, variables, user=seller_a.owner)["data"]["seller"]["statementUrl"]
    response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode("utf-8-sig")
    assert seller_a.name in body and "5000002" in body
    assert (
        api(SELLER_LINK, variables, user=seller_b.owner)["data"]["seller"]["statementUrl"] is None
    )
    assert client.get(url[:-3] + "xyz/").status_code == 404


def test_cooperative_pdf_link(api, client, period, coop_a, staff_a, staff_b):
    variables = {"id": gid("Cooperative", coop_a.pk), **period}
    url = api(COOPERATIVE_LINK, variables, user=staff_a)["data"]["cooperative"]["statementUrl"]
    response = client.get(url)
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    mine = api(COOPERATIVE_LINK, variables, user=staff_b)["data"]["cooperative"]
    assert mine["statementUrl"] is None


def test_bad_format_and_period_are_clear_errors(api, period, three_sellers):
    seller_a = three_sellers[0]
    base = {"id": gid("Seller", seller_a.pk), **period}
    bad_format = api(SELLER_LINK, {**base, "format": "xls"}, user=seller_a.owner)
    assert bad_format["errors"][0]["extensions"]["code"] == "INVALID"
    backwards = {**base, "start": period["end"], "end": "2000-01-01"}
    bad_period = api(SELLER_LINK, backwards, user=seller_a.owner)
    assert bad_period["errors"][0]["extensions"]["code"] == "INVALID"
