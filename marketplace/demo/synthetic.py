"""Synthetic products for benchmarks: many published, priced, stocked products spread
over the demo sellers, written with bulk inserts instead of the per-product services.

The services are the right path for one product and far too slow for 100,000 (each
runs a dozen queries); here every table gets one INSERT per batch, and what the
services would maintain is computed in Python on the way: the per-channel price
range of each product (ProductChannelListing) and, at the end, the search index.
Names come from word lists in data/synthetic.json, so listings and search look real.
Synthetic products carry no photos.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.text import slugify

from marketplace.catalog.models import (
    Attribute,
    AttributeInputType,
    AttributeValue,
    Category,
    Product,
    ProductAttributeValue,
    ProductChannelListing,
    ProductType,
    ProductVariant,
    VariantChannelListing,
)
from marketplace.catalog.search import index as search
from marketplace.channels.models import Channel
from marketplace.core.versioning import bump_catalog_version
from marketplace.demo.accounts import DEMO_DOMAIN
from marketplace.demo.catalog import load_catalog_data, seller_warehouse
from marketplace.demo.dataset import load_dataset
from marketplace.demo.loader import load_demo_data
from marketplace.inventory.models import Stock, Warehouse
from marketplace.sellers.models import Seller, SellerStatus

WORDS_FILE = Path(__file__).resolve().parent / "data" / "synthetic.json"
SKU_PREFIX = "SYN-"
# A plausible shop rate for the international channel: rial list price → USD.
RIAL_PER_USD = Decimal(350_000)
SEASONS = (1403, 1404, 1404, 1405)


@cache
def load_words() -> dict[str, Any]:
    with WORDS_FILE.open(encoding="utf-8") as handle:
        return json.load(handle)


@dataclass
class SellerSlot:
    seller: Seller
    warehouse: Warehouse
    place: tuple[str, str]
    themes: list[dict[str, Any]]
    weights: list[int]


@dataclass
class SeedReport:
    products: int
    variants: int
    insert_seconds: float
    index_seconds: float
    index_method: str


@dataclass
class _Row:
    """One product with its variants, before it has an id."""

    product: Product
    variants: list[tuple[ProductVariant, Decimal, Decimal | None, int]]
    attributes: list[ProductAttributeValue]


class _Catalogue:
    """Everything the generator looks up, loaded once."""

    def __init__(self) -> None:
        self.categories = {c.slug: c for c in Category.objects.all()}
        self.types = {t.slug: t for t in ProductType.objects.prefetch_related("attributes")}
        self.type_attributes: dict[str, dict[str, Attribute]] = {
            slug: {a.slug: a for a in t.attributes.all()} for slug, t in self.types.items()
        }
        self.values = {
            (v.attribute_id, v.slug): v for v in AttributeValue.objects.select_related("attribute")
        }
        channels = {c.slug: c for c in Channel.objects.filter(slug__in=["ir", "intl"])}
        self.ir, self.intl = channels["ir"], channels.get("intl")
        self.packs = load_catalog_data()["packs"]


def _slots(words: dict[str, Any]) -> list[SellerSlot]:
    themes = {t["category"]: t for t in words["themes"]}
    sellers = (
        Seller.objects.filter(
            status=SellerStatus.APPROVED, owner__email__endswith=f"@{DEMO_DOMAIN}"
        )
        .select_related("owner", "cooperative")
        .order_by("pk")
    )
    villages = {s["email"].split("@")[0]: s["village"] or "" for s in load_dataset()["sellers"]}
    slots = []
    for seller in sellers:
        key = seller.owner.email.split("@")[0]
        mix = words["seller_categories"].get(key) or words["seller_categories"].get(
            seller.cooperative.slug if seller.cooperative_id else ""
        )
        if not mix:
            continue
        # The demo data's spelling, which the word lists' place names follow (the
        # villages table may spell a name with other letters or spaces).
        place_fa = villages.get(key, "")
        slots.append(
            SellerSlot(
                seller=seller,
                warehouse=seller_warehouse(seller),
                place=(place_fa, words["places"].get(place_fa, "Khorasan")),
                themes=[themes[c] for c in mix],
                weights=list(mix.values()),
            )
        )
    return slots


def next_number() -> int:
    """The first free synthetic number, so a second run adds products after the first."""
    last = (
        ProductVariant.objects.filter(sku__startswith=SKU_PREFIX)
        .order_by("-sku")
        .values_list("sku", flat=True)
        .first()
    )
    return int(last.split("-")[1]) + 1 if last else 1


def _usd(rial: Decimal, rng: random.Random) -> Decimal:
    """A USD list price near the rial price, rounded to half a dollar."""
    usd = rial / RIAL_PER_USD * Decimal(str(round(rng.uniform(0.95, 1.1), 3)))
    halves = (usd * 2).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return max(Decimal(1), halves / 2).quantize(Decimal("0.01"))


def _make_row(
    number: int, rng: random.Random, slot: SellerSlot, cat: _Catalogue, words: dict[str, Any]
) -> _Row:
    theme = rng.choices(slot.themes, weights=slot.weights)[0]
    item = rng.choice(theme["items"])
    adjective_fa, adjective_en = rng.choice(words["adjectives"][theme["adjectives"]])
    place_fa, place_en = slot.place
    name = " ".join(filter(None, [item["fa"], adjective_fa, place_fa]))
    name_en = " ".join(filter(None, [place_en, adjective_en, item["en"]]))
    title_en = name_en[:1].upper() + name_en[1:]
    first, second = rng.sample(theme["sentences"], 2)
    product = Product(
        seller_id=slot.seller.pk,
        category_id=cat.categories[theme["category"]].pk,
        product_type_id=cat.types[theme["type"]].pk,
        origin_id=slot.seller.village_id,
        name=name,
        name_en=title_en,
        slug=f"{slugify(name_en)[:96]}-s{number}",
        description=f"{name} را «{slot.seller.name}» عرضه می‌کند. {first[0]} {second[0]}",
        description_en=f"{title_en}, offered by a producer in {place_en}. {first[1]} {second[1]}",
        is_published=True,
    )
    packs = item.get("packs") or theme["packs"]
    count = min(len(packs), rng.choice((1, 1, 2, 2, 3)))
    start = rng.randrange(len(packs) - count + 1)
    unit = rng.randrange(item["low"], item["high"] + 1)
    sells_abroad = theme["intl"] and cat.intl is not None and rng.random() < 0.85
    variants = []
    for order, (pack_key, factor) in enumerate(packs[start : start + count]):
        pack = cat.packs[pack_key]
        ir = Decimal(max(10_000, round(unit * factor, -4)))
        variant = ProductVariant(
            sku=f"{SKU_PREFIX}{number:07d}-{pack['code']}",
            name=pack["name"],
            name_en=pack["name_en"],
            weight=Decimal(pack["weight"]),
            sort_order=order,
        )
        usd = _usd(ir, rng) if sells_abroad else None
        variants.append((variant, ir, usd, rng.randint(*theme["stock"])))
    return _Row(product, variants, _attributes(rng, theme, item, cat))


def _attributes(
    rng: random.Random, theme: dict[str, Any], item: dict[str, Any], cat: _Catalogue
) -> list[ProductAttributeValue]:
    allowed = cat.type_attributes[theme["type"]]
    wanted: dict[str, Any] = dict(item.get("attributes", {}))
    if "harvest-year" in allowed:
        wanted.setdefault("harvest-year", rng.choice(SEASONS))
    if "organic" in allowed and rng.random() < 0.3:
        wanted.setdefault("organic", True)
    rows = []
    for slug, value in wanted.items():
        attribute = allowed[slug]
        row = ProductAttributeValue(attribute=attribute)
        if attribute.input_type == AttributeInputType.DROPDOWN:
            row.value = cat.values[(attribute.pk, value)]
        elif attribute.input_type == AttributeInputType.BOOLEAN:
            row.boolean = bool(value)
        else:
            row.numeric = Decimal(str(value))
        rows.append(row)
    return rows


def _insert(rows: list[_Row], cat: _Catalogue, slots: dict[int, SellerSlot]) -> int:
    """One batch in one transaction: every product arrives with all its rows or not at all."""
    with transaction.atomic():
        products = Product.objects.bulk_create([r.product for r in rows], batch_size=2000)
        variants, listings, ranges, stocks, attributes = [], [], [], [], []
        for row, product in zip(rows, products, strict=True):
            for variant, _ir, _usd, _stock in row.variants:
                variant.product_id = product.pk
                variants.append(variant)
            for value in row.attributes:
                value.product_id = product.pk
                attributes.append(value)
        ProductVariant.objects.bulk_create(variants, batch_size=5000)
        for row, product in zip(rows, products, strict=True):
            warehouse = slots[product.seller_id].warehouse
            ir_prices, usd_prices = [], []
            for variant, ir, usd, stock in row.variants:
                listings.append(_listing(variant, cat.ir, ir))
                ir_prices.append(ir)
                if usd is not None:
                    listings.append(_listing(variant, cat.intl, usd))
                    usd_prices.append(usd)
                stocks.append(
                    Stock(warehouse_id=warehouse.pk, variant_id=variant.pk, quantity=stock)
                )
            ranges.append(_range(product, cat.ir, ir_prices))
            if usd_prices:
                ranges.append(_range(product, cat.intl, usd_prices))
        VariantChannelListing.objects.bulk_create(listings, batch_size=5000)
        ProductChannelListing.objects.bulk_create(ranges, batch_size=5000)
        Stock.objects.bulk_create(stocks, batch_size=5000)
        ProductAttributeValue.objects.bulk_create(attributes, batch_size=5000)
    return len(variants)


def _listing(variant: ProductVariant, channel: Channel, price: Decimal) -> VariantChannelListing:
    return VariantChannelListing(
        variant_id=variant.pk, channel_id=channel.pk, price=price, currency=channel.currency_code
    )


def _range(product: Product, channel: Channel, prices: list[Decimal]) -> ProductChannelListing:
    return ProductChannelListing(
        product_id=product.pk,
        channel_id=channel.pk,
        currency=channel.currency_code,
        price_min=min(prices),
        price_max=max(prices),
    )


def _batches(total: int, size: int) -> Iterator[int]:
    done = 0
    while done < total:
        yield min(size, total - done)
        done += size


def reindex(product_ids: list[int]) -> str:
    """Rebuild the search index with the catalogue's own function; one call for all
    products when it offers one, else product by product in batches."""
    reindex_all = getattr(search, "reindex_all", None)
    if reindex_all is not None:
        reindex_all()
        return "reindex_all"
    for start in range(0, len(product_ids), 2000):
        with transaction.atomic():
            search.reindex_products(product_ids[start : start + 2000])
    return "reindex_products"


def seed_products(
    count: int,
    *,
    seed: int = 1405,
    batch_size: int = 2000,
    progress: Callable[[int, int], None] | None = None,
) -> SeedReport:
    """Create `count` published synthetic products over the approved demo sellers."""
    load_demo_data()
    words = load_words()
    cat = _Catalogue()
    slots = _slots(words)
    if not slots:
        raise RuntimeError("No approved demo sellers: load the demo data first.")
    by_seller = {slot.seller.pk: slot for slot in slots}
    rng = random.Random(seed)
    number = next_number()
    started = time.perf_counter()
    created_ids: list[int] = []
    variants = 0
    for size in _batches(count, batch_size):
        rows = [_make_row(number + i, rng, rng.choice(slots), cat, words) for i in range(size)]
        number += size
        variants += _insert(rows, cat, by_seller)
        created_ids.extend(r.product.pk for r in rows)
        if progress is not None:
            progress(len(created_ids), count)
    inserted = time.perf_counter()
    method = reindex(created_ids)
    bump_catalog_version()
    return SeedReport(
        products=len(created_ids),
        variants=variants,
        insert_seconds=inserted - started,
        index_seconds=time.perf_counter() - inserted,
        index_method=method,
    )
