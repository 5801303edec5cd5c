"""Checkouts ready to be completed, written straight through the models and the shared
stock functions: lines reserved, an address, a delivery method per group."""

from __future__ import annotations

from marketplace.accounts.models import User
from marketplace.catalog.models import ProductVariant
from marketplace.channels.models import Channel
from marketplace.checkout.info import build_checkout_info
from marketplace.checkout.models import Checkout, CheckoutDelivery, CheckoutLine
from marketplace.discounts.models import Voucher
from marketplace.inventory import stock
from marketplace.shipping.models import DeliveryMethod
from tests.builders.accounts import ir_address
from tests.builders.shipping import EXPRESS_POST


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
    shipping_address = None
    if address:
        shipping_address = ir_address()
        shipping_address.save()
    checkout = Checkout.objects.create(
        user=user,
        email=email or (user.email if user else "guest@example.com"),
        channel=Channel.objects.get(slug=channel),
        voucher=voucher,
        shipping_address=shipping_address,
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
