"""Who may see and change an order.

An order is seen whole by its buyer and by platform staff (orders.view_order). The
staff of a fulfiller (a cooperative's staff, or an independent seller's owner) see only
their part of it: their shipments and those shipments' lines.
"""

from __future__ import annotations

from dataclasses import dataclass

from marketplace.orders.models import Order, OrderStatus, ShipmentStatus
from marketplace.sellers import permissions as seller_permissions
from marketplace.sellers.models import CooperativeStaff, Seller

VIEW_PERM = "orders.view_order"
# Shipments in these statuses have not left the fulfiller: the order may still be canceled.
NOT_SHIPPED = frozenset({ShipmentStatus.UNFULFILLED, ShipmentStatus.PACKED})
OPEN_STATUSES = frozenset({OrderStatus.UNCONFIRMED, OrderStatus.CONFIRMED})
CHANGE_PERM = "orders.change_order"


def is_signed_in(user) -> bool:
    return seller_permissions.is_authenticated(user)


def is_platform_viewer(user) -> bool:
    return seller_permissions.has_platform_perm(user, VIEW_PERM) or (
        seller_permissions.has_platform_perm(user, CHANGE_PERM)
    )


@dataclass(frozen=True)
class FulfillerScope:
    """The fulfillers a user acts for: shipments of these are theirs."""

    cooperative_ids: frozenset[int]
    seller_ids: frozenset[int]

    def __bool__(self) -> bool:
        return bool(self.cooperative_ids or self.seller_ids)

    def covers(self, cooperative_id: int | None, seller_id: int | None) -> bool:
        if cooperative_id is not None:
            return cooperative_id in self.cooperative_ids
        return seller_id is not None and seller_id in self.seller_ids


EMPTY_SCOPE = FulfillerScope(frozenset(), frozenset())


def fulfiller_scope(user) -> FulfillerScope:
    """The cooperatives where `user` is staff and the sellers they own (a member
    seller's parcels are the cooperative's to ship). Cached on the user object."""
    if not is_signed_in(user):
        return EMPTY_SCOPE
    cached = getattr(user, "_fulfiller_scope", None)
    if cached is not None:
        return cached
    cooperative_ids = frozenset(
        CooperativeStaff.objects.filter(user_id=user.pk).values_list("cooperative_id", flat=True)
    )
    # Every seller they own: a shipment names a seller only when that seller shipped
    # it themselves (independent at the time), whatever they are now.
    seller_ids = frozenset(Seller.objects.filter(owner_id=user.pk).values_list("pk", flat=True))
    scope = FulfillerScope(cooperative_ids, seller_ids)
    user._fulfiller_scope = scope
    return scope


def is_buyer(user, order: Order) -> bool:
    return is_signed_in(user) and order.user_id is not None and order.user_id == user.pk


def can_cancel(user, order: Order) -> tuple[bool, bool]:
    """(allowed, as platform staff). The buyer cancels their own order; platform staff
    holding orders.change_order cancel any."""
    if is_buyer(user, order):
        return True, False
    if seller_permissions.has_platform_perm(user, CHANGE_PERM):
        return True, True
    return False, False


def is_cancelable(order: Order, shipment_statuses: set[str]) -> bool:
    """Open (unpaid or confirmed) and nothing has left a fulfiller yet: once goods are on
    their way, undoing the order is a return, not a cancellation."""
    return order.status in OPEN_STATUSES and shipment_statuses <= NOT_SHIPPED
