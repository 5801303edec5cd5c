"""The demo catalogue: the demo sellers' products, loaded once through the catalogue
services (the same path a seller's panel takes), with a drawn photo for each."""

from __future__ import annotations

import json
import zlib
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import NotRequired, TypedDict

from django.core.files.base import ContentFile
from django.db import connection, transaction

from marketplace.accounts.models import User
from marketplace.catalog import services as catalog
from marketplace.catalog.media import add_product_media
from marketplace.catalog.models import (
    Attribute,
    AttributeInputType,
    Category,
    Product,
    ProductAttributeValue,
    ProductType,
)
from marketplace.demo import images
from marketplace.demo.accounts import DEMO_DOMAIN
from marketplace.demo.loader import demo_data_loaded, load_demo_data
from marketplace.inventory.models import Warehouse
from marketplace.inventory.services import create_warehouse
from marketplace.notifications import services as notifications
from marketplace.sellers.models import Seller

CATALOG_FILE = Path(__file__).resolve().parent / "data" / "products.json"
# Serialises concurrent catalogue loads: "bazarcat" in ASCII.
ADVISORY_LOCK_ID = 0x62617A6172636174


class PackData(TypedDict):
    name: str
    name_en: str
    weight: str
    code: str


class VariantData(TypedDict):
    pack: str
    ir: int
    stock: int
    intl: NotRequired[str]
    weight: NotRequired[str]


class ProductData(TypedDict):
    slug: str
    seller: str
    category: str
    type: str
    image: str
    attributes: dict[str, str | int | bool]
    name: str
    name_en: str
    description: str
    description_en: str
    variants: list[VariantData]
    published: NotRequired[bool]


class WarehouseData(TypedDict):
    name: str
    address: str


class CatalogData(TypedDict):
    packs: dict[str, PackData]
    seller_warehouses: dict[str, WarehouseData]
    products: list[ProductData]


@cache
def load_catalog_data() -> CatalogData:
    with CATALOG_FILE.open(encoding="utf-8") as handle:
        return json.load(handle)


def seller_email(key: str) -> str:
    """Products name their seller by the local part of the demo e-mail address."""
    return f"{key}@{DEMO_DOMAIN}"


def variant_sku(product: ProductData, pack: PackData) -> str:
    return f"{product['slug'].upper()}-{pack['code']}"


def image_seed(product: ProductData) -> int:
    return zlib.crc32(product["slug"].encode())


def creation_order(products: list[ProductData]) -> list[ProductData]:
    """Products interleaved across sellers, each seller's first (flagship) product last.

    The shop lists newest first; created in file order, its first page would be one
    seller's whole range. Interleaved, the last round holds every seller's flagship."""
    by_seller: dict[str, list[ProductData]] = {}
    for item in products:
        by_seller.setdefault(item["seller"], []).append(item)
    rounds = max(len(items) for items in by_seller.values())
    ranked = [
        (rounds - 1 - index, order, item)
        for order, items in enumerate(by_seller.values())
        for index, item in enumerate(items)
    ]
    return [item for _round, _order, item in sorted(ranked, key=lambda r: r[:2])]


def demo_catalog_loaded() -> bool:
    """True once any demo product exists: the load is one transaction, so all of it does.
    A demo product deleted later by its seller is not brought back."""
    slugs = [item["slug"] for item in load_catalog_data()["products"]]
    return Product.objects.filter(slug__in=slugs).exists()


def load_demo_catalog() -> int:
    """Create the demo products (and the demo marketplace first, when missing).

    Returns how many products were created: 0 when the catalogue was already there."""
    if not demo_data_loaded():
        load_demo_data()
    with notifications.muted(), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ADVISORY_LOCK_ID])
        if demo_catalog_loaded():
            return 0
        return _Loader(load_catalog_data()).load()


def seller_warehouse(seller: Seller) -> Warehouse:
    """Where a demo seller's stock is kept: their cooperative's warehouse, or for an
    independent seller their own, created on first use through the inventory service
    (the marketplace load gives only cooperatives a warehouse)."""
    if seller.cooperative_id is not None:
        warehouse = Warehouse.objects.filter(cooperative_id=seller.cooperative_id).first()
        if warehouse is None:
            raise RuntimeError(f"The cooperative of {seller.name} has no warehouse.")
        return warehouse
    warehouse = Warehouse.objects.filter(seller=seller).first()
    if warehouse is None:
        key = seller.owner.email.split("@")[0]
        spec = load_catalog_data()["seller_warehouses"].get(key)
        warehouse = create_warehouse(
            actor=seller.owner,
            name=spec["name"] if spec else seller.name,
            seller=seller,
            village=seller.village,
            address=spec["address"] if spec else "",
        )
    return warehouse


class _Loader:
    def __init__(self, data: CatalogData) -> None:
        self.data = data
        emails = {seller_email(item["seller"]) for item in data["products"]}
        self.sellers: dict[str, Seller] = {
            seller.owner.email: seller
            for seller in Seller.objects.select_related("owner", "cooperative").filter(
                owner__email__in=emails
            )
        }
        self.categories = {c.slug: c for c in Category.objects.all()}
        self.product_types = {
            t.slug: t for t in ProductType.objects.prefetch_related("attributes__values")
        }
        self.warehouses: dict[int, Warehouse] = {}

    def load(self) -> int:
        created = 0
        for item in creation_order(self.data["products"]):
            seller = self.sellers.get(seller_email(item["seller"]))
            if seller is None:
                # The marketplace file no longer has this seller; skip their products.
                continue
            actor: User = seller.owner
            product = catalog.create_product(
                actor=actor,
                seller=seller,
                name=item["name"],
                name_en=item["name_en"],
                description=item["description"],
                description_en=item["description_en"],
                category=self.categories[item["category"]],
                product_type=self.product_types[item["type"]],
                slug=item["slug"],
                is_published=False,
            )
            self._set_attributes(product, self.product_types[item["type"]], item["attributes"])
            warehouse = self._warehouse_for(seller)
            for variant in item["variants"]:
                pack = self.data["packs"][variant["pack"]]
                prices = [catalog.PriceInput(channel="ir", price=variant["ir"])]
                if "intl" in variant:
                    prices.append(catalog.PriceInput(channel="intl", price=variant["intl"]))
                catalog.create_variant(
                    actor=actor,
                    product=product,
                    sku=variant_sku(item, pack),
                    name=pack["name"],
                    name_en=pack["name_en"],
                    weight=Decimal(variant.get("weight", pack["weight"])),
                    prices=prices,
                    stocks=[catalog.StockInput(warehouse=warehouse, quantity=variant["stock"])],
                )
            add_product_media(
                actor=actor,
                product=product,
                upload=ContentFile(
                    images.render_jpeg(item["image"], image_seed(item)),
                    name=f"{item['slug']}.jpg",
                ),
                alt=item["name"],
            )
            # Published last, as a seller would: only once prices, stock and photo exist.
            if item.get("published", True):
                catalog.update_product(actor=actor, product=product, is_published=True)
            created += 1
        return created

    def _warehouse_for(self, seller: Seller) -> Warehouse:
        if seller.pk not in self.warehouses:
            self.warehouses[seller.pk] = seller_warehouse(seller)
        return self.warehouses[seller.pk]

    @staticmethod
    def _set_attributes(
        product: Product, product_type: ProductType, values: dict[str, str | int | bool]
    ) -> None:
        """Attribute values checked against the product type's attributes.

        The catalogue services have no attribute writer yet; this writes the rows the
        same way one would, and refuses values the type does not allow."""
        allowed: dict[str, Attribute] = {a.slug: a for a in product_type.attributes.all()}
        rows = []
        for slug, value in values.items():
            attribute = allowed.get(slug)
            if attribute is None:
                raise ValueError(f"{product.slug}: {slug} is not an attribute of {product_type}")
            row = ProductAttributeValue(product=product, attribute=attribute)
            if attribute.input_type == AttributeInputType.DROPDOWN:
                choices = {v.slug: v for v in attribute.values.all()}
                if value not in choices:
                    raise ValueError(f"{product.slug}: {value!r} is not a value of {slug}")
                row.value = choices[value]
            elif attribute.input_type == AttributeInputType.BOOLEAN:
                row.boolean = bool(value)
            else:
                row.numeric = Decimal(str(value))
            rows.append(row)
        ProductAttributeValue.objects.bulk_create(rows)
