"""Building catalogue data for the API tests through the real services."""

from __future__ import annotations

from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from graphql_relay import to_global_id

from marketplace.catalog import services
from marketplace.catalog.models import Category, Product, ProductMedia
from marketplace.inventory.models import Warehouse
from marketplace.sellers.models import Seller


def gid(obj) -> str:
    return to_global_id(type(obj).__name__, obj.pk)


def warehouse_of(seller: Seller) -> Warehouse:
    warehouse = Warehouse.objects.filter(seller=seller).first()
    return warehouse or Warehouse.objects.create(name=f"انبار {seller.name}", seller=seller)


def make_product(
    seller: Seller,
    name: str,
    category: Category,
    *,
    price: float | None = 1_000_000,
    intl: float | None = None,
    stock: int = 5,
    published: bool = True,
    name_en: str = "",
    description: str = "",
    variants: int = 1,
    media: int = 0,
) -> Product:
    product = services.create_product(
        actor=seller.owner,
        seller=seller,
        name=name,
        name_en=name_en,
        description=description,
        category=category,
        is_published=published,
    )
    for index in range(variants):
        prices = []
        if price is not None:
            prices.append(services.PriceInput("ir", Decimal(str(price)) + index * 1000))
        if intl is not None:
            prices.append(services.PriceInput("intl", intl))
        if not prices:
            continue
        services.create_variant(
            actor=seller.owner,
            product=product,
            name=f"بسته {index + 1}",
            prices=prices,
            stocks=[services.StockInput(warehouse_of(seller), stock)],
        )
    for index in range(media):
        ProductMedia.objects.create(
            product=product,
            image=f"products/test/{product.pk}-{index}.jpg",
            width=800,
            height=600,
            alt=f"عکس {index + 1}",
            sort_order=index,
        )
    return product


def count_queries(call, *args, **kwargs) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as context:
        result = call(*args, **kwargs)
    return len(context.captured_queries), result


def codes(payload: dict) -> list[tuple[str | None, str]]:
    return [(e["field"], e["code"]) for e in payload["errors"]]


def order_referencing(variant) -> None:
    """An order line for `variant`, as checkout would leave it (so it cannot be deleted)."""
    from marketplace.accounts.models import Address
    from marketplace.channels.models import Channel
    from marketplace.orders.models import Order, OrderLine, Shipment
    from marketplace.shipping.models import DeliveryMethod

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
