"""Catalogue mutations: decode the input's IDs (collecting every bad one), call one service
and return its result. Who may act is decided by the services."""

from __future__ import annotations

import graphene
from django.utils.translation import gettext_lazy as _

from marketplace.api.catalog.types import Product, ProductVariant
from marketplace.api.core.ids import get_instance, get_optional_instance
from marketplace.api.core.mutations import BaseMutation, Payload
from marketplace.catalog import selectors, services
from marketplace.catalog.models import Category as CategoryModel
from marketplace.catalog.models import Product as ProductModel
from marketplace.catalog.models import ProductVariant as ProductVariantModel
from marketplace.channels import selectors as channel_selectors
from marketplace.core.errors import DomainError, ErrorCode, ErrorCollector, permission_denied
from marketplace.inventory.models import Warehouse
from marketplace.locations.models import Village
from marketplace.sellers import permissions as seller_permissions
from marketplace.sellers import selectors as seller_selectors
from marketplace.sellers.models import Seller

MAX_PRICES = 20
MAX_STOCKS = 100


class ProductCreateInput(graphene.InputObjectType):
    seller = graphene.ID(
        description="Default: the caller's own seller; cooperative staff may name a member."
    )
    name = graphene.String(required=True)
    name_en = graphene.String()
    description = graphene.String()
    description_en = graphene.String()
    category = graphene.ID(required=True)
    origin = graphene.ID(description="A village; default: the seller's village.")
    slug = graphene.String()
    is_published = graphene.Boolean()


class ProductUpdateInput(graphene.InputObjectType):
    name = graphene.String()
    name_en = graphene.String()
    description = graphene.String()
    description_en = graphene.String()
    category = graphene.ID()
    origin = graphene.ID()
    is_published = graphene.Boolean()


class ChannelPriceInput(graphene.InputObjectType):
    channel = graphene.String(required=True)
    price = graphene.Float(required=True, description="In the channel currency's units.")


class StockInput(graphene.InputObjectType):
    warehouse = graphene.ID(required=True)
    quantity = graphene.Int(required=True)


class ProductVariantCreateInput(graphene.InputObjectType):
    product = graphene.ID(required=True)
    sku = graphene.String()
    name = graphene.String()
    name_en = graphene.String()
    weight = graphene.Float(description="Kilograms.")
    channel_listings = graphene.List(graphene.NonNull(ChannelPriceInput), required=True)
    stocks = graphene.List(graphene.NonNull(StockInput))


class ProductMutation(Payload):
    product = graphene.Field(Product)


class ProductVariantMutation(Payload):
    product_variant = graphene.Field(ProductVariant)


class _Decoder:
    """Looks up the objects an input names, collecting every error instead of stopping at
    the first, so the caller sees all that is wrong at once."""

    def __init__(self) -> None:
        self.errors = ErrorCollector()

    def get(self, queryset, value, type_name: str, field: str, *, optional: bool = False):
        lookup = get_optional_instance if optional else get_instance
        try:
            return lookup(queryset, value, type_name, field=field)
        except DomainError as exc:
            self.errors.extend(exc)
            return None

    def check_length(self, items: list | None, limit: int, field: str) -> None:
        if items is not None and len(items) > limit:
            self.errors.add(
                ErrorCode.INVALID, field, _("At most %(n)d items are allowed.") % {"n": limit}
            )
            raise DomainError(*self.errors.errors)

    def stocks(self, items: list | None) -> list[services.StockInput]:
        self.check_length(items, MAX_STOCKS, "stocks")
        result = []
        for index, item in enumerate(items or []):
            warehouse = self.get(
                Warehouse.objects.all(), item.warehouse, "Warehouse", f"stocks.{index}.warehouse"
            )
            if warehouse is not None:
                result.append(services.StockInput(warehouse=warehouse, quantity=item.quantity))
        return result

    def prices(self, items: list) -> list[services.PriceInput]:
        self.check_length(items, MAX_PRICES, "channelListings")
        return [services.PriceInput(channel=item.channel, price=item.price) for item in items]


def _require_signed_in(info) -> None:
    if not seller_permissions.is_authenticated(info.context.user):
        raise permission_denied()


class ProductCreate(BaseMutation):
    class Meta:
        output = ProductMutation

    class Arguments:
        input = ProductCreateInput(required=True)

    @classmethod
    def perform(cls, info, input):
        _require_signed_in(info)
        user = info.context.user
        decoder = _Decoder()
        if input.get("seller"):
            seller = decoder.get(Seller.objects.all(), input.seller, "Seller", "seller")
        else:
            seller = seller_selectors.seller_owned_by(user)
            if seller is None:
                decoder.errors.add(ErrorCode.REQUIRED, "seller")
        category = decoder.get(CategoryModel.objects.all(), input.category, "Category", "category")
        origin = decoder.get(
            Village.objects.all(), input.get("origin"), "Village", "origin", optional=True
        )
        decoder.errors.raise_if_any()
        product = services.create_product(
            actor=user,
            seller=seller,
            name=input.name,
            name_en=input.get("name_en"),
            description=input.get("description"),
            description_en=input.get("description_en"),
            category=category,
            origin=origin,
            slug=input.get("slug"),
            is_published=input.get("is_published"),
        )
        return ProductMutation.ok(product=product)


class ProductUpdate(BaseMutation):
    class Meta:
        output = ProductMutation

    class Arguments:
        id = graphene.ID(required=True)
        input = ProductUpdateInput(required=True)

    @classmethod
    def perform(cls, info, id, input):
        _require_signed_in(info)
        decoder = _Decoder()
        product = decoder.get(ProductModel.objects.all(), id, "Product", "id")
        category = decoder.get(
            CategoryModel.objects.all(),
            input.get("category"),
            "Category",
            "category",
            optional=True,
        )
        origin = decoder.get(
            Village.objects.all(), input.get("origin"), "Village", "origin", optional=True
        )
        decoder.errors.raise_if_any()
        product = services.update_product(
            actor=info.context.user,
            product=product,
            name=input.get("name"),
            name_en=input.get("name_en"),
            description=input.get("description"),
            description_en=input.get("description_en"),
            category=category,
            origin=origin,
            is_published=input.get("is_published"),
        )
        return ProductMutation.ok(product=product)


class ProductDelete(BaseMutation):
    """Deletes the product, or hides it when orders refer to it; returns it as it was."""

    class Meta:
        output = ProductMutation

    class Arguments:
        id = graphene.ID(required=True)

    @classmethod
    def perform(cls, info, id):
        _require_signed_in(info)
        product = get_instance(ProductModel.objects.all(), id, "Product", field="id")
        # Read before deleting: the payload shows what was there.
        snapshot = selectors.load_product(channel_selectors.channel_by_slug(None), pk=product.pk)
        services.delete_product(actor=info.context.user, product=product)
        return ProductMutation.ok(product=snapshot)


class ProductVariantCreate(BaseMutation):
    class Meta:
        output = ProductVariantMutation

    class Arguments:
        input = ProductVariantCreateInput(required=True)

    @classmethod
    def perform(cls, info, input):
        _require_signed_in(info)
        decoder = _Decoder()
        product = decoder.get(ProductModel.objects.all(), input.product, "Product", "product")
        prices = decoder.prices(input.channel_listings)
        stocks = decoder.stocks(input.get("stocks"))
        decoder.errors.raise_if_any()
        variant = services.create_variant(
            actor=info.context.user,
            product=product,
            prices=prices,
            sku=input.get("sku"),
            name=input.get("name"),
            name_en=input.get("name_en"),
            weight=input.get("weight"),
            stocks=stocks,
        )
        return ProductVariantMutation.ok(product_variant=variant)


class ProductVariantStocksUpdate(BaseMutation):
    class Meta:
        output = ProductVariantMutation

    class Arguments:
        variant_id = graphene.ID(required=True)
        stocks = graphene.List(graphene.NonNull(StockInput), required=True)

    @classmethod
    def perform(cls, info, variant_id, stocks):
        _require_signed_in(info)
        decoder = _Decoder()
        variant = decoder.get(
            ProductVariantModel.objects.all(), variant_id, "ProductVariant", "variantId"
        )
        stock_inputs = decoder.stocks(stocks)
        decoder.errors.raise_if_any()
        variant = services.update_variant_stocks(
            actor=info.context.user, variant=variant, stocks=stock_inputs
        )
        return ProductVariantMutation.ok(product_variant=variant)


class ProductVariantPricesUpdate(BaseMutation):
    """Sets the variant's price in each named channel (others stay as they are)."""

    class Meta:
        output = ProductVariantMutation

    class Arguments:
        variant_id = graphene.ID(required=True)
        channel_listings = graphene.List(graphene.NonNull(ChannelPriceInput), required=True)

    @classmethod
    def perform(cls, info, variant_id, channel_listings):
        _require_signed_in(info)
        decoder = _Decoder()
        variant = decoder.get(
            ProductVariantModel.objects.all(), variant_id, "ProductVariant", "variantId"
        )
        prices = decoder.prices(channel_listings)
        if not prices:
            decoder.errors.add(ErrorCode.REQUIRED, "channelListings")
        decoder.errors.raise_if_any()
        variant = services.set_variant_prices(
            actor=info.context.user, variant=variant, prices=prices
        )
        return ProductVariantMutation.ok(product_variant=variant)
