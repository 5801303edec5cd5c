"""returnRequestCreate, returnRequestDecide, returnRequestDispute, Order.returns and the
fulfiller's returnRequests, as the contract names them."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from marketplace.returns.models import ReturnRequest
from tests.builders.catalog import make_variant
from tests.builders.returns import delivered_order
from tests.support import codes, gid

CREATE = """
mutation($input: ReturnRequestInput!) {
  returnRequestCreate(input: $input) {
    returnRequest { id status reason lines { line { id } quantity } amount { amount } refund { amount } }
    errors { field code message }
  }
}"""

DECIDE = """
mutation($id: ID!, $accept: Boolean!, $note: String) {
  returnRequestDecide(id: $id, accept: $accept, note: $note) {
    returnRequest { id status note refund { amount currency } disputeUntil }
    errors { field code message }
  }
}"""

DISPUTE = """
mutation($id: ID!, $text: String!) {
  returnRequestDispute(id: $id, text: $text) {
    returnRequest { status }
    errors { field code message }
  }
}"""

ORDER = """
query($id: ID!) { order(id: $id) { returns { id status statusDisplay reasonDisplay } } }"""

TO_HANDLE = """query($coop: ID) {
  returnRequests(cooperative: $coop, first: 10) { totalCount edges { node { id status } } }
}"""


@pytest.fixture
def order(seeded, buyer, staff_a, seller_a, django_capture_on_commit_callbacks):
    saffron = make_variant(seller_a, quantity=10, price=250_000)
    with django_capture_on_commit_callbacks(execute=True):
        return delivered_order(buyer, [(saffron, 2)], staff_a)


def create(api, user, order, quantity=1, **extra):
    line = order.lines.get()
    variables = {
        "input": {
            "order": gid(order),
            "lines": [{"line": gid(line), "quantity": quantity}],
            "reason": "DAMAGED",
            **extra,
        }
    }
    return api(CREATE, variables, user=user)["data"]["returnRequestCreate"]


def test_buyer_asks_fulfiller_accepts_and_the_order_shows_it(
    api, order, buyer, staff_a, django_capture_on_commit_callbacks
):
    answer = create(api, buyer, order, text="شکسته رسید")
    assert answer["errors"] == []
    asked = answer["returnRequest"]
    assert asked["status"] == "REQUESTED" and asked["refund"] is None
    assert asked["amount"]["amount"] == 250_000
    coop = {"coop": gid("Cooperative", order.shipments.get().cooperative_id)}
    listed = api(TO_HANDLE, coop, user=staff_a)["data"]["returnRequests"]
    assert listed["totalCount"] == 1
    assert api(TO_HANDLE, coop, user=buyer)["data"]["returnRequests"]["totalCount"] == 0
    assert api(TO_HANDLE, user=staff_a)["data"]["returnRequests"]["totalCount"] == 0
    with django_capture_on_commit_callbacks(execute=True):
        decided = api(DECIDE, {"id": asked["id"], "accept": True}, user=staff_a)
    result = decided["data"]["returnRequestDecide"]
    assert result["errors"] == []
    assert result["returnRequest"]["status"] == "REFUNDED"
    assert result["returnRequest"]["refund"]["amount"] == 250_000
    returns = api(ORDER, {"id": gid(order)}, user=buyer)["data"]["order"]["returns"]
    assert [r["status"] for r in returns] == ["REFUNDED"]


@pytest.mark.parametrize("who", ["sara", "buyer_too_many"])
def test_bad_requests_answer_errors_and_change_nothing(api, order, buyer, sara, who):
    if who == "sara":
        answer = create(api, sara, order)
        assert codes(answer) == [("order", "NOT_FOUND")]
    else:
        answer = create(api, buyer, order, quantity=3)
        assert codes(answer) == [("lines", "INVALID")]
    assert answer["returnRequest"] is None
    assert not ReturnRequest.objects.exists()


def test_rejection_with_note_and_dispute(api, order, buyer, staff_a, staff_b):
    asked = create(api, buyer, order)["returnRequest"]
    denied = api(DECIDE, {"id": asked["id"], "accept": True}, user=staff_b)
    assert codes(denied["data"]["returnRequestDecide"]) == [("id", "NOT_FOUND")]
    no_note = api(DECIDE, {"id": asked["id"], "accept": False}, user=staff_a)
    assert codes(no_note["data"]["returnRequestDecide"]) == [("note", "REQUIRED")]
    rejected = api(DECIDE, {"id": asked["id"], "accept": False, "note": "سالم بود"}, user=staff_a)
    payload = rejected["data"]["returnRequestDecide"]["returnRequest"]
    assert payload["status"] == "REJECTED" and payload["disputeUntil"]
    disputed = api(DISPUTE, {"id": asked["id"], "text": "عکس را ببینید"}, user=buyer)
    assert disputed["data"]["returnRequestDispute"]["returnRequest"]["status"] == "DISPUTED"


# What the cooperative's returns page asks for (storefront/panel/return_views.py).
PAGE = """query($coop: ID) {
  returnRequests(cooperative: $coop, first: 10) {
    edges { node {
      id status statusDisplay refundPending reasonDisplay
      amount { amount currency } refund { amount currency }
      lines { line { id productName variantName } quantity } photos { url }
      order { id number returns { id status refundPending } }
    } }
  }
}"""


def test_a_page_of_returns_costs_what_one_return_costs(
    api, seeded, buyer, staff_a, coop_a, seller_a, django_capture_on_commit_callbacks
):
    coop = {"coop": gid(coop_a)}
    counts = []
    for _ in range(3):
        saffron = make_variant(seller_a, quantity=10, price=250_000)
        with django_capture_on_commit_callbacks(execute=True):
            order = delivered_order(buyer, [(saffron, 2)], staff_a)
        assert create(api, buyer, order)["errors"] == []
        with CaptureQueriesContext(connection) as captured:
            answer = api(PAGE, coop, user=staff_a)
        edges = answer["data"]["returnRequests"]["edges"]
        assert all(edge["node"]["order"]["returns"] for edge in edges)
        counts.append((len(edges), len(captured)))
    assert [n for n, _ in counts] == [1, 2, 3]
    assert len({queries for _, queries in counts}) == 1, counts
