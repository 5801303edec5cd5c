"""Fulfilment fields of `Shipment` (timeline, tracking link, papers, parcel amounts):
their types and resolvers. The Shipment type declares the fields by import string and
calls these resolvers, so this module may import it."""

from __future__ import annotations

import graphene

from marketplace.api.core import batch
from marketplace.api.core.money import money
from marketplace.api.orders.types import Shipment
from marketplace.logistics import documents, messages, pickup, selectors
from marketplace.logistics.permissions import is_fulfiller
from marketplace.orders import permissions
from marketplace.orders.models import Shipment as ShipmentModel
from marketplace.orders.models import ShipmentStatus
from marketplace.shipping.models import DeliveryKind


class ShipmentEvent(graphene.ObjectType):
    """One step of a parcel, newest last: packed, shipped, carrier scans, delivered."""

    type = graphene.String(required=True)
    date = graphene.DateTime(required=True)
    message = graphene.String(
        required=True, description="In plain words, in the caller's language."
    )

    @staticmethod
    def resolve_message(root, info) -> str:
        return messages.describe(root)


class PackedLine(graphene.ObjectType):
    line_id = graphene.ID(required=True)
    quantity = graphene.Int(required=True)


def _parcel(info, root: ShipmentModel):
    return batch.load(
        info, "shipment.parcel", root, key=lambda s: s.pk, fetch=selectors.parcels_by_shipment
    )


def _currency(info, root: ShipmentModel) -> str:
    return Shipment.resolve_order(root, info).currency


def resolve_events(root: ShipmentModel, info):
    return batch.load(
        info,
        "shipment.events",
        root,
        key=lambda s: s.pk,
        fetch=selectors.events_by_shipment,
        default=list,
    )


def resolve_tracking_url(root: ShipmentModel, info):
    return selectors.tracking_url(root)


def _document(info, root: ShipmentModel, kind: str) -> str | None:
    user = info.context.user
    if not is_fulfiller(user, root):
        return None
    # A path on this site: the API is also called in-process by the storefront, whose
    # requests have no host of their own.
    return documents.url(kind=kind, shipment_ids=[root.pk], user_id=user.pk)


def resolve_packing_slip_url(root: ShipmentModel, info):
    if root.status in (ShipmentStatus.CANCELED,):
        return None
    return _document(info, root, "slip")


def resolve_label_url(root: ShipmentModel, info):
    if not root.tracking_number:
        return None
    return _document(info, root, "label")


def resolve_pickup_code(root: ShipmentModel, info):
    order = Shipment.resolve_order(root, info)
    if (
        root.status != ShipmentStatus.SHIPPED
        or not permissions.is_buyer(info.context.user, order)
        or root.delivery_method.kind != DeliveryKind.PICKUP
    ):
        return None
    return pickup.code_for(root)


def resolve_cash_to_collect(root: ShipmentModel, info):
    parcel = _parcel(info, root)
    if parcel is not None:
        due = parcel.cash_to_collect
    elif root.status == ShipmentStatus.UNFULFILLED:
        due = batch.load(
            info,
            "shipment.cash_due",
            root,
            key=lambda s: s.pk,
            fetch=selectors.cash_due_by_shipment,
        )
    else:
        due = None
    return money(due, _currency(info, root)) if due is not None else None


def resolve_cash_collected(root: ShipmentModel, info):
    parcel = _parcel(info, root)
    if parcel is None or parcel.cash_collected is None:
        return None
    return money(parcel.cash_collected, _currency(info, root))


def resolve_short_amount(root: ShipmentModel, info):
    parcel = _parcel(info, root)
    return money(parcel.short_amount, _currency(info, root)) if parcel else None
