"""Orders."""

from __future__ import annotations

from marketplace.accounts.models import Address
from marketplace.catalog.models import ProductVariant
from marketplace.channels.models import Channel
from marketplace.orders.models import Order, OrderLine, Shipment
from marketplace.shipping.models import DeliveryMethod


def order_referencing(variant: ProductVariant) -> None:
    """An order line for `variant`, as checkout would leave it (so it cannot be deleted)."""
    seller = variant.product.seller
    address = Address.objects.create(
        first_name="سارا",
        last_name="احمدی",
        phone="+989151000002",
        country_area="خراسان رضوی",
        city="مشهد",
        street_address_1="خیابان امام رضا",
        postal_code="9137673111",
    )
    order = Order.objects.create(
        number=990001,
        channel=Channel.objects.get(slug="ir"),
        status="CONFIRMED",
        shipping_address=address,
        currency="IRR",
        subtotal=1000,
        shipping_price=0,
        total=1000,
    )
    method = DeliveryMethod.objects.create(name="پست", kind="POST")
    shipment = Shipment.objects.create(
        order=order, seller=seller, delivery_method=method, shipping_price=0
    )
    OrderLine.objects.create(
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
