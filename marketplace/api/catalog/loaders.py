"""What the catalogue types read beyond their root object: the request's channels and the
relations of products and variants, each loaded once per page (marketplace.api.core.batch).

A product reaches the types either as a `selectors.ProductRow` (listings) or as a model
instance (product pages, mutation payloads); both carry the same attribute names, and a
relation a product page already joined is used as it is.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from graphql import GraphQLError

from marketplace.api.core import batch
from marketplace.api.core.errors import query_error
from marketplace.catalog import selectors
from marketplace.catalog.models import Category, ProductVariant
from marketplace.catalog.models import Product as ProductModel
from marketplace.channels import selectors as channel_selectors
from marketplace.channels.models import Channel
from marketplace.core.errors import DomainError
from marketplace.sellers import selectors as seller_selectors
from marketplace.sellers.models import Cooperative, Seller

MISSING = selectors.MISSING


# ---------------------------------------------------------------- channels


def channel_for(info, slug: str | None, *, field: str = "channel") -> Channel:
    """The named active channel (default: the default one), once per request; an unknown
    channel is a GraphQL error with code NOT_FOUND."""
    channels = _context_store(info, "_catalog_channels")
    key = slug or None
    channel = channels.get(key)
    if channel is None:
        if slug is not None and (not isinstance(slug, str) or len(slug) > 50):
            slug = "-"
        try:
            channel = channel_selectors.channel_by_slug(slug, field=field)
        except DomainError as exc:
            raise query_error(exc) from None
        channels[key] = channel
        channels[channel.slug] = channel
    return channel


def channel_of(info, root: Any, slug: str | None) -> Channel:
    """The channel a price or availability field speaks of: its argument, else the channel
    the object was read for, else the default channel."""
    if slug:
        return channel_for(info, slug)
    context = getattr(root, "context_channel", None)
    return context if context is not None else channel_for(info, None)


def _context_store(info, name: str) -> dict:
    store = getattr(info.context, name, None)
    if store is None:
        store = {}
        setattr(info.context, name, store)
    return store


# ---------------------------------------------------------------- product relations


def _cached(root: Any, name: str) -> Any:
    """A relation a model instance was read with (select_related), else MISSING."""
    if isinstance(root, ProductModel) and ProductModel._meta.get_field(name).is_cached(root):
        return getattr(root, name)
    return MISSING


def seller(info, product: Any) -> Seller:
    found = _cached(product, "seller")
    if found is not MISSING:
        return found
    return batch.load(
        info,
        "catalog.seller",
        product,
        key=lambda p: p.seller_id,
        fetch=selectors.sellers_by_id,
    )


def cooperative(info, product: Any) -> Cooperative | None:
    # Rows know the cooperative's id; a product without one needs no query at all.
    if getattr(product, "cooperative_id", MISSING) is None:
        return None
    owner = seller(info, product)
    if owner is None or owner.cooperative_id is None:
        return None
    if Seller._meta.get_field("cooperative").is_cached(owner):
        return owner.cooperative
    return batch.load(
        info,
        "seller.cooperative",
        owner,
        key=lambda s: s.cooperative_id,
        fetch=seller_selectors.cooperatives_by_id,
    )


def category(info, product: Any) -> Category:
    found = _cached(product, "category")
    if found is not MISSING:
        return found
    return batch.load(
        info,
        "catalog.category",
        product,
        key=lambda p: p.category_id,
        fetch=selectors.categories_by_id,
    )


def origin(info, product: Any):
    found = _cached(product, "origin")
    if found is not MISSING:
        return found
    if product.origin_id is None:
        return None
    # Most products come from their seller's village, which is read with the seller: a
    # card showing both costs one query, not two.
    owner = seller(info, product)
    if (
        owner is not None
        and owner.village_id == product.origin_id
        and Seller._meta.get_field("village").is_cached(owner)
    ):
        return owner.village
    return batch.load(
        info,
        "catalog.origin",
        product,
        key=lambda p: p.origin_id,
        fetch=selectors.villages_by_id,
    )


def description(info, product: Any) -> tuple[str, str]:
    # Listing rows leave the (long) descriptions out; asked for, they come for the page.
    if not isinstance(product, ProductModel):
        product = full_product(info, product)
        if product is None:  # deleted since the page was read
            return "", ""
    return product.description, product.description_en


def full_product(info, obj: Any, *, key=lambda p: p.pk) -> ProductModel:
    """The product model instance of a row (or the product of a variant, with `key`)."""
    channel = channel_of(info, obj, None)
    return batch.load(
        info,
        f"catalog.product:{channel.pk}",
        obj,
        key=key,
        fetch=lambda ids: selectors.products_by_id(ids, channel),
    )


def price_range(info, product: Any, channel: Channel) -> selectors.PriceRange | None:
    context = getattr(product, "context_channel", None)
    if context is not None and context.pk == channel.pk:
        return product.price_range
    return batch.load(
        info,
        f"catalog.price_range:{channel.pk}",
        product,
        key=lambda p: p.pk,
        fetch=lambda ids: selectors.price_ranges(ids, channel),
    )


def is_available(info, product: Any, channel: Channel) -> bool:
    def fetch(ids: list[int]) -> dict[int, bool]:
        return dict.fromkeys(selectors.available_product_ids(ids, channel), True)

    return batch.load(
        info,
        f"catalog.available:{channel.pk}",
        product,
        key=lambda p: p.pk,
        fetch=fetch,
        default=False,
    )


def media(info, product: Any) -> list:
    preloaded = getattr(product, "media_list", None)
    if preloaded is not None:
        return preloaded
    return batch.load(
        info,
        "catalog.media",
        product,
        key=lambda p: p.pk,
        fetch=selectors.media_by_product,
        default=list,
    )


def first_media(info, product: Any):
    row_thumbnail = getattr(product, "thumbnail_media", MISSING)
    if row_thumbnail is not MISSING:
        return row_thumbnail
    found = media(info, product)
    return found[0] if found else None


def attributes(info, product: Any) -> list[selectors.AttributeRow]:
    preloaded = getattr(product, "attribute_list", None)
    if preloaded is not None:
        return preloaded
    return batch.load(
        info,
        "catalog.attributes",
        product,
        key=lambda p: p.pk,
        fetch=selectors.attributes_by_product,
        default=list,
    )


def variants(info, product: Any) -> list[ProductVariant]:
    channel = channel_of(info, product, None)
    found = batch.load(
        info,
        f"catalog.variants:{channel.pk}",
        product,
        key=lambda p: p.pk,
        fetch=lambda ids: selectors.variants_by_product(ids, channel),
        default=list,
    )
    for variant in found:
        variant.parent_product = product
    return found


# ---------------------------------------------------------------- variant relations


def variant_product(info, variant: ProductVariant) -> Any:
    parent = getattr(variant, "parent_product", None)
    if parent is not None:
        return parent
    if ProductVariant._meta.get_field("product").is_cached(variant):
        return variant.product
    return full_product(info, variant, key=lambda v: v.product_id)


def variant_price(info, variant: ProductVariant, slug: str | None):
    """(currency, amount) of the variant in the channel, or None when not sold there."""
    context = getattr(variant, "context_channel", None)
    channel = channel_of(info, variant, slug)
    if context is not None and context.pk == channel.pk:
        amount = variant.price_amount
        return (variant.price_currency, amount) if amount is not None else None
    return batch.load(
        info,
        f"catalog.variant_price:{channel.pk}",
        variant,
        key=lambda v: v.pk,
        fetch=lambda ids: selectors.variant_prices(ids, channel),
    )


def quantity_available(info, variant: ProductVariant) -> int:
    return batch.load(
        info,
        "catalog.quantity_available",
        variant,
        key=lambda v: v.pk,
        fetch=selectors.available_quantities,
        default=0,
    )


def stocks(info, variant: ProductVariant) -> list:
    return batch.load(
        info,
        "catalog.stocks",
        variant,
        key=lambda v: v.pk,
        fetch=selectors.stocks_by_variant,
        default=list,
    )


# ---------------------------------------------------------------- categories


def parent_category(info, category: Category) -> Category | None:
    return batch.load(
        info,
        "catalog.category",
        category,
        key=lambda c: c.parent_id,
        fetch=selectors.categories_by_id,
    )


def child_categories(info, category: Category) -> list[Category]:
    return batch.load(
        info,
        "catalog.category_children",
        category,
        key=lambda c: c.pk,
        fetch=selectors.category_children,
        default=list,
    )


def require_lookup(id_value, slug) -> None:
    if id_value is None and not slug:
        raise GraphQLError(_("Give an id or a slug."), extensions={"code": "REQUIRED"})
