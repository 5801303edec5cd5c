"""The payments API: checkoutComplete through the sandbox, Payment's money fields,
orderPay and orderRefund, and the gateways offered per channel."""

from __future__ import annotations

import pytest
from graphql_relay import to_global_id

from marketplace.ledger.models import Entry
from marketplace.payments.models import Payment, PaymentStatus
from tests.builders.accounts import make_user
from tests.builders.checkout import make_checkout
from tests.payments.conftest import callback, decide

PAYMENT = "id gateway status pspReference action { kind url clientSecret } "
PAYMENT += "total { amount currency } capturedAmount { amount } refundedAmount { amount }"
COMPLETE = f"""
mutation Complete($id: ID!, $gateway: String!, $redirect: String) {{
  checkoutComplete(id: $id, paymentGateway: $gateway, redirectUrl: $redirect) {{
    order {{ id status paymentStatus }}
    payment {{ {PAYMENT} }}
    errors {{ field code message }}
  }}
}}
"""
PAY = f"""
mutation Pay($id: ID!, $gateway: String!, $redirect: String) {{
  orderPay(id: $id, paymentGateway: $gateway, redirectUrl: $redirect) {{
    order {{ id status paymentStatus }}
    payment {{ {PAYMENT} }}
    errors {{ field code message }}
  }}
}}
"""
REFUND = f"""
mutation Refund($id: ID!, $amount: Float!) {{
  orderRefund(id: $id, amount: $amount) {{
    order {{ paymentStatus payments {{ {PAYMENT} }} }}
    errors {{ field code message }}
  }}
}}
"""
GATEWAYS = """
query Gateways($id: ID!) { checkout(id: $id) { availablePaymentGateways { id name } } }
"""


@pytest.fixture
def checkout(sandbox, buyer, goods):
    return make_checkout([(goods[0], 1), (goods[1], 1)], user=buyer)


def complete(api, checkout, buyer, gateway="sandbox"):
    variables = {
        "id": to_global_id("Checkout", checkout.pk),
        "gateway": gateway,
        "redirect": "https://shop.example.com/return/",
    }
    return api(COMPLETE, variables, user=buyer)["data"]["checkoutComplete"]


def test_checkout_complete_through_the_sandbox_then_the_callback(api, client, checkout, buyer):
    payload = complete(api, checkout, buyer)
    assert payload["errors"] == []
    assert payload["order"]["status"] == "UNCONFIRMED"
    payment = payload["payment"]
    assert payment["status"] == "PENDING" and payment["action"]["kind"] == "REDIRECT"
    assert payment["action"]["url"].endswith(payment["pspReference"])
    assert payment["capturedAmount"] == {"amount": 0.0}
    callback(client, decide(client, payment["action"]["url"], "paid"))
    order = api(
        "query($id: ID!) { order(id: $id) { status paymentStatus payments { " + PAYMENT + " } } }",
        {"id": payload["order"]["id"]},
        user=buyer,
    )["data"]["order"]
    assert (order["status"], order["paymentStatus"]) == ("CONFIRMED", "CHARGED")
    [paid] = order["payments"]
    assert paid["action"] is None
    assert paid["capturedAmount"]["amount"] == paid["total"]["amount"]


def test_order_pay_after_a_cancel_and_not_for_others(api, client, checkout, buyer):
    payload = complete(api, checkout, buyer)
    callback(client, decide(client, payload["payment"]["action"]["url"], "canceled"))
    variables = {"id": payload["order"]["id"], "gateway": "sandbox"}
    stranger = make_user("stranger@example.com")
    refused = api(PAY, variables, user=stranger)["data"]["orderPay"]
    assert [e["code"] for e in refused["errors"]] == ["NOT_FOUND"]
    unknown = api(PAY, {**variables, "gateway": "bitcoin"}, user=buyer)["data"]["orderPay"]
    assert [e["code"] for e in unknown["errors"]] == ["INVALID"]
    again = api(PAY, variables, user=buyer)["data"]["orderPay"]
    assert again["errors"] == [] and again["payment"]["status"] == "PENDING"
    assert again["payment"]["id"] != payload["payment"]["id"]


def test_order_refund_by_platform_staff_only(api, client, checkout, buyer, operator):
    payload = complete(api, checkout, buyer)
    callback(client, decide(client, payload["payment"]["action"]["url"], "paid"))
    total = payload["payment"]["total"]["amount"]
    variables = {"id": payload["order"]["id"], "amount": 100000.0}
    mine = api(REFUND, variables, user=buyer)["data"]["orderRefund"]
    assert [e["code"] for e in mine["errors"]] == ["PERMISSION_DENIED"]
    done = api(REFUND, variables, user=operator)["data"]["orderRefund"]
    assert done["errors"] == []
    assert done["order"]["paymentStatus"] == PaymentStatus.PARTIALLY_REFUNDED
    assert done["order"]["payments"][0]["refundedAmount"] == {"amount": 100000.0}
    too_much = api(REFUND, {**variables, "amount": total}, user=operator)["data"]["orderRefund"]
    assert [e["code"] for e in too_much["errors"]] == ["INVALID"]


def test_zero_negative_and_fractional_refunds_are_clear_errors(
    api, client, checkout, buyer, operator
):
    payload = complete(api, checkout, buyer)
    callback(client, decide(client, payload["payment"]["action"]["url"], "paid"))
    before = Entry.objects.count()
    for amount in (0.0, -5000.0, 0.5):
        variables = {"id": payload["order"]["id"], "amount": amount}
        refused = api(REFUND, variables, user=operator)
        assert "errors" not in refused
        assert [e["code"] for e in refused["data"]["orderRefund"]["errors"]] == ["INVALID"]
    assert Entry.objects.count() == before
    assert Payment.objects.get().refunded_amount == 0


def test_refund_of_an_unpaid_order_is_refused(api, checkout, buyer, operator):
    payload = complete(api, checkout, buyer)
    variables = {"id": payload["order"]["id"], "amount": 1000.0}
    refused = api(REFUND, variables, user=operator)["data"]["orderRefund"]
    assert [e["code"] for e in refused["errors"]] == ["INVALID_STATUS"]


def test_gateways_follow_settings(api, checkout, buyer, settings):
    variables = {"id": to_global_id("Checkout", checkout.pk)}
    found = api(GATEWAYS, variables, user=buyer)["data"]["checkout"]
    assert [g["id"] for g in found["availablePaymentGateways"]] == ["cod", "sandbox"]
    settings.PAYMENT_SANDBOX = False
    settings.SHAPARAK_MERCHANT_ID = "m" * 36
    found = api(GATEWAYS, variables, user=buyer)["data"]["checkout"]
    assert [g["id"] for g in found["availablePaymentGateways"]] == ["cod", "shaparak"]
