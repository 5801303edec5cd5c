"""Returns in the API: what the buyer asked back, its status and the refund."""

from __future__ import annotations

import graphene
from django.utils.translation import gettext_lazy as _
from graphene import relay

from marketplace.api.core import batch
from marketplace.api.core.money import Money, money
from marketplace.api.core.types import ModelObjectType
from marketplace.returns import selectors, services
from marketplace.returns.models import ReturnLine as ReturnLineModel
from marketplace.returns.models import ReturnReason, ReturnStatus
from marketplace.returns.models import ReturnRequest as ReturnRequestModel
from marketplace.returns.photos import photo_url

# The status in words while the refund it owes is not made yet.
REFUND_PENDING = {
    ReturnStatus.ACCEPTED: _("Accepted, refund pending"),
    ReturnStatus.RECEIVED: _("Goods received, refund pending"),
}


class ReturnLine(graphene.ObjectType):
    line = graphene.Field(graphene.NonNull("marketplace.api.orders.types.OrderLine"))
    quantity = graphene.Int(required=True)

    @staticmethod
    def resolve_line(root: ReturnLineModel, info):
        return root.order_line


class ReturnPhoto(graphene.ObjectType):
    url = graphene.String(required=True)
    width = graphene.Int(required=True)
    height = graphene.Int(required=True)

    @staticmethod
    def resolve_url(root, info) -> str:
        return photo_url(root)


class ReturnRequest(ModelObjectType):
    order = graphene.Field(graphene.NonNull("marketplace.api.orders.types.Order"))
    status = graphene.String(
        required=True, description="REQUESTED ACCEPTED REJECTED RECEIVED REFUNDED DISPUTED CLOSED"
    )
    status_display = graphene.String(required=True, description="The status in words.")
    reason = graphene.String(
        required=True, description="DAMAGED WRONG_ITEM POOR_QUALITY MISSING_PARTS NOT_WANTED"
    )
    reason_display = graphene.String(required=True, description="The reason in words.")
    lines = graphene.List(graphene.NonNull(ReturnLine), required=True)
    refund = graphene.Field(Money, description="What was refunded, once it was.")
    refund_pending = graphene.Boolean(
        required=True,
        description="A refund is owed and not made yet (the cash is not collected yet, or "
        "the gateway refused or did not answer): it is tried again until it is made, "
        "unless it is held (`refundHeld`).",
    )
    refund_held = graphene.Boolean(
        required=True,
        description="The owed refund could not be made and is held for the platform's "
        "staff, who see to it: it is no longer tried by itself.",
    )
    amount = graphene.Field(
        graphene.NonNull(Money), description="What the returned units were paid."
    )
    text = graphene.String(required=True, description="The buyer's words.")
    note = graphene.String(required=True, description="The fulfiller's note.")
    photos = graphene.List(graphene.NonNull(ReturnPhoto), required=True)
    dispute_until = graphene.DateTime(
        description="A rejected return may be disputed by its buyer until then."
    )
    created = graphene.DateTime(required=True)

    class Meta:
        model = ReturnRequestModel
        interfaces = (relay.Node,)

    @staticmethod
    def resolve_order(root: ReturnRequestModel, info):
        from marketplace.orders.selectors import orders_seen_by

        # Only returns the caller may see are answered, and so may their orders be.
        user = info.context.user
        return batch.load(
            info,
            "return.order",
            root,
            key=lambda r: r.order_id,
            fetch=lambda ids: orders_seen_by(user, ids),
        )

    @staticmethod
    def resolve_status_display(root: ReturnRequestModel, info) -> str:
        if root.refund_pending and root.status in REFUND_PENDING:
            return str(REFUND_PENDING[ReturnStatus(root.status)])
        return str(ReturnStatus(root.status).label)

    @staticmethod
    def resolve_refund_pending(root: ReturnRequestModel, info) -> bool:
        return root.refund_pending

    @staticmethod
    def resolve_refund_held(root: ReturnRequestModel, info) -> bool:
        return root.refund_pending and root.refund_held_at is not None

    @staticmethod
    def resolve_reason_display(root: ReturnRequestModel, info) -> str:
        return str(ReturnReason(root.reason).label)

    @staticmethod
    def resolve_lines(root: ReturnRequestModel, info):
        return list(root.lines.all())

    @staticmethod
    def resolve_refund(root: ReturnRequestModel, info):
        return None if root.refunded is None else money(root.refunded, root.currency)

    @staticmethod
    def resolve_amount(root: ReturnRequestModel, info):
        return money(root.amount, root.currency)

    @staticmethod
    def resolve_photos(root: ReturnRequestModel, info):
        return list(root.photos.all())

    @staticmethod
    def resolve_dispute_until(root: ReturnRequestModel, info):
        if root.status != ReturnStatus.REJECTED:
            return None
        return services.dispute_deadline(root)

    @classmethod
    def get_node(cls, info, id):
        return selectors.return_for_user(info.context.user, int(id))
