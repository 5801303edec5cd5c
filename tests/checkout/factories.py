"""Builders for the checkout tests, written straight through the models, and the GraphQL
documents the tests send."""

from __future__ import annotations

import itertools
from decimal import Decimal

from graphql_relay import to_global_id

from marketplace.catalog.models import Category, Product, ProductVariant, VariantChannelListing
from marketplace.catalog.services import refresh_price_ranges
from marketplace.channels.models import Channel
from marketplace.discounts.models import Voucher
from marketplace.inventory.models import Stock, Warehouse
from marketplace.sellers.models import Seller

_serial = itertools.count(1)
EXPRESS_POST = "پست پیشتاز"
REGISTERED_POST = "پست سفارشی"

ADDRESS = {
    "firstName": "سارا",
    "lastName": "احمدی",
    "phone": "۰۹۱۲۱۲۳۴۵۶۷",
    "countryArea": "خراسان رضوی",
    "city": "مشهد",
    "streetAddress1": "خیابان امام رضا، پلاک ۱",
    "postalCode": "۹۱۷۷۹۴۸۹۷۴",
}

CHECKOUT_FIELDS = """
  id email voucherCode quantity
  channel { slug currencyCode }
  lines { id quantity isAvailable
          variant { id sku quantityAvailable pricing { price { gross { amount } } }
                    product { name thumbnail { url } seller { name } } }
          unitPrice { gross { amount } } totalPrice { gross { amount currency } net { amount } tax { amount } } }
  groups { id weight
           fulfiller { __typename ... on Cooperative { name } ... on Seller { name } }
           lines { id quantity }
           availableDeliveryMethods { id name kind price { amount currency } minDays maxDays }
           deliveryMethod { id name price { amount } }
           shippingPrice { amount currency }
           subtotalPrice { gross { amount } } }
  shippingAddress { firstName lastName phone country countryArea city streetAddress1 streetAddress2 postalCode }
  subtotalPrice { gross { amount currency } }
  shippingPrice { gross { amount } }
  discount { amount currency }
  totalPrice { gross { amount currency } net { amount } tax { amount } }
  availablePaymentGateways { id name }
"""

PAYLOAD = "checkout { " + CHECKOUT_FIELDS + " } errors { field code message }"

CREATE = (
    "mutation($input: CheckoutCreateInput!) { checkoutCreate(input: $input) { " + PAYLOAD + " } }"
)
LINES_ADD = (
    "mutation($id: ID!, $lines: [CheckoutLineInput!]!) { checkoutLinesAdd(id: $id, lines: $lines) { "
    + PAYLOAD
    + " } }"
)
LINES_UPDATE = (
    "mutation($id: ID!, $lines: [CheckoutLineInput!]!) { checkoutLinesUpdate(id: $id, lines: $lines) { "
    + PAYLOAD
    + " } }"
)
ADDRESS_UPDATE = (
    "mutation($id: ID!, $address: AddressInput!) { checkoutShippingAddressUpdate(id: $id, shippingAddress: $address) { "
    + PAYLOAD
    + " } }"
)
DELIVERY_UPDATE = (
    "mutation($id: ID!, $group: ID!, $method: ID!) { checkoutDeliveryMethodUpdate(id: $id, groupId: $group, deliveryMethodId: $method) { "
    + PAYLOAD
    + " } }"
)
PROMO_ADD = (
    "mutation($id: ID!, $code: String!) { checkoutAddPromoCode(id: $id, promoCode: $code) { "
    + PAYLOAD
    + " } }"
)
PROMO_REMOVE = "mutation($id: ID!) { checkoutRemovePromoCode(id: $id) { " + PAYLOAD + " } }"
ATTACH = "mutation($id: ID!) { checkoutCustomerAttach(id: $id) { " + PAYLOAD + " } }"
QUERY = "query($id: ID!) { checkout(id: $id) { " + CHECKOUT_FIELDS + " } }"
MY_CHECKOUT = "query($channel: String) { myCheckout(channel: $channel) { id quantity lines { quantity variant { id } } } }"
VARIANT_AVAILABLE = (
    "query($id: ID!) { node(id: $id) { ... on ProductVariant { quantityAvailable } } }"
)


def gid(kind: str, pk) -> str:
    return to_global_id(kind, str(pk))


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
    weight: Decimal | str = "0.5",
    published: bool = True,
) -> ProductVariant:
    """A published product with one variant, priced in `channels` and stocked."""
    n = next(_serial)
    product = Product.objects.create(
        seller=seller,
        category=category(),
        name=f"زعفران سرگل {n}",
        name_en=f"Saffron {n}",
        slug=f"checkout-product-{n}",
        is_published=published,
    )
    variant = ProductVariant.objects.create(
        product=product, sku=f"CHK-{n}", name="۵ گرمی", name_en="5 g", weight=Decimal(weight)
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


def make_voucher(channel: str = "ir", **fields) -> Voucher:
    values = {
        "code": f"NOROOZ{next(_serial)}",
        "kind": "PERCENTAGE",
        "value": Decimal(10),
        "channel": Channel.objects.get(slug=channel),
    }
    values.update(fields)
    return Voucher.objects.create(**values)


def line(variant: ProductVariant, quantity: int) -> dict:
    return {"variantId": gid("ProductVariant", variant.pk), "quantity": quantity}


def ensure_seeded() -> None:
    """The migrations' seed rows (channels, provinces, platform delivery): tests that
    commit flush the database afterwards, so they are put back when missing."""
    import importlib

    from django.apps import apps

    from marketplace.locations.models import Province
    from marketplace.shipping.models import ShippingZone

    def seed(module: str, function: str) -> None:
        getattr(importlib.import_module(module), function)(apps, None)

    if not Channel.objects.filter(slug="ir").exists():
        seed("marketplace.channels.migrations.0002_seed_channels", "seed")
    if Province.objects.filter(country="IR").count() < 31:
        seed("marketplace.locations.migrations.0002_seed_locations", "seed_locations")
    if not ShippingZone.objects.filter(name="ایران").exists():
        seed(
            "marketplace.shipping.migrations.0002_seed_platform_delivery", "seed_platform_delivery"
        )
