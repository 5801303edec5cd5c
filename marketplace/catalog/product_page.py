"""A product page's product in one hand-written SQL statement.

The ORM query behind it (select_related over ten tables, two JSON aggregates and the
channel's listing row) cost about 5 ms of CPU to build and compile on every request,
against 0.4 ms for PostgreSQL to answer it. The statement is generated here once, from
the models' own column lists, and its rows become model instances with their relations
cached, as select_related would leave them, so the API cannot tell the difference.
"""

from __future__ import annotations

import json
from functools import cache

from django.db import connection
from django.db.models import Model

from marketplace.catalog.models import Category, Product
from marketplace.locations.models import County, Province, Village
from marketplace.sellers.models import Cooperative, Seller

# (alias, model, join, (parent alias, relation name on the parent)).
_TABLES: tuple[tuple[str, type[Model], str, tuple[str, str] | None], ...] = (
    ("p", Product, "", None),
    ("s", Seller, "JOIN sellers_seller s ON s.id = p.seller_id", ("p", "seller")),
    (
        "sc",
        Cooperative,
        "LEFT JOIN sellers_cooperative sc ON sc.id = s.cooperative_id",
        ("s", "cooperative"),
    ),
    ("sv", Village, "LEFT JOIN locations_village sv ON sv.id = s.village_id", ("s", "village")),
    ("svc", County, "LEFT JOIN locations_county svc ON svc.id = sv.county_id", ("sv", "county")),
    (
        "svp",
        Province,
        "LEFT JOIN locations_province svp ON svp.id = svc.province_id",
        ("svc", "province"),
    ),
    ("c", Category, "JOIN catalog_category c ON c.id = p.category_id", ("p", "category")),
    ("o", Village, "LEFT JOIN locations_village o ON o.id = p.origin_id", ("p", "origin")),
    ("oc", County, "LEFT JOIN locations_county oc ON oc.id = o.county_id", ("o", "county")),
    (
        "op",
        Province,
        "LEFT JOIN locations_province op ON op.id = oc.province_id",
        ("oc", "province"),
    ),
)
# Large columns a page never shows.
_SKIPPED = {Product: {"search_vector", "search_text"}}

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


def _fields(model: type[Model]) -> list:
    skipped = _SKIPPED.get(model, set())
    return [f for f in model._meta.concrete_fields if f.name not in skipped]


@cache
def _statement(by: str) -> str:
    columns = [f'{alias}."{f.column}"' for alias, model, *_ in _TABLES for f in _fields(model)]
    joins = "\n".join(join for _, _, join, _ in _TABLES if join)
    return (
        f"SELECT {', '.join(columns)},{_EXTRAS}"
        f"FROM catalog_product p\n{joins}\n"
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
    db = connection.alias
    instances: dict[str, Model | None] = {}
    start = 0
    for alias, model, _join, parent in _TABLES:
        fields = _fields(model)
        values = row[start : start + len(fields)]
        start += len(fields)
        instance = None
        if values[0] is not None:  # the id: NULL when a LEFT JOIN found nothing
            instance = model.from_db(db, [f.attname for f in fields], values)
        instances[alias] = instance
        if parent is not None:
            owner = instances[parent[0]]
            if owner is not None:
                owner._meta.get_field(parent[1]).set_cached_value(owner, instance)
    product = instances["p"]
    for name, value in zip(EXTRA_NAMES, row[start : start + 3], strict=True):
        setattr(product, name, value)
    product.media_items = _json(row[start + 3])
    product.attribute_items = _json(row[start + 4])
    return product
