"""Everything about a checkout that is computed rather than stored: its lines with
prices, its groups (one per fulfiller) with delivery and shipping, the discount and the
totals. Built in a fixed number of queries, whatever the number of lines."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, NamedTuple

from django.db import connection

from marketplace.catalog.models import Product, ProductVariant, VariantChannelListing
from marketplace.channels import money
from marketplace.checkout.models import Checkout, CheckoutDelivery, CheckoutLine
from marketplace.core import sql
from marketplace.core.sql import Shape, Table
from marketplace.discounts.selectors import discount_now
from marketplace.sellers.models import Cooperative, Seller, SellerStatus
from marketplace.shipping.models import DeliveryMethod

if TYPE_CHECKING:
    from marketplace.shipping.selectors import Fulfiller

ZERO = Decimal(0)


@dataclass
class LineInfo:
    line: CheckoutLine
    variant: ProductVariant
    unit_price: Decimal | None  # None: the variant has no price in the checkout's channel
    total: Decimal
    weight: Decimal

    @property
    def seller(self) -> Seller:
        return self.variant.product.seller

    @property
    def is_sellable(self) -> bool:
        product = self.variant.product
        return (
            self.unit_price is not None
            and product.is_published
            and not product.is_hidden
            and product.seller.status == SellerStatus.APPROVED
        )


@dataclass
class GroupInfo:
    """The lines one fulfiller ships: the seller's cooperative, or the seller."""

    cooperative: Cooperative | None
    seller: Seller | None
    lines: list[LineInfo] = field(default_factory=list)
    delivery_method: DeliveryMethod | None = None
    shipping_price: Decimal = ZERO

    @property
    def key(self) -> str:
        return f"c{self.cooperative.pk}" if self.cooperative else f"s{self.seller.pk}"

    @property
    def fulfiller(self) -> Cooperative | Seller:
        return self.cooperative or self.seller

    @property
    def subtotal(self) -> Decimal:
        return sum((info.total for info in self.lines), ZERO)

    @property
    def weight(self) -> Decimal:
        return sum((info.weight for info in self.lines), ZERO)


@dataclass
class CheckoutInfo:
    checkout: Checkout
    currency: str
    lines: list[LineInfo]
    groups: list[GroupInfo]
    subtotal: Decimal
    shipping: Decimal
    discount: Decimal
    total: Decimal
    # Each group's delivery options (by group key), once computed (checkout.selectors
    # options_for): a write that needed them hands them on to whoever shows the result.
    options: dict[str, list[DeliveryMethod]] | None = None
    # The stored choices, fulfiller → method id, when read with the options
    # (checkout.selectors.info_with_options).
    chosen: dict[Fulfiller, int] | None = None

    def group(self, key: str) -> GroupInfo | None:
        return next((g for g in self.groups if g.key == key), None)


def group_key_for(seller: Seller) -> str:
    return f"c{seller.cooperative_id}" if seller.cooperative_id else f"s{seller.pk}"


# The lines with their variant, product, seller and cooperative, and the variant's price
# in the channel: one hand-written statement (core.sql) rather than a select_related
# query compiled on every checkout request, several times over what PostgreSQL needs.
# A variant's product (without its search columns) and the product's seller, for a
# variant aliased "v"; also used by checkout.selectors.
PRODUCT_OF_VARIANT = Table(
    "p", Product, ("v", "product"), frozenset({"search_vector", "search_text"})
)
SELLER_OF_PRODUCT = Table("s", Seller, ("p", "seller"))
LINE = Table("l", CheckoutLine)
LINE_TABLES = (
    LINE,
    Table("v", ProductVariant, ("l", "variant")),
    PRODUCT_OF_VARIANT,
    SELLER_OF_PRODUCT,
    Table("c", Cooperative, ("s", "cooperative")),
)


class LinePrice(NamedTuple):
    price: Decimal | None  # None: the variant has no price in the channel


LINE_SHAPE = Shape(LINE_TABLES, LinePrice)


@sql.statement(
    "checkout.lines",
    uses=[sql.index(CheckoutLine, "checkout"), sql.index(VariantChannelListing, "variant")],
)
def _lines_sql() -> str:
    line, price = LINE, Table("vl", VariantChannelListing)
    price_sql = f"""(SELECT {price.c.price} FROM {price.ref}
         WHERE {price.c.variant} = {line.c.variant} AND {price.c.channel} = %s LIMIT 1)"""
    return f"""
SELECT {LINE_SHAPE.select(price=price_sql)}
  FROM {line.ref}
{LINE_SHAPE.joins}
 WHERE {line.c.checkout} = %s
 ORDER BY {line.c.created}, {line.c.id}
"""


def fetch_lines(checkout: Checkout) -> list[LineInfo]:
    """The lines with their variant, product, seller and cooperative, and the variant's
    price in the checkout's channel, in one query."""
    with connection.cursor() as cursor:
        cursor.execute(_lines_sql(), [checkout.channel_id, checkout.pk])
        rows = cursor.fetchall()
    currency = checkout.channel.currency_code
    result = []
    for row in rows:
        line, extra = LINE_SHAPE.read(row)
        price = extra.price
        total = money.quantize(price * line.quantity, currency) if price is not None else ZERO
        weight = (line.variant.weight or ZERO) * line.quantity
        result.append(
            LineInfo(line=line, variant=line.variant, unit_price=price, total=total, weight=weight)
        )
    return result


def build_groups(lines: list[LineInfo]) -> list[GroupInfo]:
    groups: dict[str, GroupInfo] = {}
    for info in lines:
        seller = info.seller
        key = group_key_for(seller)
        if key not in groups:
            groups[key] = GroupInfo(
                cooperative=seller.cooperative if seller.cooperative_id else None,
                seller=None if seller.cooperative_id else seller,
            )
        groups[key].lines.append(info)
    return list(groups.values())


def voucher_discount(checkout: Checkout, lines: list[LineInfo], currency: str) -> Decimal:
    """The discount the checkout's voucher gives now (0 when it no longer applies)."""
    return discount_now(
        checkout.voucher, channel_id=checkout.channel_id, lines=lines, currency=currency
    )


def build_checkout_info(checkout: Checkout, *, shipping_prices=None) -> CheckoutInfo:
    """`shipping_prices(checkout, groups)` fills each group's method and price; by default
    the chosen methods priced by the shipping selectors."""
    currency = checkout.channel.currency_code
    lines = fetch_lines(checkout)
    groups = build_groups(lines)
    (shipping_prices or apply_chosen_delivery)(checkout, groups)
    subtotal = sum((i.total for i in lines), ZERO)
    shipping = sum((g.shipping_price for g in groups), ZERO)
    discount = voucher_discount(checkout, lines, currency)
    total = max(subtotal + shipping - discount, ZERO)
    return CheckoutInfo(
        checkout=checkout,
        currency=currency,
        lines=lines,
        groups=groups,
        subtotal=subtotal,
        shipping=shipping,
        discount=discount,
        total=money.quantize(total, currency),
    )


CHOSEN = Table("m", DeliveryMethod)


class ChosenFor(NamedTuple):
    """The fulfiller a stored choice is for."""

    cooperative_id: int | None
    seller_id: int | None


CHOSEN_SHAPE = Shape([CHOSEN], ChosenFor)


# Hand-written rather than an ORM query with a subquery compiled on every checkout
# request that prices the chosen methods.
@sql.statement("checkout.chosen_methods", uses=[sql.index(CheckoutDelivery, "checkout")])
def _chosen_sql() -> str:
    from marketplace.shipping.selectors import serves_address_sql

    method, delivery = CHOSEN, Table("d", CheckoutDelivery)
    return f"""
SELECT {CHOSEN_SHAPE.select(cooperative_id=delivery.c.cooperative, seller_id=delivery.c.seller)}
  FROM {delivery.ref}
  {sql.join(method, sql.on(delivery, "method", method))}
 WHERE {delivery.c.checkout} = %s AND {method.c.is_active}
   AND {serves_address_sql(delivery.c.method)}
"""


def apply_chosen_delivery(checkout: Checkout, groups: list[GroupInfo]) -> None:
    """Each group's chosen method, priced for it, when it still applies: active, still
    serving the address (read with the choices, in the same query), the platform's or
    the group's own (a choice is stored per fulfiller) and with a bracket for the parcel."""
    from marketplace.shipping.selectors import attach_rates, delivery_price, serves_address_params

    if checkout.shipping_address_id is None:
        # Without an address no chosen method applies (and none can have been chosen).
        return
    with connection.cursor() as cursor:
        cursor.execute(
            _chosen_sql(), [checkout.pk, *serves_address_params(checkout.shipping_address)]
        )
        rows = cursor.fetchall()
    chosen = {}
    for row in rows:
        method, chosen_for = CHOSEN_SHAPE.read(row)
        chosen[(chosen_for.cooperative_id, chosen_for.seller_id)] = method
    attach_rates(list(chosen.values()), checkout.channel)
    for group in groups:
        owner = (
            group.cooperative.pk if group.cooperative else None,
            group.seller.pk if group.seller else None,
        )
        method = chosen.get(owner)
        if method is None or not _platform_or_own(method, owner):
            continue
        price = delivery_price(
            method=method, channel=checkout.channel, weight=group.weight, subtotal=group.subtotal
        )
        if price is not None:
            group.delivery_method = method
            group.shipping_price = money.quantize(price, checkout.channel.currency_code)


def _platform_or_own(method: DeliveryMethod, owner: tuple[int | None, int | None]) -> bool:
    if method.cooperative_id is None and method.seller_id is None:
        return True
    return (method.cooperative_id, method.seller_id) == owner
