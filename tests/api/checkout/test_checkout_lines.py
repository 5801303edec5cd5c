"""checkoutCreate, checkoutLinesAdd and checkoutLinesUpdate: lines, groups, totals, and
every bad input answered with field errors and no change."""

from __future__ import annotations

from decimal import Decimal

from marketplace.catalog.models import Product
from marketplace.checkout.models import Checkout, CheckoutLine
from marketplace.inventory.models import Reservation
from marketplace.sellers.models import SellerStatus
from tests.api.checkout.documents import EMAIL_UPDATE, LINES_ADD, LINES_UPDATE, line
from tests.builders.catalog import make_variant
from tests.builders.sellers import make_seller
from tests.support import codes, gid


def lines_of(checkout_id: str) -> dict[int, int]:
    checkout = Checkout.objects.get(pk=_token(checkout_id))
    return dict(
        CheckoutLine.objects.filter(checkout=checkout).values_list("variant_id", "quantity")
    )


def _token(global_id: str) -> str:
    from graphql_relay import from_global_id

    return from_global_id(global_id)[1]


def test_anonymous_checkout_with_lines_from_two_fulfillers(ir, create, seller_a, independent):
    saffron = make_variant(seller_a, price=2_500_000, quantity=5, weight="0.25")
    honey = make_variant(independent, price=1_200_000, quantity=5, weight="1")
    payload = create([line(saffron, 2), line(honey, 1)], email=" Guest@Example.COM ")
    assert payload["errors"] == []
    checkout = payload["checkout"]
    assert checkout["email"] == "Guest@example.com"
    assert checkout["channel"] == {"slug": "ir", "currencyCode": "IRR"}
    assert checkout["quantity"] == 3
    assert [ln["quantity"] for ln in checkout["lines"]] == [2, 1]
    assert checkout["lines"][0]["totalPrice"] == {
        "gross": {"amount": 5_000_000.0, "currency": "IRR"},
        "net": {"amount": 5_000_000.0},
        "tax": {"amount": 0.0},
    }
    assert checkout["lines"][0]["unitPrice"]["gross"]["amount"] == 2_500_000.0
    assert checkout["lines"][0]["isAvailable"] is True
    # One group per fulfiller: seller A's cooperative, and the independent seller.
    fulfillers = [g["fulfiller"] for g in checkout["groups"]]
    assert fulfillers == [
        {"__typename": "Cooperative", "name": seller_a.cooperative.name},
        {"__typename": "Seller", "name": independent.name},
    ]
    assert [g["weight"] for g in checkout["groups"]] == [0.5, 1.0]
    assert [g["availableDeliveryMethods"] for g in checkout["groups"]] == [[], []]
    assert checkout["subtotalPrice"]["gross"] == {"amount": 6_200_000.0, "currency": "IRR"}
    assert checkout["shippingPrice"]["gross"]["amount"] == 0.0
    assert checkout["totalPrice"]["gross"]["amount"] == 6_200_000.0
    assert checkout["availablePaymentGateways"] == [{"id": "cod", "name": "Cash on delivery"}]
    row = Checkout.objects.get()
    assert row.user is None and row.language == "en"
    assert Reservation.objects.filter(checkout_line__checkout=row).count() == 2


def test_members_of_one_cooperative_share_a_group(ir, create, coop_a, seller_a):
    neighbour = make_seller("neighbour@example.com", "زرشک قاین", coop_a)
    payload = create([line(make_variant(seller_a), 1), line(make_variant(neighbour), 1)])
    groups = payload["checkout"]["groups"]
    assert len(groups) == 1 and len(groups[0]["lines"]) == 2


def test_signed_in_buyer_owns_the_checkout_and_email_defaults(ir, create, buyer, seller_a):
    payload = create([line(make_variant(seller_a), 1)], user=buyer, email=None)
    assert payload["errors"] == []
    assert payload["checkout"]["email"] == buyer.email
    assert Checkout.objects.get().user == buyer


def test_an_anonymous_buyer_fills_the_cart_first_and_gives_the_email_later(
    ir, create, call, seller_a
):
    payload = create([line(make_variant(seller_a), 2)], email=None)
    assert payload["errors"] == [] and payload["checkout"]["email"] is None
    checkout_id = payload["checkout"]["id"]
    for typed, code in [
        ("", "REQUIRED"),
        ("not-an-email", "INVALID"),
        ("a@" + "b" * 260, "TOO_LONG"),
    ]:
        refused = call(EMAIL_UPDATE, checkout_id, email=typed)
        assert codes(refused) == [("email", code)] and refused["checkout"] is None
    assert Checkout.objects.get().email == ""
    saved = call(EMAIL_UPDATE, checkout_id, email=" Guest@Example.COM ")
    assert saved["errors"] == [] and saved["checkout"]["email"] == "Guest@example.com"
    assert saved["checkout"]["quantity"] == 2
    assert Checkout.objects.get().email == "Guest@example.com"


def test_create_refusals_change_nothing(ir, intl, create, seller_a):
    variant = make_variant(seller_a)
    assert codes(create([line(variant, 1)], email="not-an-email")) == [("email", "INVALID")]
    assert codes(create([line(variant, 1)], channel="mars")) == [("channel", "NOT_FOUND")]
    # The variant has no price in the intl channel.
    refused = create([line(variant, 1)], channel="intl")
    assert codes(refused) == [("lines.0.variantId", "NOT_AVAILABLE_IN_CHANNEL")]
    assert refused["checkout"] is None
    assert not Checkout.objects.exists() and not Reservation.objects.exists()


def test_every_bad_line_is_reported_at_once(ir, create, seller_a):
    good = make_variant(seller_a, quantity=50)
    unpublished = make_variant(seller_a, published=False)
    hidden = make_variant(seller_a)
    Product.objects.filter(pk=hidden.product_id).update(is_hidden=True)
    suspended_seller = make_seller("off@example.com", "فروشنده معلق", None, SellerStatus.SUSPENDED)
    suspended = make_variant(suspended_seller)
    not_in_channel = make_variant(seller_a, channels=("intl",))
    payload = create(
        [
            line(good, 0),
            line(good, -3),
            line(good, 101),
            {"variantId": gid("ProductVariant", 987654), "quantity": 1},
            line(unpublished, 1),
            line(hidden, 1),
            line(suspended, 1),
            line(not_in_channel, 1),
        ]
    )
    assert codes(payload) == [
        ("lines.0.quantity", "INVALID"),
        ("lines.1.quantity", "INVALID"),
        ("lines.2.quantity", "INVALID"),
        ("lines.3.variantId", "NOT_FOUND"),
        ("lines.4.variantId", "NOT_AVAILABLE_IN_CHANNEL"),
        ("lines.5.variantId", "NOT_AVAILABLE_IN_CHANNEL"),
        ("lines.6.variantId", "NOT_AVAILABLE_IN_CHANNEL"),
        ("lines.7.variantId", "NOT_AVAILABLE_IN_CHANNEL"),
    ]
    messages = [e["message"] for e in payload["errors"]]
    assert messages[0] == "Enter a quantity from 1 to 100."
    assert messages[4] == "This product is not for sale."
    assert messages[6] == "This seller is not selling at the moment."
    assert messages[7] == "This product is not sold in this channel."
    assert not Checkout.objects.exists()


def test_ids_of_another_type_are_invalid(ir, create, seller_a):
    payload = create(
        [{"variantId": gid("Product", 1), "quantity": 1}, {"variantId": "@@", "quantity": 1}]
    )
    assert codes(payload) == [("lines.0.variantId", "INVALID"), ("lines.1.variantId", "INVALID")]


def test_insufficient_stock_reserves_nothing(ir, create, seller_a):
    variant = make_variant(seller_a, quantity=3)
    payload = create([line(variant, 4)], lang="fa")
    assert codes(payload) == [("lines.0.quantity", "INSUFFICIENT_STOCK")]
    # In the request's language: Persian here.
    assert payload["errors"][0]["message"] != "Only 3 left in stock."
    payload = create([line(variant, 4)])
    assert payload["errors"][0]["message"] == "Only 3 left in stock."
    assert not Checkout.objects.exists() and not Reservation.objects.exists()


def test_add_sums_quantities(ir, create, call, seller_a):
    variant = make_variant(seller_a, quantity=10)
    other = make_variant(seller_a, quantity=10)
    checkout = create([line(variant, 2)])["checkout"]
    payload = call(
        LINES_ADD, checkout["id"], lines=[line(variant, 3), line(other, 1), line(variant, 1)]
    )
    assert payload["errors"] == []
    assert lines_of(checkout["id"]) == {variant.pk: 6, other.pk: 1}
    held = dict(Reservation.objects.values_list("checkout_line__variant_id", "quantity"))
    assert held == {variant.pk: 6, other.pk: 1}
    assert payload["checkout"]["lines"][0]["variant"]["quantityAvailable"] == 4


def test_add_refuses_beyond_stock_or_the_line_limit(ir, create, call, seller_a):
    variant = make_variant(seller_a, quantity=10)
    big = make_variant(seller_a, quantity=200)
    checkout = create([line(variant, 8), line(big, 90)])["checkout"]
    payload = call(LINES_ADD, checkout["id"], lines=[line(variant, 3)])
    assert codes(payload) == [("lines.0.quantity", "INSUFFICIENT_STOCK")]
    assert payload["errors"][0]["message"] == "Only 10 left in stock."
    payload = call(LINES_ADD, checkout["id"], lines=[line(big, 11)])
    assert codes(payload) == [("lines.0.quantity", "INVALID")]
    assert payload["checkout"] is None
    assert payload["errors"][0]["message"] == "At most 100 of one product per checkout."
    assert lines_of(checkout["id"]) == {variant.pk: 8, big.pk: 90}
    assert dict(Reservation.objects.values_list("checkout_line__variant_id", "quantity")) == {
        variant.pk: 8,
        big.pk: 90,
    }


def test_update_sets_quantities_and_zero_removes(
    ir, create, call, seller_a, independent, express_post
):
    saffron = make_variant(seller_a, quantity=10)
    honey = make_variant(independent, quantity=10)
    checkout = create([line(saffron, 2), line(honey, 2)])["checkout"]
    payload = call(LINES_UPDATE, checkout["id"], lines=[line(saffron, 5), line(honey, 0)])
    assert payload["errors"] == []
    assert lines_of(checkout["id"]) == {saffron.pk: 5}
    assert len(payload["checkout"]["groups"]) == 1
    assert dict(Reservation.objects.values_list("checkout_line__variant_id", "quantity")) == {
        saffron.pk: 5
    }
    # Setting a product not in the cart adds it; removing one not there is harmless.
    payload = call(
        LINES_UPDATE, checkout["id"], lines=[line(honey, 1), line(make_variant(seller_a), 0)]
    )
    assert payload["errors"] == []
    assert lines_of(checkout["id"]) == {saffron.pk: 5, honey.pk: 1}


def test_update_refusals_change_nothing(ir, create, call, seller_a):
    variant = make_variant(seller_a, quantity=10)
    checkout = create([line(variant, 2)])["checkout"]
    before = list(Reservation.objects.values_list("quantity", "reserved_until"))
    for bad, expected in [
        ([line(variant, -1)], [("lines.0.quantity", "INVALID")]),
        ([line(variant, 10_001)], [("lines.0.quantity", "INVALID")]),
        ([line(variant, 11)], [("lines.0.quantity", "INSUFFICIENT_STOCK")]),
        ([line(variant, 1), line(variant, 3)], [("lines.1.variantId", "INVALID")]),
    ]:
        payload = call(LINES_UPDATE, checkout["id"], lines=bad)
        assert codes(payload) == expected, bad
        assert lines_of(checkout["id"]) == {variant.pk: 2}
        assert list(Reservation.objects.values_list("quantity", "reserved_until")) == before


def test_a_line_whose_product_was_unpublished_can_only_be_removed(ir, create, call, seller_a):
    variant = make_variant(seller_a, quantity=10)
    checkout = create([line(variant, 2)])["checkout"]
    Product.objects.filter(pk=variant.product_id).update(is_published=False)
    from tests.api.checkout.documents import QUERY

    shown = call(QUERY, checkout["id"])
    assert shown["lines"][0]["isAvailable"] is False
    assert shown["subtotalPrice"]["gross"]["amount"] == 5_000_000.0
    refused = call(LINES_UPDATE, checkout["id"], lines=[line(variant, 1)])
    assert codes(refused) == [("lines.0.variantId", "NOT_AVAILABLE_IN_CHANNEL")]
    removed = call(LINES_UPDATE, checkout["id"], lines=[line(variant, 0)])
    assert removed["errors"] == [] and removed["checkout"]["lines"] == []
    assert not Reservation.objects.exists()


def test_totals_use_the_channel_currency_precision(intl, create, seller_a):
    variant = make_variant(seller_a, channels=("ir", "intl"))
    payload = create([line(variant, 3)], channel="intl")
    assert payload["errors"] == []
    checkout = payload["checkout"]
    assert checkout["totalPrice"]["gross"] == {"amount": 37.5, "currency": "USD"}
    # Cash on delivery is offered in rial only.
    assert checkout["availablePaymentGateways"] == []
    assert Decimal(str(checkout["subtotalPrice"]["gross"]["amount"])) == Decimal("37.5")
