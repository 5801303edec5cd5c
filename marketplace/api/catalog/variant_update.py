"""`productVariantUpdate`: a variant's name (its unit) and weight, as the panel's product
form edits them. Prices and stock have their own mutations."""

from __future__ import annotations

import graphene

from marketplace.api.catalog.mutations import ProductVariantMutation, _require_signed_in
from marketplace.api.core.ids import get_instance
from marketplace.api.core.mutations import BaseMutation
from marketplace.catalog import services
from marketplace.catalog.models import ProductVariant as ProductVariantModel


class ProductVariantUpdateInput(graphene.InputObjectType):
    name = graphene.String(description='What one unit is, e.g. "500 g jar".')
    weight = graphene.Float(description="Kilograms.")


class ProductVariantUpdate(BaseMutation):
    class Meta:
        output = ProductVariantMutation

    class Arguments:
        id = graphene.ID(required=True)
        input = ProductVariantUpdateInput(required=True)

    @classmethod
    def perform(cls, info, id, input):
        _require_signed_in(info)
        variant = get_instance(ProductVariantModel.objects.all(), id, "ProductVariant", field="id")
        variant = services.update_variant(
            actor=info.context.user,
            variant=variant,
            name=input.get("name"),
            weight=input.get("weight"),
        )
        return ProductVariantMutation.ok(product_variant=variant)


class VariantUpdateMutations(graphene.ObjectType):
    product_variant_update = ProductVariantUpdate.Field()
