"""Canceling orders (buyer, platform staff) and expiring unpaid ones: stock and vouchers
come back, shipments are canceled, the history says who did it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone

from marketplace.core.errors import DomainError
from marketplace.discounts.models import VoucherUsage
from marketplace.inventory.models import Allocation
from marketplace.orders import services, tasks
from marketplace.orders.events import EventType
from marketplace.orders.models import OrderStatus, ShipmentStatus
from marketplace.payments.models import PaymentStatus
from tests.builders.accounts import make_user
from tests.builders.catalog import make_variant
from tests.builders.checkout import make_checkout
from tests.builders.discounts import make_voucher
from tests.builders.inventory import stock_of
from tests.orders.gateways import online_gateway


@pytest.fixture
def placed(ir, buyer, seller_a, seller_b):
    """A COD order of two shipments, with a voucher."""
    variants = [make_variant(seller_a, quantity=5), make_variant(seller_b, quantity=5)]
    voucher = make_voucher(usage_limit=10)
    checkout = make_checkout([(variants[0], 2), (variants[1], 1)], user=buyer, voucher=voucher)
    order, _payment = services.complete_checkout(actor=buyer, checkout=checkout, gateway="cod")
    return order, variants, voucher


def assert_released(order, variants, voucher) -> None:
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELED
    assert [stock_of(v).quantity_allocated for v in variants] == [0, 0]
    assert not Allocation.objects.filter(order_line__order=order).exists()
    voucher.refresh_from_db()
    assert voucher.used == 0
    assert not VoucherUsage.objects.filter(order=order).exists()
    assert set(order.shipments.values_list("status", flat=True)) == {ShipmentStatus.CANCELED}


def test_buyer_cancels_before_shipping(placed, buyer):
    order, variants, voucher = placed
    assert [stock_of(v).quantity_allocated for v in variants] == [2, 1]
    services.cancel_order(actor=buyer, order=order)
    assert_released(order, variants, voucher)
    last = order.events.order_by("-id").first()
    assert (last.type, last.user_id, last.data) == (
        EventType.CANCELED,
        buyer.pk,
        {"reason": "buyer"},
    )
    types = list(order.events.values_list("type", flat=True))
    assert {EventType.STOCK_RELEASED, EventType.VOUCHER_RELEASED} <= set(types)


def test_a_packed_order_can_still_be_canceled(placed, buyer):
    order, variants, voucher = placed
    order.shipments.update(status=ShipmentStatus.PACKED)
    services.cancel_order(actor=buyer, order=order)
    assert_released(order, variants, voucher)


def test_nothing_is_canceled_once_a_shipment_left(placed, buyer):
    order, variants, _voucher = placed
    first = order.shipments.order_by("id").first()
    first.status = ShipmentStatus.SHIPPED
    first.save()
    with pytest.raises(DomainError) as exc:
        services.cancel_order(actor=buyer, order=order)
    assert [(e.field, e.code) for e in exc.value.errors] == [("id", "INVALID_STATUS")]
    order.refresh_from_db()
    assert order.status == OrderStatus.CONFIRMED
    assert [stock_of(v).quantity_allocated for v in variants] == [2, 1]


def test_canceling_twice_is_refused(placed, buyer):
    order, variants, _voucher = placed
    services.cancel_order(actor=buyer, order=order)
    with pytest.raises(DomainError) as exc:
        services.cancel_order(actor=buyer, order=order)
    assert exc.value.errors[0].code == "INVALID_STATUS"
    assert [stock_of(v).quantity_allocated for v in variants] == [0, 0]


def test_platform_staff_with_the_permission_cancel(placed):
    order, variants, voucher = placed
    clerk = make_user("clerk@example.com", is_staff=True)
    with pytest.raises(DomainError) as exc:
        services.cancel_order(actor=clerk, order=order)
    assert exc.value.errors[0].code == "PERMISSION_DENIED"
    clerk.user_permissions.add(Permission.objects.get(codename="change_order"))
    clerk = type(clerk).objects.get(pk=clerk.pk)  # permissions are cached on the instance
    services.cancel_order(actor=clerk, order=order)
    assert_released(order, variants, voucher)
    assert order.events.order_by("-id").first().data == {"reason": "staff"}


def test_others_may_not_cancel(placed, staff_a):
    order, variants, _voucher = placed
    stranger = make_user("stranger@example.com")
    for actor in (None, stranger, staff_a):
        with pytest.raises(DomainError) as exc:
            services.cancel_order(actor=actor, order=order)
        assert exc.value.errors[0].code == "PERMISSION_DENIED"
    assert [stock_of(v).quantity_allocated for v in variants] == [2, 1]


def test_unpaid_online_orders_expire(ir, buyer, seller_a):
    variant = make_variant(seller_a, quantity=3)
    voucher = make_voucher(usage_limit=1)
    with online_gateway():
        late, late_payment = services.complete_checkout(
            actor=buyer,
            checkout=make_checkout([(variant, 2)], user=buyer, voucher=voucher),
            gateway="test-redirect",
        )
        on_time, _p = services.complete_checkout(
            actor=buyer, checkout=make_checkout([(variant, 1)], user=buyer), gateway="test-redirect"
        )
    assert stock_of(variant).quantity_allocated == 3
    late.expires_at = timezone.now() - timedelta(seconds=1)
    late.save()

    assert tasks.expire_unpaid_orders.apply().get() == 1
    late.refresh_from_db()
    on_time.refresh_from_db()
    assert late.status == OrderStatus.CANCELED and late.payment_status == PaymentStatus.FAILED
    late_payment.refresh_from_db()
    assert late_payment.status == PaymentStatus.FAILED
    assert on_time.status == OrderStatus.UNCONFIRMED
    assert stock_of(variant).quantity_allocated == 1
    voucher.refresh_from_db()
    assert voucher.used == 0
    last = late.events.order_by("-id").first()
    assert (last.type, last.user_id) == (EventType.EXPIRED, None)
    # Running again finds nothing more to do.
    assert services.expire_unpaid_orders() == 0


def test_confirmed_orders_never_expire(placed):
    order, variants, _voucher = placed
    order.expires_at = timezone.now() - timedelta(days=1)
    order.save()
    assert services.expire_unpaid_orders() == 0
    assert [stock_of(v).quantity_allocated for v in variants] == [2, 1]
