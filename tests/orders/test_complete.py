"""complete_checkout on real PostgreSQL: what an order is made of, and every refusal
leaving the database as it was."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from marketplace.accounts.models import Address
from marketplace.checkout.models import Checkout, CheckoutDelivery
from marketplace.core.errors import DomainError
from marketplace.discounts.models import VoucherUsage
from marketplace.inventory.models import Allocation, Reservation
from marketplace.orders import services
from marketplace.orders.events import EventType
from marketplace.orders.models import Order, OrderStatus, ShipmentStatus
from marketplace.payments.models import Payment, PaymentStatus, Transaction
from marketplace.shipping.models import DeliveryMethod
from tests.builders.catalog import make_variant
from tests.builders.checkout import make_checkout
from tests.builders.discounts import make_voucher
from tests.builders.inventory import stock_of
from tests.orders.gateways import online_gateway
from tests.support import codes

PAST = datetime(2000, 1, 1, tzinfo=UTC)


def snapshot() -> dict:
    """What a refused completion must leave untouched."""
    return {
        "orders": Order.objects.count(),
        "payments": Payment.objects.count(),
        "addresses": Address.objects.count(),
        "allocations": Allocation.objects.count(),
        "reservations": Reservation.objects.count(),
        "usages": VoucherUsage.objects.count(),
    }


@pytest.fixture
def cart(ir, buyer, seller_a, seller_b, independent):
    """Lines from two cooperatives' members and an independent seller: three groups."""
    variants = [
        make_variant(seller_a, quantity=10, price=2_500_000),
        make_variant(seller_a, quantity=5, price=1_000_000),
        make_variant(seller_b, quantity=10, price=3_000_000),
        make_variant(independent, quantity=3, price=4_000_000),
    ]
    checkout = make_checkout(
        [(variants[0], 2), (variants[1], 1), (variants[2], 3), (variants[3], 1)], user=buyer
    )
    return checkout, variants


def test_cod_places_a_confirmed_order_with_shipments_lines_and_allocations(cart, buyer):
    checkout, variants = cart
    order, payment = services.complete_checkout(actor=buyer, checkout=checkout, gateway="cod")

    assert order.status == OrderStatus.CONFIRMED
    assert order.payment_status == PaymentStatus.NOT_CHARGED
    assert order.number >= 1001
    assert order.user == buyer and order.email == buyer.email
    assert order.expires_at is None
    assert payment.gateway == "cod" and payment.status == PaymentStatus.NOT_CHARGED
    assert payment.total == order.total and payment.currency == "IRR"
    assert payment.action is None

    # 2×2.5M + 1M + 3×3M + 4M; each group's parcel under 3 kg: express post 1,100,000
    # (the first group weighs 1.5 kg), 750,000 for the others (≤ 1 kg).
    assert order.subtotal == Decimal(19_000_000)
    assert order.shipping_price == Decimal(1_100_000 + 1_100_000 + 750_000)
    assert order.total == order.subtotal + order.shipping_price
    assert order.discount == 0

    shipments = list(order.shipments.order_by("id"))
    assert [(s.cooperative_id, s.seller_id) for s in shipments] == [
        (variants[0].product.seller.cooperative_id, None),
        (variants[2].product.seller.cooperative_id, None),
        (None, variants[3].product.seller_id),
    ]
    assert all(s.status == ShipmentStatus.UNFULFILLED for s in shipments)
    assert [s.shipping_price for s in shipments] == [1_100_000, 1_100_000, 750_000]

    lines = list(order.lines.order_by("id"))
    assert [(line.sku, line.quantity, line.unit_price, line.total_price) for line in lines] == [
        (variants[0].sku, 2, 2_500_000, 5_000_000),
        (variants[1].sku, 1, 1_000_000, 1_000_000),
        (variants[2].sku, 3, 3_000_000, 9_000_000),
        (variants[3].sku, 1, 4_000_000, 4_000_000),
    ]
    assert lines[0].product_name == variants[0].product.name
    assert lines[0].variant_name == "۵ گرمی"
    assert lines[0].seller_id == variants[0].product.seller_id
    assert lines[3].shipment_id == shipments[2].pk

    assert [stock_of(v).quantity_allocated for v in variants] == [2, 1, 3, 1]
    assert Reservation.objects.filter(checkout_line__checkout=checkout).count() == 0
    assert Allocation.objects.filter(order_line__order=order).count() == 4

    # The order owns its address: a new row, owned by nobody, equal in content.
    assert order.shipping_address_id != checkout.shipping_address_id
    assert order.shipping_address.user_id is None
    assert order.shipping_address.postal_code == checkout.shipping_address.postal_code

    assert list(order.events.values_list("type", flat=True)) == [
        EventType.PLACED,
        EventType.STOCK_ALLOCATED,
        EventType.PAYMENT_STARTED,
        EventType.CONFIRMED,
    ]
    assert all(e.user_id == buyer.pk for e in order.events.all())
    checkout.refresh_from_db()
    assert checkout.order_id == order.pk


def test_numbers_are_sequential(ir, buyer, seller_a):
    variant = make_variant(seller_a, quantity=10)
    first, _p = services.complete_checkout(
        actor=buyer, checkout=make_checkout([(variant, 1)], user=buyer), gateway="cod"
    )
    second, _p = services.complete_checkout(
        actor=buyer, checkout=make_checkout([(variant, 1)], user=buyer), gateway="cod"
    )
    assert second.number == first.number + 1


def test_completing_twice_returns_the_same_order(cart, buyer):
    checkout, variants = cart
    order, payment = services.complete_checkout(actor=buyer, checkout=checkout, gateway="cod")
    before = snapshot()
    again, again_payment = services.complete_checkout(actor=buyer, checkout=checkout, gateway="cod")
    assert (again.pk, again_payment.pk) == (order.pk, payment.pk)
    assert snapshot() == before
    assert stock_of(variants[0]).quantity_allocated == 2


def test_anonymous_checkout_with_its_token(ir, seller_a):
    variant = make_variant(seller_a)
    checkout = make_checkout([(variant, 1)], email="guest@example.com")
    order, _payment = services.complete_checkout(actor=None, checkout=checkout, gateway="cod")
    assert order.user_id is None and order.email == "guest@example.com"


def test_anonymous_checkout_without_an_email_is_refused(ir, seller_a):
    variant = make_variant(seller_a)
    checkout = make_checkout([(variant, 1)])
    Checkout.objects.filter(pk=checkout.pk).update(email="")
    before = snapshot()
    with pytest.raises(DomainError) as exc:
        services.complete_checkout(actor=None, checkout=checkout, gateway="cod")
    assert codes(exc) == [("email", "REQUIRED")]
    assert snapshot() == before
    assert Checkout.objects.get(pk=checkout.pk).order_id is None


def test_a_signed_in_buyer_needs_no_email_on_the_checkout(ir, buyer, seller_a):
    checkout = make_checkout([(make_variant(seller_a), 1)])
    Checkout.objects.filter(pk=checkout.pk).update(email="")
    order, _payment = services.complete_checkout(actor=buyer, checkout=checkout, gateway="cod")
    assert order.email == buyer.email


def test_another_buyers_checkout_is_not_found(cart, make_other_user):
    checkout, _variants = cart
    before = snapshot()
    with pytest.raises(DomainError) as exc:
        services.complete_checkout(actor=make_other_user, checkout=checkout, gateway="cod")
    assert codes(exc) == [("id", "NOT_FOUND")]
    with pytest.raises(DomainError):
        services.complete_checkout(actor=None, checkout=checkout, gateway="cod")
    assert snapshot() == before


@pytest.fixture
def make_other_user(db):
    from tests.builders.accounts import make_user

    return make_user("other@example.com")


def test_refusals_change_nothing(ir, buyer, seller_a, seller_b, intl):
    variant = make_variant(seller_a)
    other = make_variant(seller_b)
    cases = [
        (make_checkout([], user=buyer), "cod", [("lines", "INVALID")]),
        (
            make_checkout([(variant, 1)], user=buyer, address=False, deliver=False),
            "cod",
            [("shipping_address", "DELIVERY_METHOD_REQUIRED")],
        ),
        (make_checkout([(variant, 1)], user=buyer), "bitcoin", [("payment_gateway", "INVALID")]),
    ]
    no_second_group = make_checkout([(variant, 1), (other, 1)], user=buyer)
    CheckoutDelivery.objects.filter(
        checkout=no_second_group, cooperative=other.product.seller.cooperative
    ).delete()
    cases.append(
        (no_second_group, "cod", [("groups.1.delivery_method", "DELIVERY_METHOD_REQUIRED")])
    )
    for checkout, gateway, expected in cases:
        before = snapshot()
        with pytest.raises(DomainError) as exc:
            services.complete_checkout(actor=buyer, checkout=checkout, gateway=gateway)
        assert codes(exc) == expected
        assert snapshot() == before
        assert Checkout.objects.get(pk=checkout.pk).order_id is None
    assert stock_of(variant).quantity_allocated == 0


def test_cod_is_not_offered_in_dollars(intl, buyer, seller_a):
    variant = make_variant(seller_a, channels=("ir", "intl"))
    checkout = make_checkout([(variant, 1)], user=buyer, channel="intl", deliver=False)
    with pytest.raises(DomainError) as exc:
        services.complete_checkout(actor=buyer, checkout=checkout, gateway="cod")
    assert ("payment_gateway", "INVALID") in codes(exc)


def test_a_method_that_stopped_serving_the_address_is_required_again(cart, buyer):
    checkout, _variants = cart
    DeliveryMethod.objects.filter(pk__in=checkout.deliveries.values("method")).update(
        is_active=False
    )
    with pytest.raises(DomainError) as exc:
        services.complete_checkout(actor=buyer, checkout=checkout, gateway="cod")
    assert {code for _f, code in codes(exc)} == {"DELIVERY_METHOD_REQUIRED"}
    assert len(codes(exc)) == 3


def test_a_method_of_another_fulfiller_or_zone_is_refused(ir, buyer, seller_a, seller_b):
    from marketplace.shipping.models import DeliveryRate, ShippingZone

    variant = make_variant(seller_a)
    checkout = make_checkout([(variant, 1)], user=buyer)
    foreign = DeliveryMethod.objects.create(
        name="پیک کاشمر", kind="COURIER", cooperative=seller_b.cooperative
    )
    foreign.zones.set(ShippingZone.objects.filter(name="ایران"))
    DeliveryRate.objects.create(method=foreign, channel=ir, max_weight=None, price=100_000)
    checkout.deliveries.update(method=foreign)
    with pytest.raises(DomainError) as exc:
        services.complete_checkout(actor=buyer, checkout=checkout, gateway="cod")
    assert codes(exc) == [("groups.0.delivery_method", "DELIVERY_METHOD_REQUIRED")]

    # The platform's own method, but its zones no longer include the address.
    own = DeliveryMethod.objects.create(name="پیک تهران", kind="COURIER")
    own.zones.set([ShippingZone.objects.create(name="Germany only", countries=["DE"])])
    DeliveryRate.objects.create(method=own, channel=ir, max_weight=None, price=100_000)
    checkout.deliveries.update(method=own)
    with pytest.raises(DomainError) as exc:
        services.complete_checkout(actor=buyer, checkout=checkout, gateway="cod")
    assert codes(exc) == [("groups.0.delivery_method", "DELIVERY_METHOD_REQUIRED")]
    own.zones.add(ShippingZone.objects.get(name="ایران"))
    order, _payment = services.complete_checkout(actor=buyer, checkout=checkout, gateway="cod")
    assert order.shipments.get().delivery_method_id == own.pk
    assert order.shipping_price == 100_000


def test_unpublished_product_is_refused(ir, buyer, seller_a):
    variant = make_variant(seller_a)
    checkout = make_checkout([(variant, 1)], user=buyer)
    variant.product.is_published = False
    variant.product.save()
    with pytest.raises(DomainError) as exc:
        services.complete_checkout(actor=buyer, checkout=checkout, gateway="cod")
    assert codes(exc) == [("lines.0.variant_id", "NOT_AVAILABLE_IN_CHANNEL")]


def test_stock_taken_after_the_reservation_expired_rolls_everything_back(
    ir, buyer, seller_a, seller_b
):
    plenty = make_variant(seller_b, quantity=10)
    scarce = make_variant(seller_a, quantity=2)
    checkout = make_checkout([(plenty, 1), (scarce, 2)], user=buyer)
    Reservation.objects.filter(checkout_line__checkout=checkout).update(reserved_until=PAST)
    # Someone else buys the scarce units meanwhile.
    rival = make_checkout([(scarce, 1)], email="rival@example.com")
    services.complete_checkout(actor=None, checkout=rival, gateway="cod")
    before = snapshot()
    with pytest.raises(DomainError) as exc:
        services.complete_checkout(actor=buyer, checkout=checkout, gateway="cod")
    assert codes(exc) == [("lines.1.quantity", "INSUFFICIENT_STOCK")]
    assert snapshot() == before
    assert stock_of(plenty).quantity_allocated == 0
    assert stock_of(scarce).quantity_allocated == 1


def test_an_expired_reservation_is_still_honoured_when_stock_is_free(ir, buyer, seller_a):
    variant = make_variant(seller_a, quantity=2)
    checkout = make_checkout([(variant, 2)], user=buyer)
    Reservation.objects.update(reserved_until=PAST)
    order, _payment = services.complete_checkout(actor=buyer, checkout=checkout, gateway="cod")
    assert order.lines.get().quantity == 2
    assert stock_of(variant).quantity_allocated == 2


def test_voucher_discount_and_usage(ir, buyer, seller_a):
    variant = make_variant(seller_a, price=2_000_000)
    voucher = make_voucher(value=Decimal(10), usage_limit=5)
    checkout = make_checkout([(variant, 2)], user=buyer, voucher=voucher)
    order, payment = services.complete_checkout(actor=buyer, checkout=checkout, gateway="cod")
    assert order.discount == Decimal(400_000)
    assert order.total == Decimal(4_000_000 + 750_000 - 400_000) == payment.total
    assert order.voucher_code == voucher.code
    voucher.refresh_from_db()
    assert voucher.used == 1
    usage = VoucherUsage.objects.get(voucher=voucher)
    assert (usage.order_id, usage.user_id) == (order.pk, buyer.pk)
    assert EventType.VOUCHER_USED in set(order.events.values_list("type", flat=True))


@pytest.mark.parametrize(
    "fields",
    [
        {"usage_limit": 2, "used": 2},
        {"valid_until": PAST},
        {"is_active": False},
        {"min_spend": Decimal(100_000_000)},
    ],
    ids=["used-up", "expired", "inactive", "under-min-spend"],
)
def test_voucher_that_no_longer_applies(ir, buyer, seller_a, fields):
    variant = make_variant(seller_a)
    voucher = make_voucher(**fields)
    checkout = make_checkout([(variant, 1)], user=buyer, voucher=voucher)
    before = snapshot()
    with pytest.raises(DomainError) as exc:
        services.complete_checkout(actor=buyer, checkout=checkout, gateway="cod")
    assert codes(exc) == [("promo_code", "VOUCHER_INVALID")]
    assert snapshot() == before


def test_voucher_per_buyer_limit(ir, buyer, seller_a):
    variant = make_variant(seller_a)
    voucher = make_voucher(per_buyer_limit=1)
    first = make_checkout([(variant, 1)], user=buyer, voucher=voucher)
    services.complete_checkout(actor=buyer, checkout=first, gateway="cod")
    second = make_checkout([(variant, 1)], user=buyer, voucher=voucher)
    with pytest.raises(DomainError) as exc:
        services.complete_checkout(actor=buyer, checkout=second, gateway="cod")
    assert codes(exc) == [("promo_code", "VOUCHER_INVALID")]
    voucher.refresh_from_db()
    assert voucher.used == 1


def test_online_gateway_leaves_the_order_unconfirmed_until_paid(ir, buyer, seller_a, settings):
    settings.UNPAID_ORDER_EXPIRY_MINUTES = 20
    variant = make_variant(seller_a)
    checkout = make_checkout([(variant, 1)], user=buyer)
    before = timezone.now()
    with online_gateway():
        order, payment = services.complete_checkout(
            actor=buyer,
            checkout=checkout,
            gateway="test-redirect",
            redirect_url="https://shop.example.com/paid",
        )
    after = timezone.now()
    assert order.status == OrderStatus.UNCONFIRMED
    assert order.payment_status == PaymentStatus.PENDING
    # Measured from the moment of placing, however long placing took.
    expiry = timedelta(minutes=20)
    assert before + expiry <= order.expires_at <= after + expiry
    assert payment.status == PaymentStatus.PENDING
    assert payment.action == {"kind": "REDIRECT", "url": f"https://pay.example.com/{payment.pk}"}
    assert payment.psp_reference == f"ref-{payment.pk}"
    assert Transaction.objects.get(payment=payment).raw == {
        "redirect_url": "https://shop.example.com/paid"
    }
    assert EventType.CONFIRMED not in set(order.events.values_list("type", flat=True))


def test_bad_redirect_url(cart, buyer):
    checkout, _variants = cart
    with pytest.raises(DomainError) as exc:
        services.complete_checkout(
            actor=buyer, checkout=checkout, gateway="cod", redirect_url="javascript:alert(1)"
        )
    assert codes(exc) == [("redirect_url", "INVALID")]
