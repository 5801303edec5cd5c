"""The public listing without a search: one hand-written SQL statement per page.

This is the catalogue's hottest read. Building and compiling the equivalent ORM query
cost more CPU than PostgreSQL spends answering it (about 2 ms against 0.3 ms a page),
so the page is written out here: the listing rows (ProductChannelListing) in the order
of one of their partial indexes, filtered on their own columns, joined to the product
for the card's columns. Who may see what is the listing row's `is_visible`, the same
column the ORM path (selectors.catalogue) filters on; availability is the arithmetic of
catalog.availability written in SQL (the listing tests run both paths on the same
cases). Listings with a search or for a seller's own products keep the ORM path.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from django.db import connection
from django.utils import timezone

from marketplace.catalog import availability
from marketplace.catalog.models import Product, ProductChannelListing, ProductMedia
from marketplace.catalog.rows import (
    MEDIA_JSON,
    ROW_SOURCES,
    CardExtra,
    MediaRow,
    PriceRange,
    ProductRow,
)
from marketplace.channels.models import Channel
from marketplace.core import sql
from marketplace.core.sql import Table
from marketplace.sellers.models import Seller

LISTING, PRODUCT, SELLER = (
    Table("l", ProductChannelListing),
    Table("p", Product),
    Table("s", Seller),
)


# Where the card's extra columns sit in a row, by name.
_CARD_AT = sql.positions(CardExtra, len(ROW_SOURCES))


@cache
def _from() -> str:
    return f"FROM {LISTING.ref} {sql.join(PRODUCT, sql.on(LISTING, 'product', PRODUCT))}"


@cache
def _select() -> str:
    """The card's columns (ROW_SOURCES, then CardExtra), from the listing rows."""
    listing, p, s, media = LISTING, PRODUCT, SELLER, Table("m", ProductMedia)
    first_media = f"""(SELECT {sql.json_object(MEDIA_JSON, media)}
          FROM {media.ref}
         WHERE {sql.on(media, "product", p)}
         ORDER BY {media.c.sort_order}, {media.c.id}
         LIMIT 1)"""
    columns = ", ".join(sql.path(p, name, {"seller": s}) for name in ROW_SOURCES.values())
    extra = sql.named(
        CardExtra,
        currency=listing.c.currency,
        price_min=listing.c.price_min,
        price_max=listing.c.price_max,
        media=first_media,
    )
    return f"SELECT {columns}, {extra}\n  {_from()}\n  {sql.join(s, sql.on(p, 'seller', s))}"


@cache
def _order(field: str, descending: bool, english: bool) -> str:
    """The ORM path's order (selectors.sort_products): the key, then the id."""
    p = PRODUCT
    keys = {"PRICE": LISTING.c.price_min, "RATING": p.c.rating, "NAME": p.c.name}
    if field == "NAME" and english:
        key = f"COALESCE(NULLIF({p.c.name_en}, ''), {p.c.name})"
    else:
        key = keys.get(field, p.c.created)
    direction = "DESC" if descending else "ASC"
    nulls = " NULLS LAST" if field == "RATING" else ""
    return f"{key} {direction}{nulls}, {p.c.id} {direction}"


@cache
def _condition(name: str) -> str:
    """A condition of the listing's WHERE, by name (PublicRows gives its parameters)."""
    listing = LISTING
    return {
        "channel": f"{listing.c.channel} = %s",
        "visible": f"{listing.c.is_visible}",
        "category": f"{listing.c.category} = %s",
        "categories": f"{listing.c.category} = ANY(%s)",
        "price_gte": f"{listing.c.price_min} >= %s",
        "price_lte": f"{listing.c.price_min} <= %s",
        "available": availability.available_sql(LISTING, PRODUCT),
        "unavailable": availability.unavailable_sql(LISTING, PRODUCT),
    }[name]


@cache
def page_sql(conditions: tuple[str, ...], order: str, *, limit: bool, offset: bool) -> str:
    where = " AND ".join(_condition(name) for name in conditions)
    sql_text = f"{_select()}\n WHERE {where} ORDER BY {order}"
    if limit:
        sql_text += " LIMIT %s"
    if offset:
        sql_text += " OFFSET %s"
    return sql_text


@cache
def count_sql(conditions: tuple[str, ...]) -> str:
    where = " AND ".join(_condition(name) for name in conditions)
    # Every listing row has its product (a required foreign key): the join counts
    # nothing more, and is only there for the conditions that read the product.
    needs_product = {"available", "unavailable"} & set(conditions)
    source = _from() if needs_product else f"FROM {LISTING.ref}"
    return f"SELECT count(*) {source} WHERE {where}"


# Shapes of the listing, for the plans' test: the filters and orders combine freely.
PUBLIC = ("channel", "visible")


@sql.statement("catalog.listing_newest", uses=[sql.index(Product, "created")])
def _newest() -> str:
    return page_sql(PUBLIC, _order("CREATED", True, False), limit=True, offset=False)


@sql.statement(
    "catalog.listing_by_price", uses=[sql.index(ProductChannelListing, "channel", "price_min")]
)
def _by_price() -> str:
    return page_sql(PUBLIC, _order("PRICE", False, False), limit=True, offset=True)


@sql.statement(
    "catalog.listing_category_by_price",
    uses=[sql.index(ProductChannelListing, "channel", "category", "price_min")],
)
def _category_by_price() -> str:
    return page_sql((*PUBLIC, "category"), _order("PRICE", True, False), limit=True, offset=False)


@sql.statement("catalog.listing_by_rating", uses=[sql.index(Product, "rating", "id")])
def _by_rating() -> str:
    return page_sql(PUBLIC, _order("RATING", True, False), limit=True, offset=False)


@sql.statement("catalog.listing_available", uses=[sql.index(Product, "created")])
def _available() -> str:
    return page_sql(
        (*PUBLIC, "available"), _order("CREATED", True, False), limit=True, offset=False
    )


# No index is pinned: a whole channel's count reads most of the listing rows, and
# the planner rightly chooses between reading the table and an index-only scan by
# how many rows match.
@sql.statement("catalog.listing_count")
def _count() -> str:
    return count_sql(PUBLIC)


@dataclass
class PublicRows:
    """A public listing to paginate, like selectors.ProductRows: slicing runs one query;
    `count()` runs only for totalCount, on the same conditions."""

    channel: Channel
    category_ids: list[int] | None = None
    price_gte: Decimal | None = None
    price_lte: Decimal | None = None
    is_available: bool | None = None
    sort_field: str = "CREATED"
    descending: bool = True
    english: bool = False

    def _where(self) -> tuple[tuple[str, ...], list]:
        conditions = list(PUBLIC)
        params: list = [self.channel.pk]
        if self.category_ids is not None:
            categories = list(self.category_ids)
            if len(categories) == 1:
                # Equality, not ANY: only then can catalog_listing_category_price hand
                # the rows over in price order.
                conditions.append("category")
                params.append(categories[0])
            else:
                conditions.append("categories")
                params.append(categories)
        if self.price_gte is not None:
            conditions.append("price_gte")
            params.append(self.price_gte)
        if self.price_lte is not None:
            conditions.append("price_lte")
            params.append(self.price_lte)
        if self.is_available is not None:
            now = timezone.now()
            conditions.append("available" if self.is_available else "unavailable")
            params += [now, now]
        return tuple(conditions), params

    def count(self) -> int:
        conditions, params = self._where()
        with connection.cursor() as cursor:
            cursor.execute(count_sql(conditions), params)
            return cursor.fetchone()[0]

    def __getitem__(self, item: slice) -> list[ProductRow]:
        if not isinstance(item, slice) or item.step is not None:
            raise TypeError("PublicRows only supports slices.")
        start = item.start or 0
        if item.stop is not None and item.stop <= start:
            return []
        conditions, params = self._where()
        order = _order(self.sort_field, self.descending, self.english)
        statement = page_sql(conditions, order, limit=item.stop is not None, offset=bool(start))
        if item.stop is not None:
            params.append(item.stop - start)
        if start:
            params.append(start)
        with connection.cursor() as cursor:
            cursor.execute(statement, params)
            rows = cursor.fetchall()
        channel, read = self.channel, len(ROW_SOURCES)
        at = _CARD_AT
        currency, low, high, media = at.currency, at.price_min, at.price_max, at.media
        return [
            ProductRow(
                *row[:read],
                context_channel=channel,
                price_range=PriceRange(row[currency], row[low], row[high]),
                thumbnail_media=_media(row[media]),
            )
            for row in rows
        ]


def _media(value: str | dict | None) -> MediaRow | None:
    # Django has psycopg hand jsonb over as text (JSONField decodes it itself).
    if not value:
        return None
    return MediaRow(**(json.loads(value) if isinstance(value, str) else value))
