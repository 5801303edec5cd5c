"""Delivery in the API: methods with their price, rates and zones.

`DeliveryMethod.price` is the method's price in a context: a method priced for one
checkout group by the shipping selectors (`with_price` / `priced_methods_for_groups`)
shows that price; any other shows its lightest bracket, in the channel its rates were
loaded for, else in the default channel.
"""

from __future__ import annotations

import graphene
from graphene import relay

from marketplace.api.core import batch
from marketplace.api.core.i18n import localized
from marketplace.api.core.money import Money, money
from marketplace.api.core.types import ModelObjectType
from marketplace.api.inventory.types import Warehouse
from marketplace.api.locations.types import Province
from marketplace.api.sellers.types import Cooperative, Seller
from marketplace.channels.models import Channel
from marketplace.inventory.models import Warehouse as WarehouseModel
from marketplace.sellers import selectors as seller_selectors
from marketplace.shipping import selectors
from marketplace.shipping.models import DeliveryKind
from marketplace.shipping.models import DeliveryMethod as DeliveryMethodModel
from marketplace.shipping.models import DeliveryRate as DeliveryRateModel
from marketplace.shipping.models import ShippingZone as ShippingZoneModel

DeliveryMethodKind = graphene.Enum.from_enum(
    DeliveryKind, name="DeliveryMethodKind", description="How a delivery method delivers."
)


class ShippingZone(ModelObjectType):
    name = graphene.String(required=True)
    countries = graphene.List(
        graphene.NonNull(graphene.String),
        required=True,
        description="Whole countries (ISO 3166-1 alpha-2 codes).",
    )
    provinces = graphene.List(graphene.NonNull(Province), required=True)

    class Meta:
        model = ShippingZoneModel
        interfaces = (relay.Node,)

    @staticmethod
    def resolve_countries(root: ShippingZoneModel, info) -> list[str]:
        return list(root.countries)

    @staticmethod
    def resolve_provinces(root: ShippingZoneModel, info):
        if "provinces" in getattr(root, "_prefetched_objects_cache", {}):
            return list(root.provinces.all())
        return batch.load(
            info,
            "shippingZone.provinces",
            root,
            key=lambda z: z.pk,
            fetch=selectors.provinces_by_zone,
            default=list,
        )

    @classmethod
    def get_node(cls, info, id):
        return ShippingZoneModel.objects.filter(pk=id).first()


class DeliveryRate(graphene.ObjectType):
    """One weight bracket in one channel."""

    channel = graphene.String(required=True, description="The channel's slug.")
    max_weight = graphene.Float(description="Up to this many kilograms; null: any weight.")
    price = graphene.Field(graphene.NonNull(Money))
    free_above = graphene.Field(Money, description="Free when the subtotal reaches this.")

    @staticmethod
    def resolve_channel(root: DeliveryRateModel, info) -> str:
        return root.channel.slug

    @staticmethod
    def resolve_max_weight(root: DeliveryRateModel, info) -> float | None:
        return float(root.max_weight) if root.max_weight is not None else None

    @staticmethod
    def resolve_price(root: DeliveryRateModel, info):
        return money(root.price, root.channel.currency_code)

    @staticmethod
    def resolve_free_above(root: DeliveryRateModel, info):
        if root.free_above is None:
            return None
        return money(root.free_above, root.channel.currency_code)


def _default_channel(info) -> Channel | None:
    context = info.context
    if not hasattr(context, "_default_channel"):
        context._default_channel = Channel.objects.filter(is_default=True).first()
    return context._default_channel


class DeliveryMethod(ModelObjectType):
    name = graphene.String(required=True)
    kind = graphene.Field(DeliveryMethodKind, required=True)
    price = graphene.Field(
        graphene.NonNull(Money),
        description="For a checkout group: its price there. Elsewhere: the lightest "
        "bracket's price.",
    )
    min_days = graphene.Int()
    max_days = graphene.Int()
    is_active = graphene.Boolean(required=True)
    cooperative = graphene.Field(Cooperative, description="The owner; both null: the platform.")
    seller = graphene.Field(Seller, description="The owner; both null: the platform.")
    pickup_point = graphene.Field(Warehouse, description="Where PICKUP parcels wait.")
    zones = graphene.List(graphene.NonNull(ShippingZone), required=True)
    rates = graphene.List(
        graphene.NonNull(DeliveryRate),
        required=True,
        channel=graphene.String(description="Only this channel's rates (slug)."),
    )

    class Meta:
        model = DeliveryMethodModel
        interfaces = (relay.Node,)

    @staticmethod
    def resolve_name(root: DeliveryMethodModel, info) -> str:
        return localized(info, root.name, root.name_en)

    @staticmethod
    def resolve_kind(root: DeliveryMethodModel, info):
        return root.kind

    @staticmethod
    def resolve_price(root: DeliveryMethodModel, info):
        price = getattr(root, selectors.PRICE_ATTR, None)
        if price is not None:
            return money(price, getattr(root, selectors.CURRENCY_ATTR))
        attached = getattr(root, selectors.RATES_ATTR, None)
        if attached:
            return money(attached[0].price, attached[0].channel.currency_code)
        channel_id = getattr(root, selectors.RATES_CHANNEL_ATTR, None)
        rate = batch.load(
            info,
            "deliveryMethod.baseRate",
            root,
            key=lambda m: (m.pk, getattr(m, selectors.RATES_CHANNEL_ATTR, None)),
            fetch=_base_rates,
        )
        if rate is not None:
            return money(rate.price, rate.channel.currency_code)
        # A method without any rate is never offered; show zero in a sensible currency.
        channel = Channel.objects.filter(pk=channel_id).first() if channel_id else None
        channel = channel or _default_channel(info)
        return money(0, channel.currency_code if channel else "IRR")

    @staticmethod
    def resolve_cooperative(root: DeliveryMethodModel, info):
        if DeliveryMethodModel.cooperative.is_cached(root):
            return root.cooperative
        return batch.load(
            info,
            "deliveryMethod.cooperative",
            root,
            key=lambda m: m.cooperative_id,
            fetch=seller_selectors.cooperatives_by_id,
        )

    @staticmethod
    def resolve_seller(root: DeliveryMethodModel, info):
        if root.seller_id is None:
            return None
        user = info.context.user
        return batch.load(
            info,
            "deliveryMethod.seller",
            root,
            key=lambda m: m.seller_id,
            fetch=lambda ids: seller_selectors.visible_sellers(user).in_bulk(ids),
        )

    @staticmethod
    def resolve_pickup_point(root: DeliveryMethodModel, info):
        if DeliveryMethodModel.pickup_warehouse.is_cached(root):
            return root.pickup_warehouse
        return batch.load(
            info,
            "deliveryMethod.pickupPoint",
            root,
            key=lambda m: m.pickup_warehouse_id,
            fetch=lambda ids: WarehouseModel.objects.in_bulk(ids),
        )

    @staticmethod
    def resolve_zones(root: DeliveryMethodModel, info):
        if "zones" in getattr(root, "_prefetched_objects_cache", {}):
            zones = list(root.zones.all())
            return batch.mark_siblings(zones, keep_existing=True)
        return batch.load(
            info,
            "deliveryMethod.zones",
            root,
            key=lambda m: m.pk,
            fetch=selectors.zones_by_method,
            default=list,
        )

    @staticmethod
    def resolve_rates(root: DeliveryMethodModel, info, channel: str | None = None):
        rates = batch.load(
            info,
            "deliveryMethod.rates",
            root,
            key=lambda m: m.pk,
            fetch=selectors.all_rates_by_method,
            default=list,
        )
        return [r for r in rates if channel is None or r.channel.slug == channel]

    @classmethod
    def get_node(cls, info, id):
        return DeliveryMethodModel.objects.filter(pk=id).first()


def _base_rates(keys: list[tuple[int, int | None]]) -> dict:
    by_channel: dict[int | None, list[int]] = {}
    for method_id, channel_id in keys:
        by_channel.setdefault(channel_id, []).append(method_id)
    result = {}
    for channel_id, method_ids in by_channel.items():
        for method_id, rate in selectors.base_rates(method_ids, channel_id=channel_id).items():
            result[(method_id, channel_id)] = rate
    return result
