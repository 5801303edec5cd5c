"""A product page's product, and a page's sellers, each in one hand-written statement
(catalog.joined): the ORM query behind the product (select_related over ten tables, two
JSON aggregates and the channel's listing row) cost about 5 ms of CPU to build and
compile on every request, against 0.4 ms for PostgreSQL to answer it; the sellers'
query 0.8 ms of compiling for 0.5 ms of answer."""

from __future__ import annotations

import json
from functools import cache

from django.db import connection

from marketplace.catalog.joined import Table, build, columns, joins
from marketplace.catalog.models import Category, Product, ProductVariant
from marketplace.locations.models import County, Province, Village
from marketplace.sellers.models import Cooperative, Seller

SELLER_TABLES = (
    Table("s", Seller, "", None),
    Table(
        "sc",
        Cooperative,
        "LEFT JOIN sellers_cooperative sc ON sc.id = s.cooperative_id",
        ("s", "cooperative"),
    ),
    Table(
        "sv", Village, "LEFT JOIN locations_village sv ON sv.id = s.village_id", ("s", "village")
    ),
    Table(
        "svc", County, "LEFT JOIN locations_county svc ON svc.id = sv.county_id", ("sv", "county")
    ),
    Table(
        "svp",
        Province,
        "LEFT JOIN locations_province svp ON svp.id = svc.province_id",
        ("svc", "province"),
    ),
)
TABLES = (
    Table("p", Product, "", skipped=frozenset({"search_vector", "search_text"})),
    Table("s", Seller, "JOIN sellers_seller s ON s.id = p.seller_id", ("p", "seller")),
    *SELLER_TABLES[1:],
    Table("c", Category, "JOIN catalog_category c ON c.id = p.category_id", ("p", "category")),
    Table("o", Village, "LEFT JOIN locations_village o ON o.id = p.origin_id", ("p", "origin")),
    Table("oc", County, "LEFT JOIN locations_county oc ON oc.id = o.county_id", ("o", "county")),
    Table(
        "op",
        Province,
        "LEFT JOIN locations_province op ON op.id = oc.province_id",
        ("oc", "province"),
    ),
)

_EXTRAS = """
       l.currency, l.price_min, l.price_max,
       (SELECT jsonb_agg(jsonb_build_object(
                   'id', m.id, 'product_id', m.product_id, 'alt', m.alt,
                   'thumbnails', m.thumbnails, 'sort_order', m.sort_order, 'image_name', m.image)
                 ORDER BY m.sort_order, m.id)
          FROM catalog_productmedia m WHERE m.product_id = p.id),
       (SELECT jsonb_agg(jsonb_build_object(
                   'product_id', pa.product_id, 'slug', a.slug, 'name', a.name,
                   'name_en', a.name_en, 'input_type', a.input_type,
                   'value_name', av.name, 'value_name_en', av.name_en,
                   'boolean', pa.boolean, 'numeric', pa.numeric)
                 ORDER BY a.name, pa.id)
          FROM catalog_productattributevalue pa
          JOIN catalog_attribute a ON a.id = pa.attribute_id
          LEFT JOIN catalog_attributevalue av ON av.id = pa.value_id
         WHERE pa.product_id = p.id)
"""
EXTRA_NAMES = ("listing_currency", "listing_price_min", "listing_price_max")


@cache
def _statement(by: str) -> str:
    return (
        f"SELECT {columns(TABLES)},{_EXTRAS}"
        f"FROM catalog_product p\n{joins(TABLES)}\n"
        "LEFT JOIN catalog_productchannellisting l ON l.product_id = p.id AND l.channel_id = %s\n"
        f"WHERE p.{by} = %s"
    )


def _json(value):
    # Django has psycopg hand jsonb over as text (JSONField decodes it itself).
    return json.loads(value) if isinstance(value, str) else value


def load(channel_id: int, *, pk: int | None = None, slug: str | None = None) -> Product | None:
    """The product by id or slug with its seller (cooperative, village, county,
    province), category and origin cached on it; `listing_currency`,
    `listing_price_min`, `listing_price_max` of the channel (None: not priced there);
    `media_items` and `attribute_items` as lists of dicts (None: none)."""
    by, value = ("id", pk) if pk is not None else ("slug", slug)
    with connection.cursor() as cursor:
        cursor.execute(_statement(by), [channel_id, value])
        row = cursor.fetchone()
    if row is None:
        return None
    product, start = build(row, TABLES)
    for name, extra in zip(EXTRA_NAMES, row[start : start + 3], strict=True):
        setattr(product, name, extra)
    product.media_items = _json(row[start + 3])
    product.attribute_items = _json(row[start + 4])
    return product


@cache
def _sellers_statement() -> str:
    return (
        f"SELECT {columns(SELLER_TABLES)} FROM sellers_seller s\n{joins(SELLER_TABLES)}\n"
        "WHERE s.id = ANY(%s)"
    )


def sellers_by_id(ids: list[int]) -> dict[int, Seller]:
    """Sellers with their cooperative and village (county, province) cached on them."""
    with connection.cursor() as cursor:
        cursor.execute(_sellers_statement(), [list(ids)])
        rows = cursor.fetchall()
    sellers = (build(row, SELLER_TABLES)[0] for row in rows)
    return {seller.pk: seller for seller in sellers}


VARIANT_TABLES = (Table("v", ProductVariant, ""),)


@cache
def _variants_statement() -> str:
    return (
        f"SELECT {columns(VARIANT_TABLES)}, vl.price, vl.currency FROM catalog_productvariant v\n"
        "LEFT JOIN catalog_variantchannellisting vl\n"
        "       ON vl.variant_id = v.id AND vl.channel_id = %s\n"
        "WHERE v.product_id = ANY(%s) ORDER BY v.sort_order, v.id"
    )


def variants(product_ids: list[int], channel_id: int) -> list[ProductVariant]:
    """The products' variants in display order, each with `price_amount` and
    `price_currency` in the channel (None when not sold there)."""
    with connection.cursor() as cursor:
        cursor.execute(_variants_statement(), [channel_id, list(product_ids)])
        rows = cursor.fetchall()
    result = []
    for row in rows:
        variant, start = build(row, VARIANT_TABLES)
        variant.price_amount, variant.price_currency = row[start], row[start + 1]
        result.append(variant)
    return result
