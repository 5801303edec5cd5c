"""Catalogue queries (`categories`, `products`, `product`) and the mutations' wiring."""

from __future__ import annotations

import graphene
from django.utils.translation import get_language

from marketplace.api.catalog import loaders
from marketplace.api.catalog.filters import ProductFilterInput, ProductOrder, listing_arguments
from marketplace.api.catalog.media_mutations import (
    ProductMediaCreate,
    ProductMediaDelete,
    ProductMediaReorder,
)
from marketplace.api.catalog.mutations import (
    ProductCreate,
    ProductDelete,
    ProductUpdate,
    ProductVariantCreate,
    ProductVariantPricesUpdate,
    ProductVariantStocksUpdate,
)
from marketplace.api.catalog.types import Category, Product
from marketplace.api.core.connection import connection_field, paginate
from marketplace.api.core.errors import query_error
from marketplace.api.core.ids import decode_id
from marketplace.catalog import selectors
from marketplace.core.errors import DomainError

MAX_SLUG_LENGTH = 200
MAX_CATEGORY_LEVEL = 5


def _english(info) -> bool:
    language = getattr(info.context, "LANGUAGE_CODE", None) or get_language() or "fa"
    return language.startswith("en")


class CatalogQueries(graphene.ObjectType):
    categories = connection_field(
        "Category",
        Category,
        level=graphene.Int(description="Only this depth of the tree; 0 is the top level."),
    )
    products = connection_field(
        "Product",
        Product,
        backward=True,
        channel=graphene.String(description="A channel's slug; default: the default channel."),
        search=graphene.String(),
        filter=ProductFilterInput(),
        sort_by=ProductOrder(),
    )
    product = graphene.Field(
        Product, id=graphene.ID(), slug=graphene.String(), channel=graphene.String()
    )
    search_suggestions = graphene.NonNull(
        graphene.List(graphene.NonNull(graphene.String)),
        search=graphene.String(required=True),
        description="Words of product names spelt like the words of `search`, best first "
        "(at most 5): searches to offer when it found nothing.",
    )

    @staticmethod
    def resolve_search_suggestions(root, info, search):
        return selectors.search_suggestions(search)

    @staticmethod
    def resolve_categories(root, info, level=None, first=None, after=None):
        if level is not None:
            level = max(0, min(level, MAX_CATEGORY_LEVEL))
        return paginate(selectors.categories(level), first=first, after=after)

    @staticmethod
    def resolve_products(
        root,
        info,
        channel=None,
        search=None,
        filter=None,
        sort_by=None,
        first=None,
        after=None,
        last=None,
        before=None,
    ):
        rows = selectors.product_listing(
            info.context.user,
            loaders.channel_for(info, channel),
            search=search,
            english=_english(info),
            **listing_arguments(filter, sort_by),
        )
        return paginate(rows, first=first, after=after, last=last, before=before)

    @staticmethod
    def resolve_product(root, info, id=None, slug=None, channel=None):
        loaders.require_lookup(id, slug)
        try:
            pk = decode_id(id, "Product", field="id") if id is not None else None
        except DomainError as exc:
            raise query_error(exc) from None
        if pk is None and len(slug) > MAX_SLUG_LENGTH:
            return None
        return selectors.product_detail(
            info.context.user, loaders.channel_for(info, channel), pk=pk, slug=slug
        )


class CatalogMutations(graphene.ObjectType):
    product_create = ProductCreate.Field()
    product_update = ProductUpdate.Field()
    product_delete = ProductDelete.Field()
    product_variant_create = ProductVariantCreate.Field()
    product_variant_stocks_update = ProductVariantStocksUpdate.Field()
    product_variant_prices_update = ProductVariantPricesUpdate.Field()
    product_media_create = ProductMediaCreate.Field()
    product_media_delete = ProductMediaDelete.Field()
    product_media_reorder = ProductMediaReorder.Field()
