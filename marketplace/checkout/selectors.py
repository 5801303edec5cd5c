"""Reads of checkouts: who may reach one, a buyer's open checkout, the delivery methods
each group may choose, and the payment gateways offered.

Access: a checkout with a user belongs to that user alone (anyone else is told it does
not exist); an anonymous one belongs to whoever holds its token, a random UUID.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from decimal import Decimal
from typing import NamedTuple

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from marketplace.accounts.models import Address
from marketplace.catalog.models import ProductVariant, VariantChannelListing
from marketplace.channels import money
from marketplace.channels.models import Channel
from marketplace.checkout.info import (
    PRODUCT_OF_VARIANT,
    SELLER_OF_PRODUCT,
    CheckoutInfo,
    GroupInfo,
    build_checkout_info,
)
from marketplace.checkout.models import Checkout, CheckoutDelivery, CheckoutLine
from marketplace.core import sql
from marketplace.core.sql import Shape, Table
from marketplace.discounts.models import Voucher
from marketplace.inventory.models import Reservation
from marketplace.payments.gateways import PaymentGateway, gateways_for_channel
from marketplace.sellers.models import SellerStatus
from marketplace.shipping.models import DeliveryMethod
from marketplace.shipping.selectors import Fulfiller, priced_methods_for_groups

ZERO = Decimal(0)
# What every read of a checkout needs beside its own row, in the same query.
RELATED = ("channel", "shipping_address", "voucher")


def is_signed_in(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def can_access(actor, checkout: Checkout) -> bool:
    if checkout.user_id is None:
        return True
    return is_signed_in(actor) and actor.pk == checkout.user_id


def parse_token(value: object) -> uuid.UUID | None:
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError, AttributeError):
        return None


# `checkout_for` runs at the start of nearly every checkout request: one hand-written
# statement (core.sql) with RELATED, rather than a select_related query compiled each
# time.
CHECKOUT = Table("k", Checkout)
CHECKOUT_SHAPE = Shape(
    [
        CHECKOUT,
        Table("ch", Channel, ("k", "channel")),
        Table("a", Address, ("k", "shipping_address")),
        Table("v", Voucher, ("k", "voucher")),
    ]
)


def _checkout_sql() -> str:
    return f"""
SELECT {CHECKOUT_SHAPE.select()}
  FROM {CHECKOUT.ref}
{CHECKOUT_SHAPE.joins}
 WHERE {CHECKOUT.c.token} = %s
"""


@sql.statement("checkout.by_token", uses=[sql.index(Checkout, "pk")])
def _by_token_sql() -> str:
    return _checkout_sql()


@sql.statement("checkout.by_token_locked", uses=[sql.index(Checkout, "pk")])
def _locked_sql() -> str:
    return f"{_checkout_sql()} FOR UPDATE OF {CHECKOUT.alias}"


def checkout_for(actor, token: object) -> Checkout | None:
    """The checkout with this token if `actor` may reach it, else None (never a hint
    that another buyer's checkout exists)."""
    token = parse_token(token)
    if token is None:
        return None
    checkout = _fetch_checkout(_by_token_sql(), token)
    if checkout is None or not can_access(actor, checkout):
        return None
    return checkout


def locked_checkout(token: uuid.UUID) -> Checkout | None:
    """The checkout with RELATED, its own row locked until the transaction ends (as
    select_for_update(of=("self",)) would), or None."""
    return _fetch_checkout(_locked_sql(), token)


def _fetch_checkout(statement: str, token: uuid.UUID) -> Checkout | None:
    with connection.cursor() as cursor:
        cursor.execute(statement, [token])
        row = cursor.fetchone()
    return CHECKOUT_SHAPE.instance(row) if row is not None else None


def open_checkout_of(user, channel: Channel) -> Checkout | None:
    """The user's latest open checkout in `channel`: the cart that follows them from one
    device to another."""
    if not is_signed_in(user):
        return None
    return (
        Checkout.objects.select_related(*RELATED)
        .filter(user_id=user.pk, channel=channel, order__isnull=True)
        .order_by("-updated", "-created")
        .first()
    )


class Priced(NamedTuple):
    priced: bool  # the variant has a price in the channel


VARIANT = Table("v", ProductVariant)
VARIANT_SHAPE = Shape([VARIANT, PRODUCT_OF_VARIANT, SELLER_OF_PRODUCT], Priced)


@sql.statement(
    "checkout.variants_to_buy",
    uses=[sql.index(ProductVariant, "pk"), sql.index(VariantChannelListing, "variant")],
)
def _variants_sql() -> str:
    v, price = VARIANT, Table("vl", VariantChannelListing)
    priced = f"""EXISTS (SELECT 1 FROM {price.ref}
                WHERE {sql.on(price, "variant", v)} AND {price.c.channel} = %s)"""
    return f"""
SELECT {VARIANT_SHAPE.select(priced=priced)}
  FROM {v.ref}
{VARIANT_SHAPE.joins}
 WHERE {v.c.id} = ANY(%s)
"""


def variants_to_buy(ids: set[int], channel_id: int) -> tuple[dict[int, ProductVariant], set[int]]:
    """The variants by id with their product and seller, and the ids of those priced in
    the channel: one hand-written statement, as lines are added on every checkout."""
    with connection.cursor() as cursor:
        cursor.execute(_variants_sql(), [channel_id, sorted(ids)])
        rows = cursor.fetchall()
    variants: dict[int, ProductVariant] = {}
    priced: set[int] = set()
    for row in rows:
        variant, extra = VARIANT_SHAPE.read(row)
        variants[variant.pk] = variant
        if extra.priced:
            priced.add(variant.pk)
    return variants, priced


def why_not_for_sale(variant: ProductVariant, priced: set[int]) -> object | None:
    """Why a variant cannot be bought in the checkout's channel, or None. One code,
    NOT_AVAILABLE_IN_CHANNEL, for every reason: the buyer's remedy is the same."""
    product = variant.product
    if not product.is_published or product.is_hidden:
        return _("This product is not for sale.")
    if product.seller.status != SellerStatus.APPROVED:
        return _("This seller is not selling at the moment.")
    if variant.pk not in priced:
        return _("This product is not sold in this channel.")
    return None


class Held(NamedTuple):
    held: int  # units the line's live reservations hold


LINE = Table("l", CheckoutLine)
HELD_SHAPE = Shape([LINE], Held)


@sql.statement(
    "checkout.lines_with_held",
    uses=[sql.index(CheckoutLine, "checkout"), sql.index(Reservation, "checkout_line")],
)
def _held_sql() -> str:
    line, reservation = LINE, Table("r", Reservation)
    held = f"""COALESCE(SUM({reservation.c.quantity})
                FILTER (WHERE {reservation.c.reserved_until} > %s), 0)"""
    return f"""
SELECT {HELD_SHAPE.select(held=held)}
  FROM {line.ref}
  {sql.join(reservation, sql.on(reservation, "checkout_line", line), outer=True)}
 WHERE {line.c.checkout} = %s
 GROUP BY {line.c.id}
 ORDER BY {line.c.created}, {line.c.id}
"""


def lines_with_held(checkout: Checkout) -> dict[int, CheckoutLine]:
    """The checkout's lines by variant, each with `held`: the units its live
    reservations hold. One hand-written statement: every change of lines reads them."""
    with connection.cursor() as cursor:
        cursor.execute(_held_sql(), [timezone.now(), checkout.pk])
        rows = cursor.fetchall()
    result = {}
    for row in rows:
        line, extra = HELD_SHAPE.read(row)
        line.held = extra.held
        result[line.variant_id] = line
    return result


def fulfiller_of(group: GroupInfo) -> Fulfiller:
    return (
        group.cooperative.pk if group.cooperative else None,
        group.seller.pk if group.seller else None,
    )


def delivery_options(
    checkout: Checkout, groups: Sequence[GroupInfo]
) -> dict[str, list[DeliveryMethod]]:
    """For each group (by key): the methods serving the checkout's address, each priced
    for that group's weight and subtotal. Empty until an address is set. Two queries
    whatever the number of groups."""
    if checkout.shipping_address_id is None or not groups:
        return {group.key: [] for group in groups}
    priced = priced_methods_for_groups(
        channel=checkout.channel,
        address=checkout.shipping_address,
        groups=[(fulfiller_of(g), g.weight, g.subtotal) for g in groups],
    )
    return {group.key: priced[fulfiller_of(group)] for group in groups}


def options_for(info: CheckoutInfo) -> dict[str, list[DeliveryMethod]]:
    """`delivery_options` of the checkout `info` describes, computed once per info: a
    write that needed them hands them on to whoever shows the result."""
    if info.options is None:
        info.options = delivery_options(info.checkout, info.groups)
    return info.options


DELIVERY = Table("d", CheckoutDelivery)


class Choice(NamedTuple):
    cooperative_id: int | None
    seller_id: int | None
    method_id: int


@sql.statement("checkout.choices", uses=[sql.index(CheckoutDelivery, "checkout")])
def _choices_sql() -> str:
    d = DELIVERY
    choice = sql.named(
        Choice, cooperative_id=d.c.cooperative, seller_id=d.c.seller, method_id=d.c.method
    )
    return f"SELECT {choice} FROM {d.ref} WHERE {d.c.checkout} = %s"


def info_with_options(checkout: Checkout) -> CheckoutInfo:
    """The checkout's info with every group's delivery options (as `options_for` gives
    them) and, as each group's method, its choice only when that is among its options,
    priced from them: writes that need the options anyway read the rates once. The
    stored choices, (cooperative id, seller id) → method id, are kept on the info."""
    options: dict[str, list[DeliveryMethod]] = {}
    chosen: dict[Fulfiller, int] = {}

    def price_from_options(checkout: Checkout, groups: list[GroupInfo]) -> None:
        options.update(delivery_options(checkout, groups))
        with connection.cursor() as cursor:
            cursor.execute(_choices_sql(), [checkout.pk])
            choices = [Choice._make(row) for row in cursor.fetchall()]
        chosen.update(((c.cooperative_id, c.seller_id), c.method_id) for c in choices)
        for group in groups:
            method_id = chosen.get(fulfiller_of(group))
            method = next((m for m in options[group.key] if m.pk == method_id), None)
            if method is not None:
                group.delivery_method = method
                group.shipping_price = price_of(method)

    info = build_checkout_info(checkout, shipping_prices=price_from_options)
    info.options, info.chosen = options, chosen
    return info


def chosen_methods(info: CheckoutInfo) -> dict[Fulfiller, int]:
    """The stored choices of an info from `info_with_options`."""
    if info.chosen is None:
        raise ValueError("The info was not read with its choices (info_with_options).")
    return info.chosen


def price_of(method: DeliveryMethod) -> Decimal:
    """The price a method from `delivery_options` carries for its group."""
    return method.group_price or ZERO


def payment_gateways(checkout: Checkout) -> list[PaymentGateway]:
    """The gateways that take the checkout's channel currency (cash on delivery: rial)."""
    return gateways_for_channel(checkout.channel)


def total_quantity(info: CheckoutInfo) -> int:
    return sum(line.line.quantity for line in info.lines)


def with_discount(info: CheckoutInfo, discount: Decimal) -> CheckoutInfo:
    """`info` with another discount (after the voucher changed) and the total to match,
    computed as build_checkout_info does."""
    info.discount = discount
    info.total = money.quantize(max(info.subtotal + info.shipping - discount, ZERO), info.currency)
    return info
