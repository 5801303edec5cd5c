"""Catalogue data: products through the catalogue services (`make_product`, as a seller
makes them) or straight through the models (`make_variant`, quick, for the checkout and
order tests)."""

from __future__ import annotations

from decimal import Decimal

from marketplace.catalog import services
from marketplace.catalog.models import (
    Category,
    Product,
    ProductMedia,
    ProductVariant,
    VariantChannelListing,
)
from marketplace.catalog.services import refresh_price_ranges
from marketplace.channels.models import Channel
from marketplace.inventory.models import Stock
from marketplace.sellers.models import Seller, SellerStatus
from tests.builders import serial
from tests.builders.inventory import warehouse_for, warehouse_of


def category() -> Category:
    found, _created = Category.objects.get_or_create(slug="saffron", defaults={"name": "زعفران"})
    return found


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
    n = next(serial)
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
    """A product made through the catalogue services by its seller's owner, with
    `variants` variants stocked in the seller's own warehouse and `media` photos. A seller
    not approved gets it as if made while they were (the services refuse them now)."""
    status = seller.status
    if status != SellerStatus.APPROVED:
        Seller.objects.filter(pk=seller.pk).update(status=SellerStatus.APPROVED)
        seller.status = SellerStatus.APPROVED
    try:
        return _make_product(
            seller,
            name,
            category,
            price,
            intl,
            stock,
            published,
            name_en,
            description,
            variants,
            media,
        )
    finally:
        if status != SellerStatus.APPROVED:
            Seller.objects.filter(pk=seller.pk).update(status=status)
            seller.status = status


def _make_product(
    seller: Seller,
    name: str,
    category: Category,
    price: float | None,
    intl: float | None,
    stock: int,
    published: bool,
    name_en: str,
    description: str,
    variants: int,
    media: int,
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
