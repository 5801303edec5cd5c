"""shipmentPack / shipmentShip / shipmentDeliver / orderConfirmReceipt and the
fulfilment fields of Shipment, through the API."""

from __future__ import annotations

import pytest
from graphql_relay import to_global_id

from marketplace.orders.models import OrderStatus

SHIPMENT = """
  shipment { id status trackingNumber trackingUrl packingSlipUrl
             cashToCollect { amount } shortAmount { amount }
             events { type message date } }
  errors { field code message }
"""
PACK = f"mutation($id: ID!, $lines: [PackLineInput!]) {{ shipmentPack(id: $id, lines: $lines) {{ {SHIPMENT} }} }}"
SHIP = f"mutation($id: ID!, $input: ShipInput) {{ shipmentShip(id: $id, input: $input) {{ {SHIPMENT} }} }}"
DELIVER = f"mutation($id: ID!, $cash: Float) {{ shipmentDeliver(id: $id, cashCollected: $cash) {{ {SHIPMENT} }} }}"
CONFIRM = (
    "mutation($id: ID!) { orderConfirmReceipt(id: $id) { order { status } errors { field code } } }"
)
ORDER = """query($id: ID!) { order(id: $id) { status shipments {
  status trackingUrl packingSlipUrl pickupCode events { type message } } } }"""


def gid(kind: str, pk: int) -> str:
    return to_global_id(kind, pk)


@pytest.fixture
def order_parts(two_coop_order):
    return two_coop_order


def test_pack_short_ship_deliver_and_confirm(api, order_parts, staff_a, staff_b, buyer):
    order, first, second, _v = order_parts
    line = first.lines.get()
    answer = api(
        PACK,
        {
            "id": gid("Shipment", first.pk),
            "lines": [{"lineId": gid("OrderLine", line.pk), "quantity": 2}],
        },
        user=staff_a,
    )["data"]["shipmentPack"]
    assert answer["errors"] == []
    packed = answer["shipment"]
    assert packed["status"] == "PACKED"
    assert packed["shortAmount"]["amount"] == 250000
    assert [e["type"] for e in packed["events"]] == ["PACKED", "PACKED_SHORT"]
    assert packed["events"][1]["message"].startswith("Some items were not available")
    assert packed["packingSlipUrl"].startswith("/logistics/documents/")

    number = "123456789012345678901234"
    shipped = api(
        SHIP, {"id": gid("Shipment", first.pk), "input": {"trackingNumber": number}}, user=staff_a
    )["data"]["shipmentShip"]["shipment"]
    assert shipped["trackingNumber"] == number
    assert shipped["trackingUrl"] == f"https://tracking.post.ir/?id={number}"

    due = packed["cashToCollect"]["amount"]
    answer = api(DELIVER, {"id": gid("Shipment", first.pk)}, user=staff_a)["data"][
        "shipmentDeliver"
    ]
    assert answer["errors"] == [
        {"field": "cashCollected", "code": "REQUIRED", "message": answer["errors"][0]["message"]}
    ]
    answer = api(DELIVER, {"id": gid("Shipment", first.pk), "cash": due}, user=staff_a)
    assert answer["data"]["shipmentDeliver"]["shipment"]["status"] == "DELIVERED"

    for mutation, variables in (
        (PACK, {"id": gid("Shipment", second.pk)}),
        (SHIP, {"id": gid("Shipment", second.pk), "input": {"trackingNumber": "1" * 24}}),
    ):
        assert next(iter(api(mutation, variables, user=staff_b)["data"].values()))["errors"] == []
    cash = api(ORDER, {"id": gid("Order", order.pk)}, user=buyer)
    assert api(CONFIRM, {"id": gid("Order", order.pk)}, user=buyer)["data"]["orderConfirmReceipt"][
        "errors"
    ] == [{"field": "id", "code": "INVALID_STATUS"}]
    from marketplace.logistics.models import Parcel

    due_b = float(Parcel.objects.get(shipment=second).cash_to_collect)
    api(DELIVER, {"id": gid("Shipment", second.pk), "cash": due_b}, user=staff_b)

    seen = api(ORDER, {"id": gid("Order", order.pk)}, user=buyer, lang="fa")["data"]["order"]
    assert seen["status"] == "FULFILLED"
    assert all(s["packingSlipUrl"] is None for s in seen["shipments"])
    assert {s["status"] for s in seen["shipments"]} == {"DELIVERED"}
    assert cash["data"]["order"]["status"] == "CONFIRMED"
    confirmed = api(CONFIRM, {"id": gid("Order", order.pk)}, user=buyer)["data"][
        "orderConfirmReceipt"
    ]
    assert confirmed == {"order": {"status": "COMPLETED"}, "errors": []}
    order.refresh_from_db()
    assert order.status == OrderStatus.COMPLETED


def test_another_cooperative_cannot_touch_a_shipment(api, order_parts, staff_b):
    _order, first, _second, _v = order_parts
    for mutation in (PACK, SHIP, DELIVER):
        answer = next(
            iter(api(mutation, {"id": gid("Shipment", first.pk)}, user=staff_b)["data"].values())
        )
        assert answer["errors"][0]["code"] == "NOT_FOUND"
    first.refresh_from_db()
    assert first.status == "UNFULFILLED"


def test_only_the_buyer_confirms_receipt(api, order_parts, staff_a):
    order, *_rest = order_parts
    answer = api(CONFIRM, {"id": gid("Order", order.pk)}, user=staff_a)["data"][
        "orderConfirmReceipt"
    ]
    assert answer["errors"] == [{"field": "id", "code": "NOT_FOUND"}]


def test_a_bad_line_id_is_refused(api, order_parts, staff_a):
    _order, first, _second, _v = order_parts
    answer = api(
        PACK,
        {"id": gid("Shipment", first.pk), "lines": [{"lineId": gid("Order", 1), "quantity": 1}]},
        user=staff_a,
    )["data"]["shipmentPack"]
    assert answer["errors"][0]["field"] == "lines.0.lineId"
    assert answer["shipment"] is None
