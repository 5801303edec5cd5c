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

from django.db import connection
from django.utils import timezone

from marketplace.catalog.rows import MediaRow, PriceRange, ProductRow
from marketplace.channels.models import Channel

_COLUMNS = """
SELECT p.id, p.name, p.name_en, p.slug, p.is_published, p.is_hidden, p.rating, p.created,
       p.seller_id, p.category_id, p.origin_id, s.cooperative_id,
       l.currency, l.price_min, l.price_max,
       (SELECT jsonb_build_object('id', m.id, 'product_id', m.product_id, 'alt', m.alt,
                                  'thumbnails', m.thumbnails, 'sort_order', m.sort_order,
                                  'image_name', m.image)
          FROM catalog_productmedia m
         WHERE m.product_id = p.id
         ORDER BY m.sort_order, m.id
         LIMIT 1)
  FROM catalog_productchannellisting l
  JOIN catalog_product p ON p.id = l.product_id
  JOIN sellers_seller s ON s.id = p.seller_id
"""

# Products with a live reservation (few: recent checkouts), and the exact arithmetic of
# inventory.stock for them: quantity − allocated − live reservations, per stock row.
_RESERVED = """
p.id IN (SELECT v.product_id FROM inventory_reservation r
           JOIN inventory_stock st ON st.id = r.stock_id
           JOIN catalog_productvariant v ON v.id = st.variant_id
          WHERE r.reserved_until > %s)
"""
_FREE_UNIT = """
EXISTS (SELECT 1 FROM inventory_stock st
          JOIN catalog_productvariant v ON v.id = st.variant_id
         WHERE v.product_id = p.id
           AND st.quantity - st.quantity_allocated - COALESCE(
                 (SELECT sum(r.quantity) FROM inventory_reservation r
                   WHERE r.stock_id = st.id AND r.reserved_until > %s), 0) > 0)
"""
AVAILABLE = f"l.free_stocks > 0 AND (NOT {_RESERVED} OR {_FREE_UNIT})"
UNAVAILABLE = f"(l.free_stocks = 0 OR ({_RESERVED} AND NOT {_FREE_UNIT}))"

_NAME_EN = "COALESCE(NULLIF(p.name_en, ''), p.name)"
_KEYS = {"PRICE": "l.price_min", "RATING": "p.rating", "NAME": "p.name"}


def _order(field: str, descending: bool, english: bool) -> str:
    """The ORM path's order (selectors.sort_products): the key, then the id."""
    key = _NAME_EN if field == "NAME" and english else _KEYS.get(field, "p.created")
    direction = "DESC" if descending else "ASC"
    nulls = " NULLS LAST" if field == "RATING" else ""
    return f"{key} {direction}{nulls}, p.id {direction}"


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

    def _where(self) -> tuple[str, list]:
        conditions = ["l.channel_id = %s", "l.is_visible"]
        params: list = [self.channel.pk]
        if self.category_ids is not None:
            categories = list(self.category_ids)
            if len(categories) == 1:
                # Equality, not ANY: only then can catalog_listing_category_price hand
                # the rows over in price order.
                conditions.append("l.category_id = %s")
                params.append(categories[0])
            else:
                conditions.append("l.category_id = ANY(%s)")
                params.append(categories)
        if self.price_gte is not None:
            conditions.append("l.price_min >= %s")
            params.append(self.price_gte)
        if self.price_lte is not None:
            conditions.append("l.price_min <= %s")
            params.append(self.price_lte)
        if self.is_available is not None:
            now = timezone.now()
            conditions.append(AVAILABLE if self.is_available else UNAVAILABLE)
            params += [now, now]
        return " AND ".join(conditions), params

    def count(self) -> int:
        where, params = self._where()
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT count(*) FROM catalog_productchannellisting l "
                f"JOIN catalog_product p ON p.id = l.product_id WHERE {where}",
                params,
            )
            return cursor.fetchone()[0]

    def __getitem__(self, item: slice) -> list[ProductRow]:
        if not isinstance(item, slice) or item.step is not None:
            raise TypeError("PublicRows only supports slices.")
        start = item.start or 0
        if item.stop is not None and item.stop <= start:
            return []
        where, params = self._where()
        sql = f"{_COLUMNS} WHERE {where} ORDER BY {self._order_by()}"
        if item.stop is not None:
            sql += " LIMIT %s"
            params.append(item.stop - start)
        if start:
            sql += " OFFSET %s"
            params.append(start)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        channel = self.channel
        return [
            ProductRow(
                *row[:12],
                context_channel=channel,
                price_range=PriceRange(row[12], row[13], row[14]),
                thumbnail_media=_media(row[15]),
            )
            for row in rows
        ]

    def _order_by(self) -> str:
        return _order(self.sort_field, self.descending, self.english)


def _media(value: str | dict | None) -> MediaRow | None:
    # Django has psycopg hand jsonb over as text (JSONField decodes it itself).
    if not value:
        return None
    return MediaRow(**(json.loads(value) if isinstance(value, str) else value))
