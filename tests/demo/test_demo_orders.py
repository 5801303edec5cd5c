"""Demo orders: every demo cooperative's desk has parcels in every state."""

from __future__ import annotations

from marketplace.catalog.models import Product
from marketplace.demo.loader import load_demo_data
from marketplace.demo.orders import load_demo_orders
from marketplace.logistics.models import Parcel
from marketplace.orders.models import Order, OrderStatus, Shipment, ShipmentStatus
from marketplace.reviews.models import Review
from marketplace.sellers.models import Cooperative, Seller, SellerStatus
from marketplace.shipping.models import DeliveryKind
from tests.builders.catalog import make_variant
from tests.builders.seed import ensure_seeded


def test_every_cooperative_gets_orders_in_every_state(db):
    ensure_seeded()
    load_demo_data()
    for seller in Seller.objects.filter(status=SellerStatus.APPROVED):
        for _ in range(3):
            make_variant(seller, quantity=50, price=400_000)
    placed = load_demo_orders()
    assert placed > 0 and load_demo_orders() == 0
    for cooperative in Cooperative.objects.filter(is_active=True):
        if not Seller.objects.filter(
            cooperative=cooperative, status=SellerStatus.APPROVED
        ).exists():
            continue
        statuses = set(
            Shipment.objects.filter(cooperative=cooperative).values_list("status", flat=True)
        )
        assert statuses == {
            ShipmentStatus.UNFULFILLED,
            ShipmentStatus.PACKED,
            ShipmentStatus.SHIPPED,
            ShipmentStatus.DELIVERED,
            ShipmentStatus.CANCELED,
        }, cooperative.slug
        kinds = set(
            Shipment.objects.filter(
                cooperative=cooperative, status=ShipmentStatus.SHIPPED
            ).values_list("delivery_method__kind", flat=True)
        )
        assert kinds == {DeliveryKind.POST, DeliveryKind.COOP_DELIVERY, DeliveryKind.PICKUP}
    assert set(Order.objects.values_list("status", flat=True)) == {
        OrderStatus.CONFIRMED,
        OrderStatus.FULFILLED,
        OrderStatus.COMPLETED,
        OrderStatus.CANCELED,
    }
    assert Parcel.objects.filter(short_amount__gt=0).exists()
    # The demo buyer reviewed one line of each completed order; delivered ones wait.
    completed = Order.objects.filter(status=OrderStatus.COMPLETED)
    assert Review.objects.filter(line__order__in=completed).count() == completed.count()
    assert not Review.objects.exclude(line__order__in=completed).exists()
    assert Product.objects.filter(review_count__gt=0, rating__gte=4).exists()
