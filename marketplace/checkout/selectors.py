"""Reads of checkouts: who may reach one, a buyer's open checkout, the delivery methods
each group may choose, and the payment gateways offered.

Access: a checkout with a user belongs to that user alone (anyone else is told it does
not exist); an anonymous one belongs to whoever holds its token, a random UUID.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from decimal import Decimal
from functools import cache

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from marketplace.accounts.models import Address
from marketplace.catalog.joined import Table, build, columns, joins
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
from marketplace.discounts.models import Voucher
from marketplace.inventory.models import Reservation
from marketplace.payments.gateways import PaymentGateway, gateways_for_channel
from marketplace.sellers.models import SellerStatus
from marketplace.shipping.models import DeliveryMethod
from marketplace.shipping.selectors import PRICE_ATTR, Fulfiller, priced_methods_for_groups

ZERO = Decimal(0)
OPTIONS_ATTR = "delivery_options"
CHOSEN_ATTR = "chosen_methods"
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
# statement (catalog.joined) with RELATED, rather than a select_related query compiled
# each time.
CHECKOUT_TABLES = (
    Table("k", Checkout, ""),
    Table("ch", Channel, "JOIN channels_channel ch ON ch.id = k.channel_id", ("k", "channel")),
    Table(
        "a",
        Address,
        "LEFT JOIN accounts_address a ON a.id = k.shipping_address_id",
        ("k", "shipping_address"),
    ),
    Table("v", Voucher, "LEFT JOIN discounts_voucher v ON v.id = k.voucher_id", ("k", "voucher")),
)


@cache
def _checkout_sql() -> str:
    return f"""
SELECT {columns(CHECKOUT_TABLES)}
  FROM {Checkout._meta.db_table} k
{joins(CHECKOUT_TABLES)}
 WHERE k.token = %s
"""


def checkout_for(actor, token: object) -> Checkout | None:
    """The checkout with this token if `actor` may reach it, else None (never a hint
    that another buyer's checkout exists)."""
    token = parse_token(token)
    if token is None:
        return None
    checkout = _fetch_checkout(_checkout_sql(), token)
    if checkout is None or not can_access(actor, checkout):
        return None
    return checkout


def locked_checkout(token: uuid.UUID) -> Checkout | None:
    """The checkout with RELATED, its own row locked until the transaction ends (as
    select_for_update(of=("self",)) would), or None."""
    return _fetch_checkout(_checkout_sql() + " FOR UPDATE OF k", token)


def _fetch_checkout(sql: str, token: uuid.UUID) -> Checkout | None:
    with connection.cursor() as cursor:
        cursor.execute(sql, [token])
        row = cursor.fetchone()
    return build(row, CHECKOUT_TABLES)[0] if row is not None else None


def open_checkouts_of(user) -> list[Checkout]:
    """The user's checkouts not yet turned into orders, most recently changed first."""
    if not is_signed_in(user):
        return []
    return list(
        Checkout.objects.select_related(*RELATED)
        .filter(user_id=user.pk, order__isnull=True)
        .order_by("-updated", "-created")
    )


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


VARIANT_TABLES = (Table("v", ProductVariant, ""), PRODUCT_OF_VARIANT, SELLER_OF_PRODUCT)


@cache
def _variants_sql() -> str:
    return f"""
SELECT {columns(VARIANT_TABLES)},
       EXISTS (SELECT 1 FROM {VariantChannelListing._meta.db_table}
                WHERE variant_id = v.id AND channel_id = %s)
  FROM {ProductVariant._meta.db_table} v
{joins(VARIANT_TABLES)}
 WHERE v.id = ANY(%s)
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
        variant, end = build(row, VARIANT_TABLES)
        variants[variant.pk] = variant
        if row[end]:
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


HELD_TABLE = Table("l", CheckoutLine, "")


@cache
def _held_sql() -> str:
    return f"""
SELECT {columns([HELD_TABLE])},
       COALESCE(SUM(r.quantity) FILTER (WHERE r.reserved_until > %s), 0)
  FROM {CheckoutLine._meta.db_table} l
  LEFT JOIN {Reservation._meta.db_table} r ON r.checkout_line_id = l.id
 WHERE l.checkout_id = %s
 GROUP BY l.id
 ORDER BY l.created, l.id
"""


def lines_with_held(checkout: Checkout) -> dict[int, CheckoutLine]:
    """The checkout's lines by variant, each with `held`: the units its live
    reservations hold. One hand-written statement: every change of lines reads them."""
    with connection.cursor() as cursor:
        cursor.execute(_held_sql(), [timezone.now(), checkout.pk])
        rows = cursor.fetchall()
    result = {}
    for row in rows:
        line, end = build(row, [HELD_TABLE])
        line.held = row[end]
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
    options = getattr(info, OPTIONS_ATTR, None)
    if options is None:
        options = delivery_options(info.checkout, info.groups)
        setattr(info, OPTIONS_ATTR, options)
    return options


DELIVERY_TABLE = CheckoutDelivery._meta.db_table


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
            cursor.execute(
                f"SELECT cooperative_id, seller_id, method_id FROM {DELIVERY_TABLE}"
                " WHERE checkout_id = %s",
                [checkout.pk],
            )
            chosen.update(((c, s), method_id) for c, s, method_id in cursor.fetchall())
        for group in groups:
            method_id = chosen.get(fulfiller_of(group))
            method = next((m for m in options[group.key] if m.pk == method_id), None)
            if method is not None:
                group.delivery_method = method
                group.shipping_price = price_of(method)

    info = build_checkout_info(checkout, shipping_prices=price_from_options)
    setattr(info, OPTIONS_ATTR, options)
    setattr(info, CHOSEN_ATTR, chosen)
    return info


def chosen_methods(info: CheckoutInfo) -> dict[Fulfiller, int]:
    """The stored choices of an info from `info_with_options`."""
    return getattr(info, CHOSEN_ATTR)


def price_of(method: DeliveryMethod) -> Decimal:
    """The price a method from `delivery_options` carries for its group."""
    return getattr(method, PRICE_ATTR, None) or ZERO


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
