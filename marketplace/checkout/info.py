"""Everything about a checkout that is computed rather than stored: its lines with
prices, its groups (one per fulfiller) with delivery and shipping, the discount and the
totals. Built in a fixed number of queries, whatever the number of lines."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache

from django.db import connection
from django.utils import timezone

from marketplace.catalog.joined import Table, build, columns, joins
from marketplace.catalog.models import Product, ProductVariant, VariantChannelListing
from marketplace.channels import money
from marketplace.checkout.models import Checkout, CheckoutDelivery, CheckoutLine
from marketplace.sellers.models import Cooperative, Seller, SellerStatus
from marketplace.shipping.models import DeliveryMethod

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

    def group(self, key: str) -> GroupInfo | None:
        return next((g for g in self.groups if g.key == key), None)


def group_key_for(seller: Seller) -> str:
    return f"c{seller.cooperative_id}" if seller.cooperative_id else f"s{seller.pk}"


# The lines with their variant, product, seller and cooperative, and the variant's price
# in the channel: one hand-written statement (catalog.joined) rather than a select_related
# query compiled on every checkout request, several times over what PostgreSQL needs.
# A variant's product (without its search columns) and the product's seller, joined to a
# variant aliased "v"; also used by checkout.selectors.
PRODUCT_OF_VARIANT = Table(
    "p",
    Product,
    "JOIN catalog_product p ON p.id = v.product_id",
    ("v", "product"),
    frozenset({"search_vector", "search_text"}),
)
SELLER_OF_PRODUCT = Table(
    "s", Seller, "JOIN sellers_seller s ON s.id = p.seller_id", ("p", "seller")
)
LINE_TABLES = (
    Table("l", CheckoutLine, ""),
    Table(
        "v",
        ProductVariant,
        "JOIN catalog_productvariant v ON v.id = l.variant_id",
        ("l", "variant"),
    ),
    PRODUCT_OF_VARIANT,
    SELLER_OF_PRODUCT,
    Table(
        "c",
        Cooperative,
        "LEFT JOIN sellers_cooperative c ON c.id = s.cooperative_id",
        ("s", "cooperative"),
    ),
)


@cache
def _lines_sql() -> str:
    return f"""
SELECT {columns(LINE_TABLES)},
       (SELECT price FROM {VariantChannelListing._meta.db_table}
         WHERE variant_id = l.variant_id AND channel_id = %s LIMIT 1)
  FROM {CheckoutLine._meta.db_table} l
{joins(LINE_TABLES)}
 WHERE l.checkout_id = %s
 ORDER BY l.created, l.id
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
        line, end = build(row, LINE_TABLES)
        price = row[end]
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
    voucher = checkout.voucher
    if voucher is None or not voucher.is_active or voucher.channel_id != checkout.channel_id:
        return ZERO
    now = timezone.now()
    if (voucher.valid_from and now < voucher.valid_from) or (
        voucher.valid_until and now > voucher.valid_until
    ):
        return ZERO
    eligible = sum(
        (
            i.total
            for i in lines
            if i.is_sellable and (voucher.seller_id is None or i.seller.pk == voucher.seller_id)
        ),
        ZERO,
    )
    if eligible <= 0 or (voucher.min_spend is not None and eligible < voucher.min_spend):
        return ZERO
    if voucher.kind == "PERCENTAGE":
        amount = eligible * voucher.value / Decimal(100)
    else:
        amount = voucher.value
    return money.quantize(min(amount, eligible), currency)


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


CHOSEN_TABLE = Table("m", DeliveryMethod, "")


@cache
def _chosen_sql() -> str:
    from marketplace.shipping.selectors import serves_address_sql

    # Hand-written (catalog.joined) rather than an ORM query with a subquery compiled on
    # every checkout request that prices the chosen methods.
    return f"""
SELECT {columns([CHOSEN_TABLE])}, d.cooperative_id, d.seller_id
  FROM {CheckoutDelivery._meta.db_table} d
  JOIN {DeliveryMethod._meta.db_table} m ON m.id = d.method_id
 WHERE d.checkout_id = %s AND m.is_active AND {serves_address_sql("d.method_id")}
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
        method, end = build(row, [CHOSEN_TABLE])
        chosen[(row[end], row[end + 1])] = method
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
