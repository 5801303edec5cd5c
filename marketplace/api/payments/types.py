"""Payments in the API: a payment's status, amount and the action the client takes next."""

from __future__ import annotations

import graphene
from graphene import relay

from marketplace.api.core.money import Money, money
from marketplace.api.core.types import ModelObjectType
from marketplace.orders import selectors as order_selectors
from marketplace.payments.gateways import PaymentAction as PaymentActionData
from marketplace.payments.models import Payment as PaymentModel
from marketplace.payments.models import PaymentStatus as PaymentStatusChoices

PaymentStatus = graphene.Enum.from_enum(
    PaymentStatusChoices, name="PaymentStatus", description="Where a payment stands."
)


class PaymentAction(graphene.ObjectType):
    """What the client does next: send the buyer to `url` (REDIRECT), or confirm the
    payment with `clientSecret` (CLIENT_SECRET)."""

    kind = graphene.String(required=True, description="REDIRECT or CLIENT_SECRET.")
    url = graphene.String()
    client_secret = graphene.String()


class Payment(ModelObjectType):
    gateway = graphene.String(required=True)
    status = graphene.Field(PaymentStatus, required=True)
    total = graphene.Field(graphene.NonNull(Money))
    action = graphene.Field(PaymentAction)
    psp_reference = graphene.String(
        description="The gateway's id for it (authority, PaymentIntent id)."
    )
    captured_amount = graphene.Field(graphene.NonNull(Money))
    refunded_amount = graphene.Field(graphene.NonNull(Money))
    created = graphene.DateTime(required=True)

    class Meta:
        model = PaymentModel
        interfaces = (relay.Node,)

    @staticmethod
    def resolve_status(root: PaymentModel, info):
        return root.status

    @staticmethod
    def resolve_total(root: PaymentModel, info):
        return money(root.total, root.currency)

    @staticmethod
    def resolve_psp_reference(root: PaymentModel, info):
        return root.psp_reference or None

    @staticmethod
    def resolve_captured_amount(root: PaymentModel, info):
        return money(root.captured_amount, root.currency)

    @staticmethod
    def resolve_refunded_amount(root: PaymentModel, info):
        return money(root.refunded_amount, root.currency)

    @staticmethod
    def resolve_action(root: PaymentModel, info):
        # The action matters only while the payment waits for the buyer.
        if root.status != PaymentStatusChoices.PENDING:
            return None
        return PaymentActionData.from_json(root.action)

    @classmethod
    def get_node(cls, info, id):
        payment = PaymentModel.objects.filter(pk=id).only("pk", "order_id").first()
        if payment is None:
            return None
        order = order_selectors.order_for_user(info.context.user, payment.order_id)
        # Fulfillers see their part of an order, never its payments.
        if order is None or order_selectors.scope_of(order) is not None:
            return None
        return PaymentModel.objects.filter(pk=id).first()
