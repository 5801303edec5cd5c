"""A product page's product, and a page's sellers, each in one hand-written statement
(core.sql): the ORM query behind the product (select_related over ten tables, two
JSON aggregates and the channel's listing row) cost about 5 ms of CPU to build and
compile on every request, against 0.4 ms for PostgreSQL to answer it; the sellers'
query 0.8 ms of compiling for 0.5 ms of answer."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any, NamedTuple

from django.db import connection

from marketplace.catalog.models import (
    Attribute,
    AttributeValue,
    Category,
    Product,
    ProductAttributeValue,
    ProductChannelListing,
    ProductMedia,
    ProductVariant,
    VariantChannelListing,
)
from marketplace.catalog.rows import ATTRIBUTE_JSON, MEDIA_JSON
from marketplace.core import sql
from marketplace.core.sql import Shape, Table
from marketplace.locations.models import County, Province, Village
from marketplace.sellers.models import Cooperative, Seller

SELLER_TABLES = (
    Table("s", Seller),
    Table("sc", Cooperative, ("s", "cooperative")),
    Table("sv", Village, ("s", "village")),
    Table("svc", County, ("sv", "county")),
    Table("svp", Province, ("svc", "province")),
)
PRODUCT = Table("p", Product, skipped=frozenset({"search_vector", "search_text"}))
TABLES = (
    PRODUCT,
    Table("s", Seller, ("p", "seller")),
    *SELLER_TABLES[1:],
    Table("c", Category, ("p", "category")),
    Table("o", Village, ("p", "origin")),
    Table("oc", County, ("o", "county")),
    Table("op", Province, ("oc", "province")),
)


class ProductExtra(NamedTuple):
    """Beside the product: its price range in the channel (None: not priced there), and
    its media and attributes as lists of dicts (MEDIA_JSON, ATTRIBUTE_JSON; None: none)."""

    listing_currency: str | None
    listing_price_min: Decimal | None
    listing_price_max: Decimal | None
    media: Any
    attributes: Any


PRODUCT_SHAPE = Shape(TABLES, ProductExtra)


def _product_sql(by: str) -> str:
    p, listing = PRODUCT, Table("l", ProductChannelListing)
    media = Table("m", ProductMedia)
    value, attribute, choice = (
        Table("pa", ProductAttributeValue),
        Table("a", Attribute),
        Table("av", AttributeValue),
    )
    media_json = sql.json_object(MEDIA_JSON, media)
    attribute_json = sql.json_object(
        ATTRIBUTE_JSON, value, {"attribute": attribute, "value": choice}
    )
    select = PRODUCT_SHAPE.select(
        listing_currency=listing.c.currency,
        listing_price_min=listing.c.price_min,
        listing_price_max=listing.c.price_max,
        media=f"""(SELECT jsonb_agg({media_json} ORDER BY {media.c.sort_order}, {media.c.id})
          FROM {media.ref} WHERE {sql.on(media, "product", p)})""",
        attributes=f"""(SELECT jsonb_agg({attribute_json} ORDER BY {attribute.c.name}, {value.c.id})
          FROM {value.ref}
          {sql.join(attribute, sql.on(value, "attribute", attribute))}
          {sql.join(choice, sql.on(value, "value", choice), outer=True)}
         WHERE {sql.on(value, "product", p)})""",
    )
    return f"""
SELECT {select}
  FROM {p.ref}
{PRODUCT_SHAPE.joins}
  LEFT JOIN {listing.ref}
         ON {sql.on(listing, "product", p)} AND {listing.c.channel} = %s
 WHERE {p.col(by)} = %s
"""


@sql.statement("catalog.product_by_id", uses=[sql.index(Product, "pk")])
def _by_id() -> str:
    return _product_sql("pk")


@sql.statement("catalog.product_by_slug", uses=[sql.index(Product, "slug")])
def _by_slug() -> str:
    return _product_sql("slug")


def _json(value: Any) -> Any:
    # Django has psycopg hand jsonb over as text (JSONField decodes it itself).
    return json.loads(value) if isinstance(value, str) else value


def load(
    channel_id: int, *, pk: int | None = None, slug: str | None = None
) -> tuple[Product, ProductExtra] | None:
    """The product by id or slug with its seller (cooperative, village, county,
    province), category and origin cached on it, and what ProductExtra holds."""
    statement, value = (_by_id(), pk) if pk is not None else (_by_slug(), slug)
    with connection.cursor() as cursor:
        cursor.execute(statement, [channel_id, value])
        row = cursor.fetchone()
    if row is None:
        return None
    product, extra = PRODUCT_SHAPE.read(row)
    return product, extra._replace(media=_json(extra.media), attributes=_json(extra.attributes))


SELLER_SHAPE = Shape(SELLER_TABLES)


@sql.statement("catalog.sellers_by_id", uses=[sql.index(Seller, "pk")])
def _sellers_sql() -> str:
    s = SELLER_TABLES[0]
    return f"""
SELECT {SELLER_SHAPE.select()}
  FROM {s.ref}
{SELLER_SHAPE.joins}
 WHERE {s.c.id} = ANY(%s)
"""


def sellers_by_id(ids: list[int]) -> dict[int, Seller]:
    """Sellers with their cooperative and village (county, province) cached on them."""
    with connection.cursor() as cursor:
        cursor.execute(_sellers_sql(), [list(ids)])
        rows = cursor.fetchall()
    sellers = (SELLER_SHAPE.instance(row) for row in rows)
    return {seller.pk: seller for seller in sellers}


class VariantPrice(NamedTuple):
    price: Decimal | None
    currency: str | None


VARIANT = Table("v", ProductVariant)
VARIANT_SHAPE = Shape([VARIANT], VariantPrice)


@sql.statement(
    "catalog.variants_with_price",
    uses=[sql.index(ProductVariant, "product"), sql.index(VariantChannelListing, "variant")],
)
def _variants_sql() -> str:
    v, price = VARIANT, Table("vl", VariantChannelListing)
    return f"""
SELECT {VARIANT_SHAPE.select(price=price.c.price, currency=price.c.currency)}
  FROM {v.ref}
  LEFT JOIN {price.ref} ON {sql.on(price, "variant", v)} AND {price.c.channel} = %s
 WHERE {v.c.product} = ANY(%s)
 ORDER BY {v.c.sort_order}, {v.c.id}
"""


def variants(product_ids: list[int], channel_id: int) -> list[ProductVariant]:
    """The products' variants in display order, each with `price_amount` and
    `price_currency` in the channel (None when not sold there)."""
    with connection.cursor() as cursor:
        cursor.execute(_variants_sql(), [channel_id, list(product_ids)])
        rows = cursor.fetchall()
    result = []
    for row in rows:
        variant, price = VARIANT_SHAPE.read(row)
        variant.price_amount, variant.price_currency = price.price, price.currency
        result.append(variant)
    return result
