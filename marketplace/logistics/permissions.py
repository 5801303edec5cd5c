"""Who moves a shipment: the staff of its cooperative, its seller's owner when the
seller ships independently, or platform staff allowed to change orders."""

from __future__ import annotations

from marketplace.core.errors import DomainError, ErrorCode
from marketplace.orders.models import Shipment
from marketplace.orders.permissions import CHANGE_PERM, fulfiller_scope
from marketplace.sellers import permissions as seller_permissions


def is_fulfiller(user, shipment: Shipment) -> bool:
    return fulfiller_scope(user).covers(
        shipment.cooperative_id, shipment.seller_id
    ) or seller_permissions.has_platform_perm(user, CHANGE_PERM)


def require_fulfiller(user, shipment: Shipment) -> None:
    if not is_fulfiller(user, shipment):
        raise DomainError.of(ErrorCode.PERMISSION_DENIED, "id")
