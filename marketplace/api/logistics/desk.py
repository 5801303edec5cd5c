"""The fulfiller's desk in the API: shipments of one cooperative (or the caller's own
independent seller) by status, delivery kind and day, with counts per status, and signed
links to the papers of many shipments at once."""

from __future__ import annotations

import graphene
from django.utils.translation import gettext_lazy as _

from marketplace.api.core.connection import countable_connection, paginate
from marketplace.api.core.errors import query_error
from marketplace.api.core.ids import decode_id
from marketplace.api.orders.types import Shipment
from marketplace.core.errors import DomainError, ErrorCode
from marketplace.logistics import documents, selectors
from marketplace.orders import permissions
from marketplace.orders.models import ShipmentStatus
from marketplace.shipping.models import DeliveryKind

MAX_DOCUMENT_SHIPMENTS = 500


class ShipmentStatusCount(graphene.ObjectType):
    status = graphene.String(required=True)
    count = graphene.Int(required=True)


class ShipmentDeskFilterInput(graphene.InputObjectType):
    status = graphene.List(graphene.NonNull(graphene.String))
    delivery_kind = graphene.List(
        graphene.NonNull(graphene.String), description="POST COURIER COOP_DELIVERY PICKUP"
    )
    day = graphene.Date(description="Orders placed on this day.")


class ShipmentDesk(graphene.ObjectType):
    counts = graphene.List(graphene.NonNull(ShipmentStatusCount), required=True)
    shipments = graphene.Field(
        graphene.NonNull(countable_connection("DeskShipment", Shipment)),
        first=graphene.Int(),
        after=graphene.String(),
    )

    @staticmethod
    def resolve_counts(root, info):
        return [ShipmentStatusCount(status=s, count=n) for s, n in root["counts"].items()]

    @staticmethod
    def resolve_shipments(root, info, first=None, after=None):
        return paginate(root["rows"], first=first, after=after)


def _check(values, allowed, field: str) -> list[str] | None:
    if not values:
        return None
    unknown = sorted(set(values) - set(allowed))
    if unknown:
        raise DomainError.of(
            ErrorCode.INVALID, field, _("Unknown value: %(value)s.") % {"value": unknown[0][:50]}
        )
    return list(values)


def _scope(user, cooperative: str | None) -> dict:
    scope = permissions.fulfiller_scope(user)
    if cooperative:
        pk = decode_id(cooperative, "Cooperative", field="cooperative")
        if pk not in scope.cooperative_ids:
            raise DomainError.of(ErrorCode.PERMISSION_DENIED, "cooperative")
        return {"cooperative_ids": [pk]}
    if not scope.seller_ids:
        raise DomainError.of(ErrorCode.PERMISSION_DENIED, "cooperative")
    return {"seller_ids": list(scope.seller_ids)}


class DeskQueries(graphene.ObjectType):
    shipment_desk = graphene.Field(
        graphene.NonNull(ShipmentDesk),
        cooperative=graphene.ID(description="Default: the caller's own (independent) seller."),
        filter=ShipmentDeskFilterInput(),
        description="A fulfiller's shipments, oldest first, with counts per status.",
    )
    shipment_documents_url = graphene.String(
        kind=graphene.String(required=True, description="slip, label, picklist or route"),
        ids=graphene.List(graphene.NonNull(graphene.ID), required=True),
        description="A signed link to one PDF for these shipments (the caller's own).",
    )

    @staticmethod
    def resolve_shipment_desk(root, info, cooperative=None, filter=None):
        data = filter or {}
        try:
            scope = _scope(info.context.user, cooperative)
            statuses = _check(data.get("status"), ShipmentStatus.values, "filter.status")
            kinds = _check(data.get("delivery_kind"), DeliveryKind.values, "filter.deliveryKind")
        except DomainError as exc:
            raise query_error(exc) from None
        day = data.get("day")
        everything = selectors.desk_shipments(**scope, kinds=kinds, day=day)
        rows = selectors.desk_shipments(**scope, statuses=statuses, kinds=kinds, day=day)
        return {"counts": selectors.status_counts(everything), "rows": rows}

    @staticmethod
    def resolve_shipment_documents_url(root, info, kind, ids):
        user = info.context.user
        try:
            if kind not in documents.KINDS:
                raise DomainError.of(ErrorCode.INVALID, "kind")
            if not ids or len(ids) > MAX_DOCUMENT_SHIPMENTS:
                raise DomainError.of(ErrorCode.INVALID, "ids")
            pks = [decode_id(value, "Shipment", field=f"ids.{i}") for i, value in enumerate(ids)]
        except DomainError as exc:
            raise query_error(exc) from None
        found = selectors.shipments_in_scope(user, pks)
        if len(found) != len(set(pks)):
            raise query_error(DomainError.of(ErrorCode.NOT_FOUND, "ids"))
        return documents.url(kind=kind, shipment_ids=list(dict.fromkeys(pks)), user_id=user.pk)
