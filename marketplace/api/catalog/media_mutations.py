"""Product photo mutations. The file arrives as a multipart upload
(graphql-multipart-request-spec, parsed by the /graphql/ view); everything about checking
and storing it is the catalogue's `media` service."""

from __future__ import annotations

import graphene
from graphene_file_upload.scalars import Upload

from marketplace.api.catalog.types import Product, ProductMedia
from marketplace.api.core.ids import decode_id, get_instance
from marketplace.api.core.mutations import BaseMutation, Payload
from marketplace.catalog import media as media_service
from marketplace.catalog import selectors
from marketplace.catalog.models import Product as ProductModel
from marketplace.catalog.models import ProductMedia as ProductMediaModel
from marketplace.channels import selectors as channel_selectors
from marketplace.core.errors import permission_denied
from marketplace.sellers import permissions as seller_permissions


class ProductMediaCreateInput(graphene.InputObjectType):
    product = graphene.ID(required=True)
    image = Upload(
        required=True,
        description="A JPEG, PNG or WebP photo, at most 10 MB and 40 megapixels.",
    )
    alt = graphene.String(description="What the photo shows, for screen readers.")


class ProductMediaMutation(Payload):
    media = graphene.Field(ProductMedia)
    product = graphene.Field(Product)


def _require_signed_in(info) -> None:
    # Before any lookup, so an anonymous caller learns nothing about which IDs exist.
    if not seller_permissions.is_authenticated(info.context.user):
        raise permission_denied()


def _product_page(product_id: int):
    """The product as its page shows it (one query, photos included)."""
    return selectors.load_product(channel_selectors.channel_by_slug(None), pk=product_id)


class ProductMediaCreate(BaseMutation):
    """Adds a photo to a product. Thumbnails are made in the background; until then the
    photo's `url(size:)` gives the original."""

    class Meta:
        output = ProductMediaMutation

    class Arguments:
        input = ProductMediaCreateInput(required=True)

    @classmethod
    def perform(cls, info, input):
        _require_signed_in(info)
        product = get_instance(
            ProductModel.objects.select_related("seller"), input.product, "Product", field="product"
        )
        media = media_service.add_product_media(
            actor=info.context.user,
            product=product,
            upload=input.get("image"),
            alt=input.get("alt"),
        )
        return ProductMediaMutation.ok(media=media, product=_product_page(product.pk))


class ProductMediaDelete(BaseMutation):
    """Deletes a photo and its thumbnails; returns the photo as it was and the product."""

    class Meta:
        output = ProductMediaMutation

    class Arguments:
        id = graphene.ID(required=True)

    @classmethod
    def perform(cls, info, id):
        _require_signed_in(info)
        media = get_instance(ProductMediaModel.objects.all(), id, "ProductMedia", field="id")
        deleted = media_service.delete_product_media(actor=info.context.user, media=media)
        return ProductMediaMutation.ok(media=deleted, product=_product_page(deleted.product_id))


class ProductMediaReorder(BaseMutation):
    """Puts a product's photos in the given order (all of its photos, each once); the
    first is the product's thumbnail."""

    class Meta:
        output = ProductMediaMutation

    class Arguments:
        product_id = graphene.ID(required=True)
        media_ids = graphene.List(graphene.NonNull(graphene.ID), required=True)

    @classmethod
    def perform(cls, info, product_id, media_ids):
        _require_signed_in(info)
        product = get_instance(
            ProductModel.objects.select_related("seller"), product_id, "Product", field="productId"
        )
        ids = [decode_id(value, "ProductMedia", field="mediaIds") for value in media_ids]
        media_service.reorder_product_media(actor=info.context.user, product=product, media_ids=ids)
        return ProductMediaMutation.ok(product=_product_page(product.pk))
