"""Checkout types.

Everything a checkout shows comes from one CheckoutInfo (marketplace.checkout.info) per
checkout and request, kept on the request: a mutation hands over the one its service
built, a query builds it once. Lines, groups and totals are then plain attribute reads;
the variants' own fields (stock, photos) are batch-loaded for all lines at once. So the
queries of a checkout do not grow with its lines or groups.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import graphene
from django.utils.translation import gettext_lazy as _
from graphene import relay

from marketplace.api.accounts.addresses import Address
from marketplace.api.catalog.types import ProductVariant
from marketplace.api.channels.types import Channel
from marketplace.api.core import batch
from marketplace.api.core.ids import decode_global_id, to_global_id
from marketplace.api.core.money import Money, TaxedMoney, money, taxed_money
from marketplace.api.core.types import ModelObjectType
from marketplace.api.sellers.types import Cooperative, Seller
from marketplace.api.shipping.types import DeliveryMethod
from marketplace.checkout import selectors
from marketplace.checkout.info import CheckoutInfo, GroupInfo, LineInfo, build_checkout_info
from marketplace.checkout.models import Checkout as CheckoutModel
from marketplace.checkout.models import CheckoutLine as CheckoutLineModel
from marketplace.shipping.selectors import with_price

CHECKOUT_TYPE = "Checkout"
GROUP_TYPE = "CheckoutGroup"
_STORE = "_checkout_infos"


class Fulfiller(graphene.Union):
    """Who packs and ships a group of lines: the seller's cooperative, or the seller."""

    class Meta:
        types = (Cooperative, Seller)


class PaymentGateway(graphene.ObjectType):
    id = graphene.String(required=True)
    name = graphene.String(required=True)

    @staticmethod
    def resolve_name(root, info) -> str:
        return str(root.name)


# ---------------------------------------------------------------- ids


def decode_token(value: str | None, *, field: str = "id") -> uuid.UUID:
    """The token inside a Checkout global ID; the bare token is accepted too."""
    bare = selectors.parse_token(value) if value else None
    if bare is not None:
        return bare
    return decode_global_id(value, CHECKOUT_TYPE, field=field, parse=selectors.parse_token)


def group_id(checkout: CheckoutModel, group: GroupInfo) -> str:
    return to_global_id(GROUP_TYPE, f"{checkout.pk}:{group.key}")


def decode_group(value: str | None, checkout: CheckoutModel, *, field: str = "groupId") -> str:
    """The group key ("c12", "s7") inside a CheckoutGroup ID of this checkout."""

    def key_of_this_checkout(raw: str) -> str | None:
        token, _sep, key = raw.rpartition(":")
        if token != str(checkout.pk) or len(key) < 2:
            return None
        return key if key[0] in "cs" and key[1:].isdigit() else None

    return decode_global_id(
        value,
        GROUP_TYPE,
        field=field,
        parse=key_of_this_checkout,
        message=_("This group is not part of this checkout."),
    )


# ---------------------------------------------------------------- the request's infos


@dataclass
class LineView:
    line: LineInfo
    currency: str


@dataclass
class GroupView:
    checkout: CheckoutModel
    info: CheckoutInfo
    group: GroupInfo
    lines: list[LineView]


def remember(info, checkout_info: CheckoutInfo) -> CheckoutInfo:
    """Keep a service's result for the rest of the request, ready for batch loading."""
    checkout = checkout_info.checkout
    channel = checkout.channel
    variants = []
    for line in checkout_info.lines:
        variant = line.variant
        # The catalogue types read the checkout's channel price from these: no query.
        variant.context_channel = channel
        variant.price_amount = line.unit_price
        variant.price_currency = checkout_info.currency
        variants.append(variant)
    batch.mark_siblings(variants)
    batch.mark_siblings([line.variant.product for line in checkout_info.lines])
    batch.mark_siblings([g.seller for g in checkout_info.groups if g.seller is not None])
    batch.mark_siblings([g.cooperative for g in checkout_info.groups if g.cooperative])
    _store(info)[checkout.pk] = checkout_info
    return checkout_info


def checkout_info(info, checkout: CheckoutModel) -> CheckoutInfo:
    found = _store(info).get(checkout.pk)
    if found is None:
        found = remember(info, build_checkout_info(checkout))
    return found


def _store(info) -> dict:
    store = getattr(info.context, _STORE, None)
    if store is None:
        store = {}
        setattr(info.context, _STORE, store)
    return store


def _line_views(checkout_info: CheckoutInfo, lines: list[LineInfo]) -> list[LineView]:
    return [LineView(line, checkout_info.currency) for line in lines]


# ---------------------------------------------------------------- types


class CheckoutLine(graphene.ObjectType):
    variant = graphene.Field(graphene.NonNull(ProductVariant))
    quantity = graphene.Int(required=True)
    unit_price = graphene.Field(
        TaxedMoney, description="Null when the product is not sold in the checkout's channel."
    )
    total_price = graphene.Field(graphene.NonNull(TaxedMoney))
    is_available = graphene.Boolean(
        required=True,
        description="Whether it can still be bought: published, from an approved seller, "
        "priced in the channel. Unavailable lines must be removed before completing.",
    )

    class Meta:
        interfaces = (relay.Node,)

    @classmethod
    def is_type_of(cls, root, info) -> bool:
        return isinstance(root, LineView)

    @staticmethod
    def resolve_id(root: LineView, info) -> int:
        return root.line.line.pk

    @staticmethod
    def resolve_variant(root: LineView, info):
        return root.line.variant

    @staticmethod
    def resolve_quantity(root: LineView, info) -> int:
        return root.line.line.quantity

    @staticmethod
    def resolve_unit_price(root: LineView, info):
        if root.line.unit_price is None:
            return None
        return taxed_money(root.line.unit_price, root.currency)

    @staticmethod
    def resolve_total_price(root: LineView, info):
        return taxed_money(root.line.total, root.currency)

    @staticmethod
    def resolve_is_available(root: LineView, info) -> bool:
        return root.line.is_sellable

    @classmethod
    def get_node(cls, info, id):
        if not str(id).isdigit():
            return None
        token = (
            CheckoutLineModel.objects.filter(pk=int(id))
            .values_list("checkout_id", flat=True)
            .first()
        )
        checkout = selectors.checkout_for(info.context.user, token) if token else None
        if checkout is None:
            return None
        found = checkout_info(info, checkout)
        return next(
            (LineView(li, found.currency) for li in found.lines if li.line.pk == int(id)), None
        )


class CheckoutGroup(graphene.ObjectType):
    """The lines one fulfiller ships, with their own delivery method and price."""

    id = graphene.ID(required=True)
    fulfiller = graphene.Field(graphene.NonNull(Fulfiller))
    lines = graphene.List(graphene.NonNull(CheckoutLine), required=True)
    available_delivery_methods = graphene.List(
        graphene.NonNull(DeliveryMethod),
        required=True,
        description="Empty until a shipping address is set; each priced for this group.",
    )
    delivery_method = graphene.Field(DeliveryMethod)
    shipping_price = graphene.Field(graphene.NonNull(Money))
    subtotal_price = graphene.Field(graphene.NonNull(TaxedMoney))
    weight = graphene.Float(required=True, description="Kilograms.")

    @staticmethod
    def resolve_id(root: GroupView, info) -> str:
        return group_id(root.checkout, root.group)

    @staticmethod
    def resolve_fulfiller(root: GroupView, info):
        return root.group.fulfiller

    @staticmethod
    def resolve_lines(root: GroupView, info):
        return root.lines

    @staticmethod
    def resolve_available_delivery_methods(root: GroupView, info):
        return selectors.options_for(root.info)[root.group.key]

    @staticmethod
    def resolve_delivery_method(root: GroupView, info):
        method = root.group.delivery_method
        if method is None:
            return None
        # Shown with what it costs this group, not the method's lightest bracket.
        return with_price(method, root.group.shipping_price, root.info.currency)

    @staticmethod
    def resolve_shipping_price(root: GroupView, info):
        return money(root.group.shipping_price, root.info.currency)

    @staticmethod
    def resolve_subtotal_price(root: GroupView, info):
        return taxed_money(root.group.subtotal, root.info.currency)

    @staticmethod
    def resolve_weight(root: GroupView, info) -> float:
        return float(root.group.weight)


class Checkout(ModelObjectType):
    email = graphene.String()
    channel = graphene.Field(graphene.NonNull(Channel))
    lines = graphene.List(graphene.NonNull(CheckoutLine), required=True)
    groups = graphene.List(
        graphene.NonNull(CheckoutGroup),
        required=True,
        description="One per fulfiller: the seller's cooperative, or the seller.",
    )
    shipping_address = graphene.Field(Address)
    voucher_code = graphene.String()
    quantity = graphene.Int(required=True, description="Units in all lines.")
    subtotal_price = graphene.Field(graphene.NonNull(TaxedMoney))
    shipping_price = graphene.Field(graphene.NonNull(TaxedMoney))
    discount = graphene.Field(graphene.NonNull(Money))
    total_price = graphene.Field(graphene.NonNull(TaxedMoney))
    available_payment_gateways = graphene.List(graphene.NonNull(PaymentGateway), required=True)

    class Meta:
        model = CheckoutModel
        interfaces = (relay.Node,)

    @staticmethod
    def resolve_id(root: CheckoutModel, info) -> str:
        return str(root.pk)

    @staticmethod
    def resolve_email(root: CheckoutModel, info) -> str | None:
        return root.email or None

    @staticmethod
    def resolve_channel(root: CheckoutModel, info):
        return root.channel

    @staticmethod
    def resolve_lines(root: CheckoutModel, info):
        found = checkout_info(info, root)
        return _line_views(found, found.lines)

    @staticmethod
    def resolve_groups(root: CheckoutModel, info):
        found = checkout_info(info, root)
        return [GroupView(root, found, g, _line_views(found, g.lines)) for g in found.groups]

    @staticmethod
    def resolve_shipping_address(root: CheckoutModel, info):
        return root.shipping_address if root.shipping_address_id else None

    @staticmethod
    def resolve_voucher_code(root: CheckoutModel, info) -> str | None:
        return root.voucher.code if root.voucher_id else None

    @staticmethod
    def resolve_quantity(root: CheckoutModel, info) -> int:
        return selectors.total_quantity(checkout_info(info, root))

    @staticmethod
    def resolve_subtotal_price(root: CheckoutModel, info):
        found = checkout_info(info, root)
        return taxed_money(found.subtotal, found.currency)

    @staticmethod
    def resolve_shipping_price(root: CheckoutModel, info):
        found = checkout_info(info, root)
        return taxed_money(found.shipping, found.currency)

    @staticmethod
    def resolve_discount(root: CheckoutModel, info):
        found = checkout_info(info, root)
        return money(found.discount, found.currency)

    @staticmethod
    def resolve_total_price(root: CheckoutModel, info):
        found = checkout_info(info, root)
        return taxed_money(found.total, found.currency)

    @staticmethod
    def resolve_available_payment_gateways(root: CheckoutModel, info):
        return selectors.payment_gateways(root)

    @classmethod
    def get_node(cls, info, id):
        return selectors.checkout_for(info.context.user, id)
