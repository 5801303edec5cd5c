"""Reviews: order lines a buyer has received, written straight through the models
(quick), and reviews of them through the reviews services, as a buyer writes them."""

from __future__ import annotations

from marketplace.accounts.models import User
from marketplace.catalog.models import ProductVariant
from marketplace.channels.models import Channel
from marketplace.orders.models import (
    Order,
    OrderLine,
    OrderStatus,
    Shipment,
    ShipmentStatus,
)
from marketplace.reviews import services
from marketplace.reviews.models import Review
from marketplace.shipping.models import DeliveryMethod
from tests.builders import serial
from tests.builders.accounts import ir_address


def bought_line(
    buyer: User | None,
    variant: ProductVariant,
    *,
    shipment_status: str = ShipmentStatus.DELIVERED,
    order_status: str = OrderStatus.CONFIRMED,
) -> OrderLine:
    """One line of `variant` in an order of `buyer`, its parcel in `shipment_status`."""
    seller = variant.product.seller
    address = ir_address()
    address.save()
    order = Order.objects.create(
        number=800000 + next(serial),
        user=buyer,
        channel=Channel.objects.get(slug="ir"),
        status=order_status,
        shipping_address=address,
        currency="IRR",
        subtotal=1000,
        shipping_price=0,
        total=1000,
    )
    method, _created = DeliveryMethod.objects.get_or_create(name="پست", kind="POST")
    shipment = Shipment.objects.create(
        order=order,
        cooperative=seller.cooperative,
        seller=None if seller.cooperative_id else seller,
        delivery_method=method,
        shipping_price=0,
        status=shipment_status,
    )
    return OrderLine.objects.create(
        order=order,
        shipment=shipment,
        variant=variant,
        seller=seller,
        product_name=variant.product.name,
        quantity=1,
        unit_price=1000,
        total_price=1000,
        currency="IRR",
    )


def make_review(buyer: User, variant: ProductVariant, rating: int, text: str = "") -> Review:
    line = bought_line(buyer, variant)
    return services.create_review(actor=buyer, line_id=line.pk, rating=rating, text=text)
