"""Order queries and mutations: reading orders and shipments, paying again, canceling,
refunding. Only translation: the rules are in marketplace.orders and marketplace.payments."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

import graphene
from django.utils.translation import gettext_lazy as _
from graphql import GraphQLError

from marketplace.api.checkout.schema import CheckoutComplete, payment_start_errors
from marketplace.api.core.connection import connection_field, paginate
from marketplace.api.core.errors import query_error
from marketplace.api.core.ids import decode_id
from marketplace.api.core.mutations import BaseMutation, Payload
from marketplace.api.orders.types import Order, Shipment
from marketplace.core.errors import DomainError, ErrorCode
from marketplace.orders import paying, selectors, services
from marketplace.orders.models import ShipmentStatus
from marketplace.payments import selectors as payment_selectors
from marketplace.payments import services as payment_services


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


class OrderPay(BaseMutation):
    """The buyer pays an UNCONFIRMED order again after a failed or abandoned payment,
    with the same or another gateway."""

    owns_transaction = True

    class Meta:
        output = CheckoutComplete

    class Arguments:
        id = graphene.ID(required=True, description="The order's ID.")
        payment_gateway = graphene.String(required=True)
        redirect_url = graphene.String(
            description="Where an online gateway sends the buyer back to."
        )

    @classmethod
    def perform(cls, info, id, payment_gateway, redirect_url=None):
        order = _order_or_not_found(info, id)
        order, payment = paying.pay_order(
            actor=info.context.user, order=order, gateway=payment_gateway, redirect_url=redirect_url
        )
        return CheckoutComplete(order=order, payment=payment, errors=payment_start_errors(payment))


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


class OrderRefund(BaseMutation):
    """Platform staff: give money back through the gateway that took it, never more
    than was captured less what was refunded."""

    owns_transaction = True

    class Meta:
        output = OrderMutation

    class Arguments:
        id = graphene.ID(required=True)
        amount = graphene.Float(required=True)

    @classmethod
    def perform(cls, info, id, amount):
        order = _order_or_not_found(info, id)
        payment = payment_selectors.refundable_payment(order)
        if payment is None:
            raise DomainError.of(
                ErrorCode.INVALID_STATUS, "id", _("Nothing was paid online for this order.")
            )
        try:
            value = Decimal(str(amount))
        except InvalidOperation:
            raise DomainError.of(ErrorCode.INVALID, "amount") from None
        if not value.is_finite():
            raise DomainError.of(ErrorCode.INVALID, "amount")
        payment_services.refund_payment(
            actor=info.context.user, payment=payment, amount=value, reason="staff"
        )
        return OrderMutation.ok(order=selectors.order_for_user(info.context.user, order.pk))


class OrderMutations(graphene.ObjectType):
    order_pay = OrderPay.Field()
    order_cancel = OrderCancel.Field()
    order_refund = OrderRefund.Field()
