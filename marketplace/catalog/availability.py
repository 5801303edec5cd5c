"""Whether a product has a unit left to sell in a channel, as a query condition.

The exact answer is inventory's arithmetic: some stock row of the product has
quantity − allocated − live reservations > 0. The listing row (ProductChannelListing)
carries `free_stocks`, the number of the product's stock rows with quantity > allocated,
kept by triggers; reservations stay out of it because they lapse by time, with no write
to react to. So, per listing row:

- `free_stocks = 0` (or no listing row): not available, nothing more to read;
- the product has no live reservation: available;
- otherwise: the exact arithmetic, for this product only.

Live reservations belong to the checkouts of the last minutes: the products holding one
are read once per query (a hashed set, not a probe per row), and the exact arithmetic
runs only for them.

The rule has two forms, side by side here: ORM conditions (`available`, `unavailable`)
for the queries the ORM builds, and SQL (`available_sql`, `unavailable_sql`) for the
public listing's hand-written statement; tests/catalog/test_public_listing.py runs both
on the same cases and holds them equal.
"""

from __future__ import annotations

from functools import cache

from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils import timezone

from marketplace.catalog.models import ProductChannelListing, ProductVariant
from marketplace.core import sql
from marketplace.core.sql import Table
from marketplace.inventory import stock as inventory_stock
from marketplace.inventory.models import Reservation, Stock

# Listing-row columns that catalog.selectors.catalogue exposes as `listing_<name>`.
LISTING_COLUMNS = ("is_visible", "category_id", "price_min", "free_stocks")


def _reserved_products() -> Subquery:
    """Products with a live reservation on some stock (few: recent checkouts)."""
    return Subquery(
        Reservation.objects.filter(reserved_until__gt=timezone.now()).values(
            "stock__variant__product_id"
        )
    )


def _free_unit(product: OuterRef) -> Exists:
    variants = ProductVariant.objects.filter(product_id=OuterRef(product)).values("pk")
    return Exists(inventory_stock.stocks_with_free(variants).filter(free__gt=0))


def _condition(free_stocks: str, product: str) -> Q:
    return Q(**{f"{free_stocks}__gt": 0}) & (
        ~Q(**{f"{product}__in": _reserved_products()}) | Q(_free_unit(OuterRef(product)))
    )


def available() -> Q:
    """On catalogue() products: priced in its channel with a unit left to sell."""
    return _condition("listing_free_stocks", "pk")


def unavailable() -> Q:
    """The complement of available(), unpriced products included."""
    return (
        Q(listing_free_stocks__isnull=True)
        | Q(listing_free_stocks=0)
        | (Q(pk__in=_reserved_products()) & ~Q(_free_unit(OuterRef("pk"))))
    )


def available_product_ids(product_ids: list[int], channel_id: int) -> set[int]:
    """Of `product_ids`, those priced in the channel with a unit left to sell."""
    rows = (
        ProductChannelListing.objects.filter(product_id__in=product_ids, channel_id=channel_id)
        .filter(_condition("free_stocks", "product_id"))
        .values_list("product_id", flat=True)
    )
    return set(rows)


# ---------------------------------------------------------------- the same rule in SQL


def _reserved_sql(product: Table) -> str:
    """Products with a live reservation (few: recent checkouts). One parameter: now."""
    reservation, stock, variant = (
        Table("r", Reservation),
        Table("st", Stock),
        Table("v", ProductVariant),
    )
    return f"""{product.c.id} IN (SELECT {variant.c.product} FROM {reservation.ref}
           {sql.join(stock, sql.on(reservation, "stock", stock))}
           {sql.join(variant, sql.on(stock, "variant", variant))}
          WHERE {reservation.c.reserved_until} > %s)"""


def _free_unit_sql(product: Table) -> str:
    """inventory.stock's arithmetic for one product: some stock row has quantity −
    allocated − live reservations > 0. One parameter: now."""
    stock, variant, reservation = (
        Table("st", Stock),
        Table("v", ProductVariant),
        Table("r", Reservation),
    )
    return f"""EXISTS (SELECT 1 FROM {stock.ref}
          {sql.join(variant, sql.on(stock, "variant", variant))}
         WHERE {sql.on(variant, "product", product)}
           AND {stock.c.quantity} - {stock.c.quantity_allocated} - COALESCE(
                 (SELECT sum({reservation.c.quantity}) FROM {reservation.ref}
                   WHERE {sql.on(reservation, "stock", stock)}
                     AND {reservation.c.reserved_until} > %s), 0) > 0)"""


@cache
def available_sql(listing: Table, product: Table) -> str:
    """`available()` over a listing row and its product; parameters: now, now."""
    return (
        f"{listing.c.free_stocks} > 0"
        f" AND (NOT {_reserved_sql(product)} OR {_free_unit_sql(product)})"
    )


@cache
def unavailable_sql(listing: Table, product: Table) -> str:
    """`unavailable()` over a listing row of a priced product; parameters: now, now."""
    return (
        f"({listing.c.free_stocks} = 0"
        f" OR ({_reserved_sql(product)} AND NOT {_free_unit_sql(product)}))"
    )
