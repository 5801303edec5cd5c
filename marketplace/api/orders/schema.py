"""Order queries and mutations: reading orders and shipments, canceling. Only
translation: the rules are in marketplace.orders."""

from __future__ import annotations

import graphene
from django.utils.translation import gettext_lazy as _
from graphql import GraphQLError

from marketplace.api.core.connection import connection_field, paginate
from marketplace.api.core.errors import query_error
from marketplace.api.core.ids import decode_id
from marketplace.api.core.mutations import BaseMutation, Payload
from marketplace.api.orders.types import Order, Shipment
from marketplace.core.errors import DomainError, ErrorCode
from marketplace.orders import selectors, services
from marketplace.orders.models import ShipmentStatus


def _order_or_not_found(info, value: str) -> object:
    order = selectors.order_for_user(info.context.user, decode_id(value, "Order", field="id"))
    if order is None:
        raise DomainError.of(ErrorCode.NOT_FOUND, "id")
    return order


# ---------------------------------------------------------------- queries


class ShipmentFilterInput(graphene.InputObjectType):
    status = graphene.List(
        graphene.NonNull(graphene.String),
        description="UNFULFILLED PACKED SHIPPED DELIVERED CANCELED RETURNED",
    )


def _statuses(filter_input) -> list[str] | None:
    statuses = (filter_input or {}).get("status")
    if not statuses:
        return None
    unknown = sorted(set(statuses) - set(ShipmentStatus.values))
    if unknown:
        raise GraphQLError(
            str(_("Unknown shipment status: %(value)s.") % {"value": ", ".join(unknown)[:100]}),
            extensions={"code": ErrorCode.INVALID.value, "field": "filter.status"},
        )
    return list(statuses)


class OrderQueries(graphene.ObjectType):
    order = graphene.Field(
        Order,
        id=graphene.ID(required=True),
        description="Its buyer, the staff of its fulfillers (their part) and platform staff.",
    )
    orders = connection_field(
        "Order", Order, description="The signed-in buyer's orders, newest first."
    )
    shipments = connection_field(
        "Shipment",
        Shipment,
        filter=ShipmentFilterInput(),
        description="The shipments of the caller's cooperatives and seller, newest first.",
    )

    @staticmethod
    def resolve_order(root, info, id):
        try:
            pk = decode_id(id, "Order", field="id")
        except DomainError as exc:
            raise query_error(exc) from None
        return selectors.order_for_user(info.context.user, pk)

    @staticmethod
    def resolve_orders(root, info, first=None, after=None):
        return paginate(selectors.orders_of_buyer(info.context.user), first=first, after=after)

    @staticmethod
    def resolve_shipments(root, info, filter=None, first=None, after=None):
        rows = selectors.shipments_of_user(info.context.user, statuses=_statuses(filter))
        return paginate(rows, first=first, after=after)


# ---------------------------------------------------------------- mutations


class OrderMutation(Payload):
    order = graphene.Field(Order)


class OrderCancel(BaseMutation):
    """The buyer before anything has shipped, or platform staff: the items go back to
    stock and a promo code's use is given back."""

    class Meta:
        output = OrderMutation

    class Arguments:
        id = graphene.ID(required=True)

    @classmethod
    def perform(cls, info, id):
        order = _order_or_not_found(info, id)
        order = services.cancel_order(actor=info.context.user, order=order)
        return OrderMutation.ok(order=order)


class OrderMutations(graphene.ObjectType):
    order_cancel = OrderCancel.Field()
