"""Owners manage their delivery: zones, methods and rates."""

from __future__ import annotations

import graphene

from marketplace.api.core import batch
from marketplace.api.core.errors import query_error
from marketplace.api.core.ids import decode_id, get_instance, get_optional_instance
from marketplace.api.core.mutations import BaseMutation, Payload
from marketplace.api.shipping.types import DeliveryMethod, DeliveryMethodKind, ShippingZone
from marketplace.channels.selectors import channel_by_slug
from marketplace.core.errors import DomainError, ErrorCode, ErrorCollector, permission_denied
from marketplace.inventory.models import Warehouse
from marketplace.locations.models import Province
from marketplace.sellers.models import Cooperative, Seller
from marketplace.shipping import selectors, services
from marketplace.shipping.models import DeliveryMethod as DeliveryMethodModel
from marketplace.shipping.models import ShippingZone as ShippingZoneModel

MAX_IDS = 100


def _instances(model, values: list[str] | None, type_name: str, *, field: str) -> list | None:
    """The objects a list of global IDs names, in one query; NOT_FOUND on `field.<i>`."""
    if values is None:
        return None
    if len(values) > MAX_IDS:
        raise DomainError.of(ErrorCode.INVALID, field)
    errors = ErrorCollector()
    keys: list[int | None] = []
    for i, value in enumerate(values):
        try:
            keys.append(decode_id(value, type_name, field=f"{field}.{i}"))
        except DomainError as exc:
            errors.extend(exc)
            keys.append(None)
    found = model.objects.in_bulk([k for k in keys if k is not None])
    for i, key in enumerate(keys):
        if key is not None and key not in found:
            errors.add(ErrorCode.NOT_FOUND, f"{field}.{i}")
    errors.raise_if_any()
    return [found[k] for k in keys]


def _owner(input) -> tuple[Cooperative | None, Seller | None]:
    cooperative = get_optional_instance(
        Cooperative.objects.all(), input.get("cooperative"), "Cooperative", field="cooperative"
    )
    seller = get_optional_instance(
        Seller.objects.all(), input.get("seller"), "Seller", field="seller"
    )
    return cooperative, seller


def _rates(values) -> list[services.RateInput] | None:
    if values is None:
        return None
    return [
        services.RateInput(
            channel=value.get("channel"),
            price=value.get("price"),
            max_weight=value.get("max_weight"),
            free_above=value.get("free_above"),
        )
        for value in values
    ]


def _kind(value) -> str | None:
    return getattr(value, "value", value)


# ---------- queries


class ShippingQueries(graphene.ObjectType):
    delivery_methods = graphene.List(
        graphene.NonNull(DeliveryMethod),
        required=True,
        cooperative=graphene.ID(),
        seller=graphene.ID(),
        channel=graphene.String(description="Prices in this channel (default: the default one)."),
        include_inactive=graphene.Boolean(default_value=False),
        description="One owner's delivery methods: a cooperative's (its staff), a seller's "
        "(the seller and its cooperative's staff) or, with neither, the platform's "
        "(everyone; inactive ones only for platform staff).",
    )
    shipping_zones = graphene.List(graphene.NonNull(ShippingZone), required=True)

    @staticmethod
    def resolve_delivery_methods(
        root, info, cooperative=None, seller=None, channel=None, include_inactive=False
    ):
        user = info.context.user
        try:
            owner_cooperative, owner_seller = _owner({"cooperative": cooperative, "seller": seller})
            if owner_cooperative is not None and owner_seller is not None:
                raise DomainError.of(ErrorCode.INVALID, "seller")
            may_manage = selectors.can_manage_methods(
                user,
                cooperative=owner_cooperative,
                seller=owner_seller,
                perm="shipping.view_deliverymethod",
            )
            is_platform_list = owner_cooperative is None and owner_seller is None
            if not may_manage and not is_platform_list:
                raise permission_denied()
            price_channel = channel_by_slug(channel)
        except DomainError as exc:
            raise query_error(exc) from None
        methods = list(
            selectors.methods_of_owner(
                cooperative=owner_cooperative,
                seller=owner_seller,
                active_only=not (include_inactive and may_manage),
            )
        )
        selectors.attach_rates(methods, price_channel)
        return batch.mark_siblings(methods)

    @staticmethod
    def resolve_shipping_zones(root, info):
        return batch.mark_siblings(list(selectors.zones()))


# ---------- zones


class ShippingZoneInput(graphene.InputObjectType):
    name = graphene.String(required=True)
    countries = graphene.List(graphene.NonNull(graphene.String), description="ISO alpha-2 codes.")
    provinces = graphene.List(graphene.NonNull(graphene.ID))


class ShippingZoneUpdateInput(graphene.InputObjectType):
    name = graphene.String()
    countries = graphene.List(graphene.NonNull(graphene.String), description="Replaces the list.")
    provinces = graphene.List(graphene.NonNull(graphene.ID), description="Replaces the list.")


class ShippingZoneMutation(Payload):
    shipping_zone = graphene.Field(ShippingZone)


class ShippingZoneCreate(BaseMutation):
    """Any cooperative's staff, seller or platform staff may add a zone."""

    class Meta:
        output = ShippingZoneMutation

    class Arguments:
        input = ShippingZoneInput(required=True)

    @classmethod
    def perform(cls, info, input):
        zone = services.create_zone(
            actor=info.context.user,
            name=input.get("name"),
            countries=input.get("countries"),
            provinces=_instances(Province, input.get("provinces"), "Province", field="provinces"),
        )
        return ShippingZoneMutation.ok(shipping_zone=zone)


class ShippingZoneUpdate(BaseMutation):
    """Platform staff only: other owners' methods may use the zone."""

    class Meta:
        output = ShippingZoneMutation

    class Arguments:
        id = graphene.ID(required=True)
        input = ShippingZoneUpdateInput(required=True)

    @classmethod
    def perform(cls, info, id, input):
        zone = get_instance(ShippingZoneModel.objects.all(), id, "ShippingZone", field="id")
        zone = services.update_zone(
            actor=info.context.user,
            zone=zone,
            name=input.get("name"),
            countries=input.get("countries"),
            provinces=_instances(Province, input.get("provinces"), "Province", field="provinces"),
        )
        return ShippingZoneMutation.ok(shipping_zone=zone)


class ShippingZoneDelete(BaseMutation):
    class Meta:
        output = ShippingZoneMutation

    class Arguments:
        id = graphene.ID(required=True)

    @classmethod
    def perform(cls, info, id):
        zone = get_instance(ShippingZoneModel.objects.all(), id, "ShippingZone", field="id")
        services.delete_zone(actor=info.context.user, zone=zone)
        return ShippingZoneMutation.ok(shipping_zone=None)


# ---------- methods


class DeliveryRateInput(graphene.InputObjectType):
    channel = graphene.String(required=True, description="The channel's slug, e.g. ir.")
    price = graphene.Float(required=True, description="In the channel currency's units.")
    max_weight = graphene.Float(description="Up to this many kilograms; null: any weight.")
    free_above = graphene.Float(description="Free when the subtotal reaches this.")


class DeliveryMethodCreateInput(graphene.InputObjectType):
    name = graphene.String(required=True)
    name_en = graphene.String()
    kind = DeliveryMethodKind(required=True)
    cooperative = graphene.ID(description="Owner; with no seller either: the platform.")
    seller = graphene.ID(description="Owner; with no cooperative either: the platform.")
    zones = graphene.List(graphene.NonNull(graphene.ID), required=True)
    rates = graphene.List(graphene.NonNull(DeliveryRateInput), required=True)
    pickup_warehouse = graphene.ID(description="PICKUP only: a warehouse of the owner.")
    min_days = graphene.Int()
    max_days = graphene.Int()
    is_active = graphene.Boolean()


class DeliveryMethodUpdateInput(graphene.InputObjectType):
    name = graphene.String()
    name_en = graphene.String()
    kind = DeliveryMethodKind()
    zones = graphene.List(graphene.NonNull(graphene.ID), description="Replaces the list.")
    rates = graphene.List(graphene.NonNull(DeliveryRateInput), description="Replaces the list.")
    pickup_warehouse = graphene.ID(description="Null clears it; left out keeps it.")
    min_days = graphene.Int(description="Null clears it; left out keeps it.")
    max_days = graphene.Int(description="Null clears it; left out keeps it.")
    is_active = graphene.Boolean()


class DeliveryMethodMutation(Payload):
    delivery_method = graphene.Field(DeliveryMethod)


def _warehouse(value) -> Warehouse | None:
    return get_optional_instance(
        Warehouse.objects.all(), value, "Warehouse", field="pickupWarehouse"
    )


class DeliveryMethodCreate(BaseMutation):
    class Meta:
        output = DeliveryMethodMutation

    class Arguments:
        input = DeliveryMethodCreateInput(required=True)

    @classmethod
    def perform(cls, info, input):
        cooperative, seller = _owner(input)
        is_active = input.get("is_active")
        method = services.create_method(
            actor=info.context.user,
            name=input.get("name"),
            name_en=input.get("name_en"),
            kind=_kind(input.get("kind")),
            cooperative=cooperative,
            seller=seller,
            zones=_instances(ShippingZoneModel, input.get("zones"), "ShippingZone", field="zones"),
            rates=_rates(input.get("rates")),
            pickup_warehouse=_warehouse(input.get("pickup_warehouse")),
            min_days=input.get("min_days"),
            max_days=input.get("max_days"),
            is_active=True if is_active is None else is_active,
        )
        return DeliveryMethodMutation.ok(delivery_method=method)


class DeliveryMethodUpdate(BaseMutation):
    class Meta:
        output = DeliveryMethodMutation

    class Arguments:
        id = graphene.ID(required=True)
        input = DeliveryMethodUpdateInput(required=True)

    @classmethod
    def perform(cls, info, id, input):
        method = get_instance(DeliveryMethodModel.objects.all(), id, "DeliveryMethod", field="id")
        # Left out keeps a value; an explicit null clears it.
        optional = {name: input[name] for name in ("min_days", "max_days") if name in input}
        if "pickup_warehouse" in input:
            optional["pickup_warehouse"] = _warehouse(input["pickup_warehouse"])
        method = services.update_method(
            actor=info.context.user,
            method=method,
            name=input.get("name"),
            name_en=input.get("name_en"),
            kind=_kind(input.get("kind")),
            zones=_instances(ShippingZoneModel, input.get("zones"), "ShippingZone", field="zones"),
            rates=_rates(input.get("rates")),
            is_active=input.get("is_active"),
            **optional,
        )
        return DeliveryMethodMutation.ok(delivery_method=method)


class DeliveryMethodDeactivate(BaseMutation):
    class Meta:
        output = DeliveryMethodMutation

    class Arguments:
        id = graphene.ID(required=True)

    @classmethod
    def perform(cls, info, id):
        method = get_instance(DeliveryMethodModel.objects.all(), id, "DeliveryMethod", field="id")
        method = services.deactivate_method(actor=info.context.user, method=method)
        return DeliveryMethodMutation.ok(delivery_method=method)


class ShippingMutations(graphene.ObjectType):
    shipping_zone_create = ShippingZoneCreate.Field()
    shipping_zone_update = ShippingZoneUpdate.Field()
    shipping_zone_delete = ShippingZoneDelete.Field()
    delivery_method_create = DeliveryMethodCreate.Field()
    delivery_method_update = DeliveryMethodUpdate.Field()
    delivery_method_deactivate = DeliveryMethodDeactivate.Field()
