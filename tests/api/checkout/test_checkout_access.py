"""Who reaches a checkout: its buyer alone, or whoever holds an anonymous one's ID;
`myCheckout` on any device, and `checkoutCustomerAttach` handing an anonymous checkout
(or its lines) to the signed-in buyer."""

from __future__ import annotations

from decimal import Decimal

from marketplace.accounts.models import Address
from marketplace.checkout.models import Checkout, CheckoutLine
from marketplace.inventory.models import Reservation
from marketplace.orders.models import Order
from tests.api.checkout.documents import (
    ADDRESS,
    ADDRESS_UPDATE,
    ATTACH,
    DELIVERY_UPDATE,
    EMAIL_UPDATE,
    LINES_ADD,
    LINES_UPDATE,
    MY_CHECKOUT,
    PROMO_ADD,
    PROMO_REMOVE,
    QUERY,
    line,
)
from tests.builders.accounts import make_user
from tests.builders.catalog import make_variant
from tests.builders.discounts import make_voucher
from tests.support import codes, gid


def held() -> dict[int, int]:
    return dict(Reservation.objects.values_list("checkout_line__variant_id", "quantity"))


def test_another_buyers_checkout_does_not_exist_for_anyone_else(
    ir, api, create, call, buyer, seller_a, express_post
):
    variant = make_variant(seller_a)
    checkout = create([line(variant, 2)], user=buyer)["checkout"]
    make_voucher(code="OFF")
    stranger = make_user("stranger@example.com")
    for user in (stranger, None):
        assert api(QUERY, {"id": checkout["id"]}, user=user)["data"]["checkout"] is None
        for document, variables in [
            (LINES_ADD, {"lines": [line(variant, 1)]}),
            (LINES_UPDATE, {"lines": [line(variant, 0)]}),
            (ADDRESS_UPDATE, {"address": ADDRESS}),
            (EMAIL_UPDATE, {"email": "thief@example.com"}),
            (
                DELIVERY_UPDATE,
                {
                    "group": checkout["groups"][0]["id"],
                    "method": gid("DeliveryMethod", express_post.pk),
                },
            ),
            (PROMO_ADD, {"code": "OFF"}),
            (PROMO_REMOVE, {}),
            (ATTACH, {}),
        ]:
            payload = call(document, checkout["id"], user=user, **variables)
            assert codes(payload) == [("id", "NOT_FOUND")], (document, user)
            assert payload["checkout"] is None
    row = Checkout.objects.get()
    assert row.user == buyer and row.shipping_address is None and row.voucher is None
    assert row.email == "guest@example.com"
    assert held() == {variant.pk: 2}
    assert api(QUERY, {"id": checkout["id"]}, user=buyer)["data"]["checkout"]["quantity"] == 2


def test_an_anonymous_checkout_belongs_to_whoever_holds_its_id(
    ir, api, create, call, buyer, seller_a
):
    checkout = create([line(make_variant(seller_a), 1)])["checkout"]
    # The bare token works as well as the global ID.
    token = str(Checkout.objects.get().pk)
    assert api(QUERY, {"id": token})["data"]["checkout"]["id"] == checkout["id"]
    assert api(QUERY, {"id": checkout["id"]}, user=buyer)["data"]["checkout"]["quantity"] == 1


def test_malformed_ids_are_errors_not_crashes(ir, api, create, call, seller_a):
    for bad in ("", "x" * 300, gid("Product", 1), gid("Checkout", "not-a-uuid"), "🙂"):
        answer = api(QUERY, {"id": bad})
        assert answer["data"]["checkout"] is None
        assert answer["errors"][0]["extensions"]["code"] in {"INVALID", "REQUIRED"}
        payload = call(LINES_ADD, bad, lines=[])
        assert codes(payload) in ([("id", "INVALID")], [("id", "REQUIRED")])
    missing = gid("Checkout", "6f1c4e0e-2a53-4a8e-9d4e-1c7d3a3b9f00")
    assert api(QUERY, {"id": missing})["data"]["checkout"] is None
    assert codes(call(LINES_ADD, missing, lines=[])) == [("id", "NOT_FOUND")]


def test_my_checkout_follows_the_buyer_to_another_device(ir, intl, api, create, buyer, seller_a):
    assert api(MY_CHECKOUT, {})["data"]["myCheckout"] is None
    assert api(MY_CHECKOUT, {}, user=buyer)["data"]["myCheckout"] is None
    create([line(make_variant(seller_a), 1)], user=buyer)
    latest = create([line(make_variant(seller_a), 2)], user=buyer)["checkout"]
    mine = api(MY_CHECKOUT, {}, user=buyer)["data"]["myCheckout"]
    assert mine["id"] == latest["id"] and mine["quantity"] == 2
    assert api(MY_CHECKOUT, {"channel": "intl"}, user=buyer)["data"]["myCheckout"] is None
    assert api(MY_CHECKOUT, {}, user=make_user("other@example.com"))["data"]["myCheckout"] is None


def test_attach_an_anonymous_checkout(ir, api, create, call, buyer, seller_a):
    variant = make_variant(seller_a)
    checkout = create([line(variant, 2)], email="guest@example.com")["checkout"]
    anonymous = call(ATTACH, checkout["id"])
    assert codes(anonymous) == [(None, "PERMISSION_DENIED")]
    payload = call(ATTACH, checkout["id"], user=buyer)
    assert payload["errors"] == []
    assert payload["checkout"]["id"] == checkout["id"]
    assert payload["checkout"]["email"] == buyer.email
    assert Checkout.objects.get().user == buyer
    assert held() == {variant.pk: 2}
    # Now it is the buyer's: the ID alone no longer opens it.
    assert api(QUERY, {"id": checkout["id"]})["data"]["checkout"] is None
    assert api(MY_CHECKOUT, {}, user=buyer)["data"]["myCheckout"]["id"] == checkout["id"]
    # Attaching again is harmless.
    assert call(ATTACH, checkout["id"], user=buyer)["errors"] == []


def test_attach_merges_into_the_buyers_open_checkout(
    ir, api, create, call, buyer, seller_a, independent
):
    saffron = make_variant(seller_a, quantity=10)
    honey = make_variant(independent, quantity=10)
    scarce = make_variant(independent, quantity=3)
    mine = create([line(saffron, 2), line(scarce, 2)], user=buyer)["checkout"]
    guest = create([line(saffron, 3), line(honey, 1), line(scarce, 1)])["checkout"]
    call(ADDRESS_UPDATE, guest["id"], address=ADDRESS)
    make_voucher(code="OFF", kind="FIXED", value=Decimal(1000))
    call(PROMO_ADD, guest["id"], code="OFF")
    payload = call(ATTACH, guest["id"], user=buyer)
    assert payload["errors"] == []
    merged = payload["checkout"]
    assert merged["id"] == mine["id"]
    quantities = {ln["variant"]["id"]: ln["quantity"] for ln in merged["lines"]}
    assert quantities == {
        gid("ProductVariant", saffron.pk): 5,
        gid("ProductVariant", honey.pk): 1,
        gid("ProductVariant", scarce.pk): 3,
    }
    # The buyer's checkout had neither address nor code: it takes the guest's.
    assert merged["shippingAddress"]["city"] == "مشهد"
    assert merged["voucherCode"] == "OFF"
    assert Checkout.objects.count() == 1 and Address.objects.count() == 1
    assert CheckoutLine.objects.count() == 3
    assert held() == {saffron.pk: 5, honey.pk: 1, scarce.pk: 3}
    assert api(QUERY, {"id": guest["id"]})["data"]["checkout"] is None


def test_a_completed_checkout_cannot_change(ir, create, call, seller_a):
    variant = make_variant(seller_a)
    checkout = create([line(variant, 1)])["checkout"]
    row = Checkout.objects.get()
    address = Address.objects.create(
        first_name="S",
        last_name="A",
        phone="+989121234567",
        country_area="تهران",
        city="تهران",
        street_address_1="x",
        postal_code="1234567890",
    )
    row.order = Order.objects.create(
        number=77,
        email="guest@example.com",
        channel=row.channel,
        status="CONFIRMED",
        shipping_address=address,
        currency="IRR",
        subtotal=1,
        shipping_price=0,
        total=1,
    )
    row.save()
    payload = call(LINES_ADD, checkout["id"], lines=[line(variant, 1)])
    assert codes(payload) == [("id", "INVALID_STATUS")]
    assert CheckoutLine.objects.get().quantity == 1


def test_merging_keeps_the_buyers_own_address_and_drops_the_guests(
    ir, api, create, call, buyer, seller_a
):
    variant = make_variant(seller_a)
    mine = create([line(variant, 1)], user=buyer)["checkout"]
    call(ADDRESS_UPDATE, mine["id"], user=buyer, address={**ADDRESS, "city": "نیشابور"})
    guest = create([line(variant, 1)])["checkout"]
    call(ADDRESS_UPDATE, guest["id"], address=ADDRESS)
    merged = call(ATTACH, guest["id"], user=buyer)["checkout"]
    assert merged["shippingAddress"]["city"] == "نیشابور"
    assert merged["quantity"] == 2
    assert list(Address.objects.values_list("city", flat=True)) == ["نیشابور"]


def test_node_finds_checkouts_and_lines_for_those_who_may_see_them(
    ir, api, create, buyer, seller_a
):
    checkout = create([line(make_variant(seller_a), 2)], user=buyer)["checkout"]
    query = """query($id: ID!) { node(id: $id) { __typename
      ... on Checkout { quantity } ... on CheckoutLine { quantity } } }"""
    line_id = checkout["lines"][0]["id"]
    assert api(query, {"id": checkout["id"]}, user=buyer)["data"]["node"] == {
        "__typename": "Checkout",
        "quantity": 2,
    }
    assert api(query, {"id": line_id}, user=buyer)["data"]["node"] == {
        "__typename": "CheckoutLine",
        "quantity": 2,
    }
    stranger = make_user("stranger@example.com")
    assert api(query, {"id": checkout["id"]}, user=stranger)["data"]["node"] is None
    assert api(query, {"id": line_id}, user=stranger)["data"]["node"] is None
    assert api(query, {"id": line_id})["data"]["node"] is None
