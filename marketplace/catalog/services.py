"""Writes to the catalogue. Every function is one transaction and checks who may act."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Max, Min, ProtectedError
from django.utils.translation import gettext_lazy as _

from marketplace.accounts.models import User
from marketplace.catalog import permissions
from marketplace.catalog.media import delete_files_on_commit, product_media_files
from marketplace.catalog.models import (
    Category,
    Product,
    ProductChannelListing,
    ProductType,
    ProductVariant,
    VariantChannelListing,
)
from marketplace.catalog.search import index as search
from marketplace.channels import money
from marketplace.channels.models import Channel
from marketplace.core.errors import DomainError, ErrorCode, ErrorCollector
from marketplace.core.validators import clean_slug, clean_text, unique_slug
from marketplace.core.versioning import bump_catalog_version
from marketplace.inventory.models import Stock, Warehouse
from marketplace.locations.models import Village
from marketplace.sellers.models import Seller
from marketplace.sellers.permissions import require_approved

MAX_STOCK = 1_000_000
MAX_VARIANTS = 100


@dataclass(frozen=True)
class PriceInput:
    channel: str
    price: float | str | Decimal


@dataclass(frozen=True)
class StockInput:
    warehouse: Warehouse
    quantity: int


def _clean_texts(errors: ErrorCollector, data: dict[str, str | None]) -> dict[str, str]:
    limits = {"name": 250, "name_en": 250, "description": 20_000, "description_en": 20_000}
    cleaned = {}
    for key, value in data.items():
        if value is None:
            continue
        result = errors.collect(
            clean_text,
            value,
            field=key,
            max_length=limits[key],
            required=key == "name",
            multiline=key.startswith("description"),
        )
        if result is not None:
            cleaned[key] = result
    return cleaned


@transaction.atomic
def create_product(
    *,
    actor: User,
    seller: Seller,
    name: str | None,
    category: Category,
    name_en: str | None = None,
    description: str | None = None,
    description_en: str | None = None,
    origin: Village | None = None,
    slug: str | None = None,
    is_published: bool | None = None,
    product_type: ProductType | None = None,
) -> Product:
    permissions.require_editor(actor, seller, "seller")
    require_approved(seller, "seller")
    errors = ErrorCollector()
    texts = _clean_texts(
        errors,
        {
            "name": name,
            "name_en": name_en,
            "description": description,
            "description_en": description_en,
        },
    )
    slug_value = errors.collect(clean_slug, slug, field="slug", fallback=texts.get("name", ""))
    if slug and slug_value and Product.objects.filter(slug=slug_value).exists():
        errors.add(ErrorCode.UNIQUE, "slug")
    errors.raise_if_any()
    product = Product.objects.create(
        seller=seller,
        category=category,
        product_type=product_type,
        origin=origin if origin is not None else seller.village,
        slug=slug_value
        if slug
        else unique_slug(Product, slug_value, fallback="product", max_length=120),
        is_published=bool(is_published),
        **texts,
    )
    search.reindex_products([product.pk])
    bump_catalog_version()
    return product


@transaction.atomic
def update_product(
    *,
    actor: User,
    product: Product,
    name: str | None = None,
    name_en: str | None = None,
    description: str | None = None,
    description_en: str | None = None,
    category: Category | None = None,
    origin: Village | None = None,
    is_published: bool | None = None,
) -> Product:
    product = Product.objects.select_for_update().select_related("seller").get(pk=product.pk)
    permissions.require_editor(actor, product.seller, product=product)
    if product.is_hidden:
        raise DomainError.of(ErrorCode.NOT_FOUND, "id")
    if is_published:
        require_approved(product.seller, "is_published")
    errors = ErrorCollector()
    texts = _clean_texts(
        errors,
        {
            "name": name,
            "name_en": name_en,
            "description": description,
            "description_en": description_en,
        },
    )
    errors.raise_if_any()
    for key, value in texts.items():
        setattr(product, key, value)
    if category is not None:
        product.category = category
    if origin is not None:
        product.origin = origin
    if is_published is not None:
        product.is_published = is_published
    product.save()
    search.reindex_products([product.pk])
    bump_catalog_version()
    return product


@transaction.atomic
def delete_product(*, actor: User, product: Product) -> bool:
    """Delete the product, or hide it when orders refer to it. True when deleted."""
    product = Product.objects.select_for_update().select_related("seller").get(pk=product.pk)
    permissions.require_editor(actor, product.seller, product=product)
    bump_catalog_version()
    try:
        with transaction.atomic():
            media_files = product_media_files(product)
            product.delete()
    except ProtectedError:
        Product.objects.filter(pk=product.pk).update(is_hidden=True, is_published=False)
        return False
    delete_files_on_commit(media_files)
    return True


def _channels_by_slug() -> dict[str, Channel]:
    return {c.slug: c for c in Channel.objects.filter(is_active=True)}


def _clean_prices(
    errors: ErrorCollector, prices: list[PriceInput]
) -> list[tuple[Channel, Decimal]]:
    channels = _channels_by_slug()
    cleaned: list[tuple[Channel, Decimal]] = []
    seen: set[str] = set()
    for index, item in enumerate(prices):
        channel = channels.get(item.channel)
        if channel is None:
            errors.add(
                ErrorCode.NOT_FOUND,
                f"channel_listings.{index}.channel",
                _("There is no sales channel with this name."),
            )
            continue
        if item.channel in seen:
            errors.add(ErrorCode.UNIQUE, f"channel_listings.{index}.channel")
            continue
        seen.add(item.channel)
        amount = money.parse_price(item.price, channel.currency_code)
        if amount is None:
            errors.add(
                ErrorCode.INVALID,
                f"channel_listings.{index}.price",
                _("Enter a price above zero and within the limits of the currency."),
            )
            continue
        cleaned.append((channel, amount))
    return cleaned


def _check_stocks(
    errors: ErrorCollector, actor: User, seller: Seller, stocks: list[StockInput]
) -> None:
    seen: set[int] = set()
    for index, item in enumerate(stocks):
        field = f"stocks.{index}"
        if not permissions.warehouse_holds_goods_of(item.warehouse, seller):
            errors.add(
                ErrorCode.PERMISSION_DENIED,
                f"{field}.warehouse",
                _("This warehouse does not hold this seller's goods."),
            )
        if item.warehouse.pk in seen:
            errors.add(ErrorCode.UNIQUE, f"{field}.warehouse")
        seen.add(item.warehouse.pk)
        if not isinstance(item.quantity, int) or item.quantity < 0 or item.quantity > MAX_STOCK:
            errors.add(
                ErrorCode.INVALID,
                f"{field}.quantity",
                _("Enter a whole number of units from 0 to %(max)d.") % {"max": MAX_STOCK},
            )


def refresh_price_ranges(product_ids: list[int]) -> None:
    """Recompute each product's per-channel price range from its variants' prices.
    Rows are changed in place, never deleted and re-created: the columns the database
    keeps on them (catalog.models.ProductChannelListing) must not miss a concurrent
    change. New rows first: their insert trigger locks the product's stock, which must
    happen before this transaction holds any listing row a checkout may wait for."""
    ranges = {
        (r["variant__product_id"], r["channel_id"]): r
        for r in VariantChannelListing.objects.filter(variant__product_id__in=product_ids)
        .values("variant__product_id", "channel_id", "currency")
        .annotate(low=Min("price"), high=Max("price"))
    }
    listings = ProductChannelListing.objects.filter(product_id__in=product_ids)
    existing = {
        (product, channel): pk
        for product, channel, pk in listings.values_list("product_id", "channel_id", "pk")
    }
    ProductChannelListing.objects.bulk_create(
        ProductChannelListing(
            product_id=product_id,
            channel_id=channel_id,
            currency=r["currency"],
            price_min=r["low"],
            price_max=r["high"],
        )
        for (product_id, channel_id), r in ranges.items()
        if (product_id, channel_id) not in existing
    )
    for key, pk in existing.items():
        r = ranges.get(key)
        if r is not None:
            ProductChannelListing.objects.filter(pk=pk).update(
                currency=r["currency"], price_min=r["low"], price_max=r["high"]
            )
    stale = [pk for key, pk in existing.items() if key not in ranges]
    if stale:
        ProductChannelListing.objects.filter(pk__in=stale).delete()


def _clean_weight(weight: float | None, *, field: str) -> Decimal | None:
    """Kilograms to the gram, above zero and at most ten tonnes; None when not given."""
    if weight is None:
        return None
    try:
        value = Decimal(str(weight)).quantize(Decimal("0.001"))
    except ArithmeticError:
        value = None
    if value is None or not value.is_finite() or not 0 < value <= 10_000:
        raise DomainError.of(ErrorCode.INVALID, field, _("Enter a weight in kilograms above zero."))
    return value


@transaction.atomic
def create_variant(
    *,
    actor: User,
    product: Product,
    prices: list[PriceInput],
    sku: str | None = None,
    name: str | None = None,
    name_en: str | None = None,
    weight: float | Decimal | None = None,
    stocks: list[StockInput] | None = None,
) -> ProductVariant:
    product = Product.objects.select_for_update().select_related("seller").get(pk=product.pk)
    permissions.require_editor(actor, product.seller, "product", product=product)
    if product.is_hidden:
        raise DomainError.of(ErrorCode.NOT_FOUND, "product")
    require_approved(product.seller, "product")
    errors = ErrorCollector()
    sku_value = errors.collect(clean_text, sku, field="sku", max_length=64) or None
    name_value = errors.collect(clean_text, name, field="name", max_length=150)
    name_en_value = errors.collect(clean_text, name_en, field="name_en", max_length=150)
    weight_value = errors.collect(_clean_weight, weight, field="weight")
    if not prices:
        errors.add(ErrorCode.REQUIRED, "channel_listings")
    cleaned_prices = _clean_prices(errors, prices)
    _check_stocks(errors, actor, product.seller, stocks or [])
    if sku_value and ProductVariant.objects.filter(sku=sku_value).exists():
        errors.add(ErrorCode.UNIQUE, "sku")
    if product.variants.count() >= MAX_VARIANTS:
        errors.add(ErrorCode.INVALID, "product", _("A product may have at most 100 variants."))
    errors.raise_if_any()
    try:
        with transaction.atomic():
            variant = ProductVariant.objects.create(
                product=product,
                sku=sku_value,
                name=name_value or "",
                name_en=name_en_value or "",
                weight=weight_value,
                sort_order=product.variants.count(),
            )
    except IntegrityError:
        raise DomainError.of(ErrorCode.UNIQUE, "sku") from None
    VariantChannelListing.objects.bulk_create(
        VariantChannelListing(
            variant=variant, channel=channel, price=amount, currency=channel.currency_code
        )
        for channel, amount in cleaned_prices
    )
    Stock.objects.bulk_create(
        Stock(warehouse=item.warehouse, variant=variant, quantity=item.quantity)
        for item in stocks or []
    )
    refresh_price_ranges([product.pk])
    bump_catalog_version()
    return variant


@transaction.atomic
def update_variant_stocks(
    *, actor: User, variant: ProductVariant, stocks: list[StockInput]
) -> ProductVariant:
    """Set the quantity in each named warehouse; never below what orders already hold.
    A seller no longer approved may only lower quantities (stock counted short or gone)."""
    variant = ProductVariant.objects.select_related("product__seller").get(pk=variant.pk)
    seller = variant.product.seller
    permissions.require_editor(actor, seller, "variant_id", product=variant.product)
    errors = ErrorCollector()
    _check_stocks(errors, actor, seller, stocks)
    errors.raise_if_any()
    existing = {
        s.warehouse_id: s
        for s in Stock.objects.select_for_update().filter(
            variant=variant, warehouse_id__in=[i.warehouse.pk for i in stocks]
        )
    }
    held = {warehouse_id: stock.quantity for warehouse_id, stock in existing.items()}
    if not seller.is_approved and any(
        item.quantity > held.get(item.warehouse.pk, 0) for item in stocks
    ):
        require_approved(seller, "variant_id")
    for index, item in enumerate(stocks):
        stock = existing.get(item.warehouse.pk)
        if stock is None:
            Stock.objects.create(warehouse=item.warehouse, variant=variant, quantity=item.quantity)
        elif item.quantity < stock.quantity_allocated:
            errors.add(
                ErrorCode.INVALID,
                f"stocks.{index}.quantity",
                _("%(n)d units are already allocated to orders.") % {"n": stock.quantity_allocated},
            )
        else:
            stock.quantity = item.quantity
            stock.save(update_fields=["quantity"])
    errors.raise_if_any()
    bump_catalog_version()
    return variant


@transaction.atomic
def set_variant_prices(
    *, actor: User, variant: ProductVariant, prices: list[PriceInput]
) -> ProductVariant:
    variant = ProductVariant.objects.select_related("product__seller").get(pk=variant.pk)
    permissions.require_editor(actor, variant.product.seller, "variant_id", product=variant.product)
    require_approved(variant.product.seller, "variant_id")
    errors = ErrorCollector()
    cleaned = _clean_prices(errors, prices)
    errors.raise_if_any()
    for channel, amount in cleaned:
        VariantChannelListing.objects.update_or_create(
            variant=variant,
            channel=channel,
            defaults={"price": amount, "currency": channel.currency_code},
        )
    refresh_price_ranges([variant.product_id])
    bump_catalog_version()
    return variant


@transaction.atomic
def update_variant(
    *,
    actor: User,
    variant: ProductVariant,
    name: str | None = None,
    weight: float | Decimal | None = None,
) -> ProductVariant:
    """Change a variant's name (its unit, e.g. "500 g jar") or weight; None keeps it."""
    variant = (
        ProductVariant.objects.select_for_update()
        .select_related("product__seller")
        .get(pk=variant.pk)
    )
    permissions.require_editor(actor, variant.product.seller, "id", product=variant.product)
    errors = ErrorCollector()
    name_value = errors.collect(clean_text, name, field="name", max_length=150)
    weight_value = errors.collect(_clean_weight, weight, field="weight")
    errors.raise_if_any()
    if name is not None:
        variant.name = name_value or ""
    if weight is not None:
        variant.weight = weight_value
    variant.save(update_fields=["name", "weight"])
    bump_catalog_version()
    return variant
