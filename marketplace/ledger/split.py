"""Who gets what of an order: each line's price, less its share of the voucher, split
between the seller, the seller's cooperative (its fee rate) and the platform (its
commission, per category or the default setting); each shipment's shipping price to its
fulfiller. Every split is by the largest-remainder rule, so the parts of a line add up
to exactly what the buyer paid for it."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from django.conf import settings
from django.db import connection

from marketplace.catalog.models import Product, ProductVariant
from marketplace.channels.money import quantum
from marketplace.core import sql
from marketplace.core.sql import Table
from marketplace.discounts.models import Voucher
from marketplace.ledger.models import CategoryCommission
from marketplace.ledger.rounding import largest_remainder
from marketplace.orders.models import Order, OrderLine, Shipment
from marketplace.sellers.models import Cooperative, Seller

ZERO = Decimal(0)
# ("seller", id), ("cooperative", id) or ("platform", None).
Party = tuple[str, int | None]
PLATFORM: Party = ("platform", None)


def seller_party(seller_id: int) -> Party:
    return ("seller", seller_id)


def cooperative_party(cooperative_id: int) -> Party:
    return ("cooperative", cooperative_id)


def fulfiller_party(shipment: Shipment) -> Party:
    return _fulfiller(shipment.cooperative_id, shipment.seller_id)


def _fulfiller(cooperative_id: int | None, seller_id: int | None) -> Party:
    if cooperative_id:
        return cooperative_party(cooperative_id)
    return seller_party(seller_id)


@dataclass
class OrderSplit:
    currency: str
    # line id → party → amount; the amounts of a line sum to what the buyer paid for it.
    lines: dict[int, dict[Party, Decimal]] = field(default_factory=dict)
    line_quantity: dict[int, int] = field(default_factory=dict)
    line_shipment: dict[int, int] = field(default_factory=dict)
    # shipment id → (fulfiller, shipping price)
    shipping: dict[int, tuple[Party, Decimal]] = field(default_factory=dict)
    # line id → (who gives the voucher's discount, its share of it)
    line_discount: dict[int, tuple[Party, Decimal]] = field(default_factory=dict)
    line_gross: dict[int, Decimal] = field(default_factory=dict)
    line_seller: dict[int, int] = field(default_factory=dict)

    def by_party(
        self, *, line_ids: Iterable[int] | None = None, shipment_ids: Iterable[int] | None = None
    ) -> dict[Party, Decimal]:
        """The parties' totals over the chosen lines and shipments' shipping (all when
        neither is given)."""
        if line_ids is None and shipment_ids is None:
            line_ids, shipment_ids = self.lines.keys(), self.shipping.keys()
        totals: dict[Party, Decimal] = defaultdict(lambda: ZERO)
        for line_id in line_ids or ():
            for party, amount in self.lines[line_id].items():
                totals[party] += amount
        for shipment_id in shipment_ids or ():
            party, amount = self.shipping[shipment_id]
            totals[party] += amount
        return dict(totals)

    def shipment_parts(self, shipment_id: int) -> dict[Party, Decimal]:
        lines = [pk for pk, sid in self.line_shipment.items() if sid == shipment_id]
        return self.by_party(line_ids=lines, shipment_ids=[shipment_id])

    def returned_parts(self, returned: dict[int, int]) -> dict[Party, Decimal]:
        """The parties' parts of `returned` units (line id → quantity): each line's paid
        amount pro rata to the units, then split as the line was."""
        totals: dict[Party, Decimal] = defaultdict(lambda: ZERO)
        unit = quantum(self.currency)
        for line_id, quantity in returned.items():
            parts = self.lines[line_id]
            whole = sum(parts.values(), ZERO)
            ordered = self.line_quantity[line_id]
            _kept, gone = largest_remainder(
                whole, [Decimal(ordered - quantity), Decimal(quantity)], unit
            )
            parties = list(parts)
            weights = [parts[p] for p in parties]
            for party, amount in zip(parties, largest_remainder(gone, weights, unit), strict=True):
                totals[party] += amount
        return dict(totals)


class LineRow(NamedTuple):
    id: int
    quantity: int
    total_price: Decimal
    shipment_id: int
    seller_id: int
    cooperative_id: int | None
    # The seller's cooperative's fee rate; the commission of the product's category
    # (None: the default).
    fee_rate: Decimal | None
    commission: Decimal | None


# The order's lines with the rates that split them, and its shipments: written out, as
# every payment, refund and parcel of an order splits it (the ORM's compiling of these
# joins cost more than PostgreSQL's answering them).
@sql.statement("ledger.split_lines", uses=[sql.index(OrderLine, "order")])
def _lines_sql() -> str:
    line, seller = Table("l", OrderLine), Table("s", Seller)
    cooperative, variant = Table("c", Cooperative), Table("v", ProductVariant)
    product, rate = Table("p", Product), Table("cc", CategoryCommission)
    return f"""
SELECT {line.c.id}, {line.c.quantity}, {line.c.total_price}, {line.c.shipment},
       {line.c.seller}, {seller.c.cooperative}, {cooperative.c.fee_rate}, {rate.c.rate}
FROM {line.ref}
{sql.join(seller, sql.on(line, "seller", seller))}
{sql.join(cooperative, sql.on(seller, "cooperative", cooperative), outer=True)}
{sql.join(variant, sql.on(line, "variant", variant), outer=True)}
{sql.join(product, sql.on(variant, "product", product), outer=True)}
{sql.join(rate, f"{rate.c.category} = {product.c.category}", outer=True)}
WHERE {line.c.order} = %s
"""


@sql.statement("ledger.split_shipments", uses=[sql.index(Shipment, "order")])
def _shipments_sql() -> str:
    shipment = Table("sh", Shipment)
    return f"""
SELECT {shipment.c.id}, {shipment.c.cooperative}, {shipment.c.seller},
       {shipment.c.shipping_price}
FROM {shipment.ref}
WHERE {shipment.c.order} = %s
"""


def default_commission() -> Decimal:
    return Decimal(str(settings.LEDGER_COMMISSION_RATE))


def split_order(order: Order) -> OrderSplit:
    """The split of the whole order, at a fixed number of queries whatever its size."""
    unit = quantum(order.currency)
    with connection.cursor() as cursor:
        cursor.execute(_lines_sql(), [order.pk])
        rows = [LineRow(*row) for row in cursor.fetchall()]
        cursor.execute(_shipments_sql(), [order.pk])
        shipments = cursor.fetchall()
    voucher_seller_id = None
    if order.discount and order.voucher_code:
        voucher = Voucher.objects.filter(code=order.voucher_code).only("seller_id").first()
        voucher_seller_id = voucher.seller_id if voucher else None
    eligible = [r for r in rows if voucher_seller_id is None or r.seller_id == voucher_seller_id]
    discounts = dict(
        zip(
            (r.id for r in eligible),
            largest_remainder(order.discount, [r.total_price for r in eligible], unit),
            strict=True,
        )
    )
    default_rate = default_commission()
    result = OrderSplit(currency=order.currency)
    for r in rows:
        gross = r.total_price
        fee_rate = r.fee_rate if r.cooperative_id else ZERO
        rate = default_rate if r.commission is None else r.commission
        fee, commission, own = largest_remainder(
            gross, [fee_rate, rate, max(Decimal(1) - fee_rate - rate, ZERO)], unit
        )
        discount = discounts.get(r.id, ZERO)
        parts: dict[Party, Decimal] = {seller_party(r.seller_id): own, PLATFORM: commission}
        if r.cooperative_id:
            parts[cooperative_party(r.cooperative_id)] = fee
        # Whoever issued the voucher gives the discount: the seller, or the platform.
        bearer = seller_party(r.seller_id) if voucher_seller_id else PLATFORM
        parts[bearer] -= discount
        result.lines[r.id] = parts
        result.line_quantity[r.id] = r.quantity
        result.line_shipment[r.id] = r.shipment_id
        result.line_discount[r.id] = (bearer, discount)
        result.line_gross[r.id] = gross
        result.line_seller[r.id] = r.seller_id
    for shipment_id, cooperative_id, seller_id, shipping_price in shipments:
        result.shipping[shipment_id] = (_fulfiller(cooperative_id, seller_id), shipping_price)
    return result
