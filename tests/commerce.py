"""Builders shared by the checkout and order tests, written straight through the models
and the shared stock functions: sellable variants with stock, vouchers, addresses, and
checkouts ready to be completed (lines reserved, an address, a delivery method per
group)."""

from __future__ import annotations

import importlib
import itertools
from decimal import Decimal

from django.apps import apps

from marketplace.accounts.models import Address, User
from marketplace.catalog.models import Category, Product, ProductVariant, VariantChannelListing
from marketplace.catalog.services import refresh_price_ranges
from marketplace.channels.models import Channel
from marketplace.checkout.info import build_checkout_info
from marketplace.checkout.models import Checkout, CheckoutDelivery, CheckoutLine
from marketplace.discounts.models import Voucher
from marketplace.inventory import stock
from marketplace.inventory.models import Stock, Warehouse
from marketplace.locations.models import Province
from marketplace.sellers.models import Seller
from marketplace.shipping.models import DeliveryMethod, ShippingZone

_serial = itertools.count(1)
EXPRESS_POST = "پست پیشتاز"
REGISTERED_POST = "پست سفارشی"


def _seed(module: str, function: str) -> None:
    getattr(importlib.import_module(module), function)(apps, None)


def ensure_seeded() -> None:
    """The migrations' seed rows (channels, provinces, platform delivery); transactional
    tests flush the database, so they are put back when missing."""
    if not Channel.objects.filter(slug="ir").exists():
        _seed("marketplace.channels.migrations.0002_seed_channels", "seed")
    if Province.objects.filter(country="IR").count() < 31:
        _seed("marketplace.locations.migrations.0002_seed_locations", "seed_locations")
    if not ShippingZone.objects.filter(name="ایران").exists():
        _seed(
            "marketplace.shipping.migrations.0002_seed_platform_delivery",
            "seed_platform_delivery",
        )


def category() -> Category:
    found, _created = Category.objects.get_or_create(slug="saffron", defaults={"name": "زعفران"})
    return found


def warehouse_for(seller: Seller) -> Warehouse:
    if seller.cooperative_id:
        found = Warehouse.objects.filter(cooperative_id=seller.cooperative_id).first()
        return found or Warehouse.objects.create(
            name=f"انبار {seller.cooperative_id}", cooperative_id=seller.cooperative_id
        )
    found = Warehouse.objects.filter(seller=seller).first()
    return found or Warehouse.objects.create(name=f"انبار {seller.name}", seller=seller)


def make_variant(
    seller: Seller,
    *,
    quantity: int = 10,
    price: Decimal | int | str = 2_500_000,
    channels: tuple[str, ...] = ("ir",),
    name: str | None = None,
    weight: Decimal | str = "0.5",
    published: bool = True,
) -> ProductVariant:
    """A product with one variant, priced in `channels` and, unless `quantity` is 0,
    stocked in its fulfiller's warehouse."""
    n = next(_serial)
    product = Product.objects.create(
        seller=seller,
        category=category(),
        name=name or f"زعفران سرگل {n}",
        name_en=f"Saffron {n}",
        slug=f"product-{n}",
        is_published=published,
    )
    variant = ProductVariant.objects.create(
        product=product, sku=f"SKU-{n}", name="۵ گرمی", name_en="5 g", weight=Decimal(weight)
    )
    for slug in channels:
        channel = Channel.objects.get(slug=slug)
        VariantChannelListing.objects.create(
            variant=variant,
            channel=channel,
            price=Decimal(price) if slug == "ir" else Decimal("12.50"),
            currency=channel.currency_code,
        )
    # The product's price range per channel, as the catalogue services keep it.
    refresh_price_ranges([product.pk])
    if quantity:
        Stock.objects.create(warehouse=warehouse_for(seller), variant=variant, quantity=quantity)
    return variant


def ir_address(user: User | None = None) -> Address:
    province = Province.objects.get(code="IR-09")
    return Address.objects.create(
        user=user,
        first_name="Sara",
        last_name="Ahmadi",
        phone="+989121234567",
        country="IR",
        country_area=province.name,
        province=province,
        city="مشهد",
        street_address_1="خیابان امام رضا، پلاک ۱",
        postal_code="9177948974",
    )


def make_checkout(
    lines: list[tuple[ProductVariant, int]],
    *,
    user: User | None = None,
    email: str = "",
    channel: str = "ir",
    address: bool = True,
    deliver: bool = True,
    voucher: Voucher | None = None,
    reserve: bool = True,
) -> Checkout:
    """A checkout as the checkout mutations leave it: lines reserved, the address copied
    and, for every group, the platform's express post chosen."""
    checkout = Checkout.objects.create(
        user=user,
        email=email or (user.email if user else "guest@example.com"),
        channel=Channel.objects.get(slug=channel),
        voucher=voucher,
        shipping_address=ir_address() if address else None,
    )
    for variant, quantity in lines:
        line = CheckoutLine.objects.create(checkout=checkout, variant=variant, quantity=quantity)
        if reserve:
            stock.reserve(line=line, quantity=quantity, field="lines")
    if deliver:
        method = DeliveryMethod.objects.get(name=EXPRESS_POST, cooperative=None, seller=None)
        for group in build_checkout_info(checkout).groups:
            CheckoutDelivery.objects.create(
                checkout=checkout,
                cooperative=group.cooperative,
                seller=group.seller,
                method=method,
            )
    return checkout


def make_voucher(channel: str = "ir", **fields) -> Voucher:
    values = {
        "code": f"NOROOZ{next(_serial)}",
        "kind": "PERCENTAGE",
        "value": Decimal(10),
        "channel": Channel.objects.get(slug=channel),
    }
    values.update(fields)
    return Voucher.objects.create(**values)


def stock_of(variant: ProductVariant) -> Stock:
    return Stock.objects.get(variant=variant)
