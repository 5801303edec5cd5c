"""Catalogue types. Resolvers stay trivial: every relation comes from `loaders`, which read
it once per page; prices are the plain dicts of `api.core.money`."""

from __future__ import annotations

import graphene
from django.utils.translation import gettext as _
from graphene import relay

from marketplace.api.catalog import loaders
from marketplace.api.core.connection import connection_field
from marketplace.api.core.i18n import localized
from marketplace.api.core.money import MoneyRange, TaxedMoney, money_range, taxed_money
from marketplace.api.core.types import ModelObjectType
from marketplace.api.inventory.types import Warehouse
from marketplace.api.locations.types import Village
from marketplace.api.reviews import types as review_fields
from marketplace.api.sellers.types import Cooperative, Seller
from marketplace.catalog import permissions, selectors
from marketplace.catalog.media import media_url
from marketplace.catalog.models import AttributeInputType
from marketplace.catalog.models import Category as CategoryModel
from marketplace.catalog.models import Product as ProductModel
from marketplace.catalog.models import ProductMedia as ProductMediaModel
from marketplace.catalog.models import ProductVariant as ProductVariantModel
from marketplace.sellers import permissions as seller_permissions

MAX_IMAGE_SIZE = 4096


# ---------------------------------------------------------------- pricing


class ProductPricingInfo(graphene.ObjectType):
    price_range = graphene.Field(MoneyRange)
    on_sale = graphene.Boolean(required=True)


class VariantPricingInfo(graphene.ObjectType):
    price = graphene.Field(TaxedMoney)


class Image(graphene.ObjectType):
    url = graphene.String(required=True)
    alt = graphene.String()


def _image_size(size: int | None) -> int | None:
    if size is None:
        return None
    return max(0, min(size, MAX_IMAGE_SIZE))


def _visible_product_of(info, model, id) -> ProductModel | None:
    """The product of a variant or photo looked up by its own id, if the caller sees it."""
    if not str(id).isdigit() or len(str(id)) > 18:
        return None
    product_id = selectors.product_id_of(model, int(id))
    if product_id is None:
        return None
    channel = loaders.channel_for(info, None)
    return selectors.product_detail(info.context.user, channel, pk=product_id)


# ---------------------------------------------------------------- categories


class Category(ModelObjectType):
    name = graphene.String(required=True)
    slug = graphene.String(required=True)
    description = graphene.String(required=True)
    parent = graphene.Field(lambda: Category)
    children = graphene.List(graphene.NonNull(lambda: Category), required=True)

    class Meta:
        model = CategoryModel
        interfaces = (relay.Node,)

    @staticmethod
    def resolve_name(root: CategoryModel, info) -> str:
        return localized(info, root.name, root.name_en)

    @staticmethod
    def resolve_description(root: CategoryModel, info) -> str:
        return localized(info, root.description, root.description_en)

    @staticmethod
    def resolve_parent(root: CategoryModel, info):
        return loaders.parent_category(info, root)

    @staticmethod
    def resolve_children(root: CategoryModel, info):
        return loaders.child_categories(info, root)

    @classmethod
    def get_node(cls, info, id):
        if not str(id).isdigit() or len(str(id)) > 18:
            return None
        return CategoryModel.objects.filter(pk=id).first()


# ---------------------------------------------------------------- media and attributes


class ProductMedia(ModelObjectType):
    url = graphene.String(
        required=True,
        size=graphene.Int(description="Width in pixels: the closest thumbnail at least as wide."),
    )
    alt = graphene.String(required=True)
    sort_order = graphene.Int(required=True)

    class Meta:
        model = ProductMediaModel
        interfaces = (relay.Node,)

    @classmethod
    def is_type_of(cls, root, info) -> bool:
        return isinstance(root, ProductMediaModel | selectors.MediaRow)

    @staticmethod
    def resolve_url(root, info, size=None) -> str:
        return media_url(root, _image_size(size))

    @classmethod
    def get_node(cls, info, id):
        product = _visible_product_of(info, ProductMediaModel, id)
        return next((m for m in product.media_list if m.pk == int(id)), None) if product else None


class ProductAttribute(graphene.ObjectType):
    slug = graphene.String(required=True)
    name = graphene.String(required=True)
    value = graphene.String(required=True, description="The value as shown to buyers.")

    @staticmethod
    def resolve_name(root: selectors.AttributeRow, info) -> str:
        return localized(info, root.name, root.name_en)

    @staticmethod
    def resolve_value(root: selectors.AttributeRow, info) -> str:
        if root.input_type == AttributeInputType.BOOLEAN:
            if root.boolean is None:
                return ""
            return _("Yes") if root.boolean else _("No")
        if root.input_type == AttributeInputType.NUMERIC:
            return "" if root.numeric is None else format(root.numeric.normalize(), "f")
        return localized(info, root.value_name or "", root.value_name_en or "")


# ---------------------------------------------------------------- variants


class Stock(graphene.ObjectType):
    warehouse = graphene.Field(graphene.NonNull(Warehouse))
    quantity = graphene.Int(required=True)
    quantity_allocated = graphene.Int(required=True, description="Held for orders.")


class ProductVariant(ModelObjectType):
    sku = graphene.String()
    name = graphene.String(required=True)
    product = graphene.Field(graphene.NonNull(lambda: Product))
    pricing = graphene.Field(VariantPricingInfo, channel=graphene.String())
    quantity_available = graphene.Int(
        required=True, description="Stock minus allocations and live reservations."
    )
    weight = graphene.Float(description="Kilograms.")
    stocks = graphene.List(
        graphene.NonNull(Stock),
        description="Stock per warehouse: for those who may edit the product; null for others.",
    )

    class Meta:
        model = ProductVariantModel
        interfaces = (relay.Node,)

    @staticmethod
    def resolve_name(root: ProductVariantModel, info) -> str:
        return localized(info, root.name, root.name_en)

    @staticmethod
    def resolve_product(root: ProductVariantModel, info):
        return loaders.variant_product(info, root)

    @staticmethod
    def resolve_pricing(root: ProductVariantModel, info, channel=None):
        price = loaders.variant_price(info, root, channel)
        if price is None:
            return None
        currency, amount = price
        return {"price": taxed_money(amount, currency)}

    @staticmethod
    def resolve_quantity_available(root: ProductVariantModel, info) -> int:
        return loaders.quantity_available(info, root)

    @staticmethod
    def resolve_weight(root: ProductVariantModel, info) -> float | None:
        return float(root.weight) if root.weight is not None else None

    @staticmethod
    def resolve_stocks(root: ProductVariantModel, info):
        user = info.context.user
        if not seller_permissions.is_authenticated(user):
            return None
        owner = loaders.seller(info, loaders.variant_product(info, root))
        if owner is None or not permissions.can_edit_products_of(user, owner):
            return None
        return loaders.stocks(info, root)

    @classmethod
    def get_node(cls, info, id):
        product = _visible_product_of(info, ProductVariantModel, id)
        if product is None:
            return None
        return next((v for v in loaders.variants(info, product) if v.pk == int(id)), None)


# ---------------------------------------------------------------- products


class Product(ModelObjectType):
    name = graphene.String(required=True)
    slug = graphene.String(required=True)
    description = graphene.String(required=True)
    category = graphene.Field(graphene.NonNull(Category))
    seller = graphene.Field(graphene.NonNull(Seller))
    cooperative = graphene.Field(Cooperative, description="The seller's cooperative: it fulfils.")
    origin = graphene.Field(Village)
    is_published = graphene.Boolean(required=True)
    is_available = graphene.Boolean(required=True, channel=graphene.String())
    media = graphene.List(graphene.NonNull(ProductMedia), required=True)
    thumbnail = graphene.Field(Image, size=graphene.Int())
    variants = graphene.List(graphene.NonNull(ProductVariant), required=True)
    pricing = graphene.Field(ProductPricingInfo, channel=graphene.String())
    rating = graphene.Float(description="The mean of the visible reviews; null without any.")
    review_count = graphene.Int(
        required=True, description="How many visible reviews `rating` is the mean of."
    )
    reviews = connection_field(
        "Review",
        "marketplace.api.reviews.types.Review",
        resolver=review_fields.resolve_product_reviews,
        description="Visible reviews, newest first.",
    )
    created = graphene.DateTime(required=True)
    attributes = graphene.List(graphene.NonNull(ProductAttribute), required=True)

    class Meta:
        model = ProductModel
        interfaces = (relay.Node,)

    @classmethod
    def is_type_of(cls, root, info) -> bool:
        return isinstance(root, ProductModel | selectors.ProductRow)

    @staticmethod
    def resolve_name(root, info) -> str:
        return localized(info, root.name, root.name_en)

    @staticmethod
    def resolve_description(root, info) -> str:
        text, text_en = loaders.description(info, root)
        return localized(info, text, text_en)

    @staticmethod
    def resolve_category(root, info):
        return loaders.category(info, root)

    @staticmethod
    def resolve_seller(root, info):
        return loaders.seller(info, root)

    @staticmethod
    def resolve_cooperative(root, info):
        return loaders.cooperative(info, root)

    @staticmethod
    def resolve_origin(root, info):
        return loaders.origin(info, root)

    @staticmethod
    def resolve_is_available(root, info, channel=None) -> bool:
        return loaders.is_available(info, root, loaders.channel_of(info, root, channel))

    @staticmethod
    def resolve_media(root, info):
        return loaders.media(info, root)

    @staticmethod
    def resolve_thumbnail(root, info, size=None):
        first = loaders.first_media(info, root)
        if first is None:
            return None
        alt = first.alt or localized(info, root.name, root.name_en)
        return {"url": media_url(first, _image_size(size)), "alt": alt}

    @staticmethod
    def resolve_variants(root, info):
        return loaders.variants(info, root)

    @staticmethod
    def resolve_pricing(root, info, channel=None):
        prices = loaders.price_range(info, root, loaders.channel_of(info, root, channel))
        if prices is None:
            return None
        price_range = money_range(prices.start, prices.stop, prices.currency)
        return {"price_range": price_range, "on_sale": False}

    @staticmethod
    def resolve_rating(root, info) -> float | None:
        return float(root.rating) if root.rating is not None else None

    @staticmethod
    def resolve_attributes(root, info):
        return loaders.attributes(info, root)

    @classmethod
    def get_node(cls, info, id):
        if not str(id).isdigit() or len(str(id)) > 18:
            return None
        channel = loaders.channel_for(info, None)
        return selectors.product_detail(info.context.user, channel, pk=int(id))
