"""Reads of orders and shipments, scoped to who asks.

An order read by a fulfiller carries its scope (`SCOPE_ATTR`): the lists built from it
(shipments, lines) keep only that fulfiller's part. Batch readers take many ids and
answer with one query, for the API's loaders.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Q, QuerySet

from marketplace.accounts.models import Address
from marketplace.channels.models import Channel
from marketplace.orders import permissions
from marketplace.orders.models import Order, OrderEvent, OrderLine, Shipment
from marketplace.orders.permissions import FulfillerScope
from marketplace.payments.models import Payment
from marketplace.sellers import permissions as seller_permissions
from marketplace.sellers.models import Seller
from marketplace.shipping.models import DeliveryMethod

# Set on an Order read by a fulfiller's staff: None (or absent) means the whole order.
SCOPE_ATTR = "_fulfiller_scope"


def scope_of(order: Order) -> FulfillerScope | None:
    return getattr(order, SCOPE_ATTR, None)


def _with_scope(order: Order | None, scope: FulfillerScope | None) -> Order | None:
    if order is not None:
        setattr(order, SCOPE_ATTR, scope)
    return order


def _orders() -> QuerySet[Order]:
    return Order.objects.select_related("channel", "shipping_address")


def order_for_user(user, pk: int) -> Order | None:
    """The order with `pk` if `user` may see it: whole for its buyer and platform staff,
    their part for the staff of one of its fulfillers; None for anyone else."""
    if not permissions.is_signed_in(user):
        return None
    order = _orders().filter(pk=pk).first()
    if order is None:
        return None
    if permissions.is_buyer(user, order) or permissions.is_platform_viewer(user):
        return _with_scope(order, None)
    scope = permissions.fulfiller_scope(user)
    if scope and _fulfiller_filter(scope, Shipment.objects.filter(order=order)).exists():
        return _with_scope(order, scope)
    return None


def orders_of_buyer(user) -> QuerySet[Order]:
    """The user's own orders, newest first."""
    if not permissions.is_signed_in(user):
        return Order.objects.none()
    return _orders().filter(user_id=user.pk).order_by("-created", "-id")


def orders_by_user(user_ids: Iterable[int]) -> QuerySet[Order]:
    return _orders().filter(user_id__in=list(user_ids)).order_by("-created", "-id")


def _fulfiller_filter(scope: FulfillerScope, queryset: QuerySet[Shipment]) -> QuerySet[Shipment]:
    condition = Q(pk__in=[])
    if scope.cooperative_ids:
        condition |= Q(cooperative_id__in=scope.cooperative_ids)
    if scope.seller_ids:
        condition |= Q(seller_id__in=scope.seller_ids)
    return queryset.filter(condition)


def shipments_of_user(user, *, statuses: list[str] | None = None) -> QuerySet[Shipment]:
    """The shipments the user's cooperatives and sellers fulfil, newest first."""
    scope = permissions.fulfiller_scope(user)
    if not scope:
        return Shipment.objects.none()
    queryset = _fulfiller_filter(scope, Shipment.objects.all())
    if statuses:
        queryset = queryset.filter(status__in=statuses)
    return queryset.order_by("-created", "-id")


def shipment_for_user(user, pk: int) -> Shipment | None:
    """A shipment its fulfiller's staff, the order's buyer or platform staff may see."""
    shipment = Shipment.objects.filter(pk=pk).first()
    if shipment is None or not permissions.is_signed_in(user):
        return None
    if permissions.fulfiller_scope(user).covers(shipment.cooperative_id, shipment.seller_id):
        return shipment
    order = order_for_user(user, shipment.order_id)
    if order is None or scope_of(order) is not None:
        return None
    shipment.order = order
    return shipment


# ---------------------------------------------------------------- batch readers


def orders_seen_by(user, ids: list[int]) -> dict[int, Order]:
    """Orders reached through shipments the user may see: whole for their buyer and
    platform staff, scoped to the user's fulfillers for anyone else."""
    whole = permissions.is_platform_viewer(user)
    scope = permissions.fulfiller_scope(user)
    return {
        o.pk: _with_scope(o, None if whole or permissions.is_buyer(user, o) else scope)
        for o in _orders().filter(pk__in=ids)
    }


def shipments_by_order(order_ids: list[int]) -> dict[int, list[Shipment]]:
    result: dict[int, list[Shipment]] = defaultdict(list)
    for shipment in Shipment.objects.filter(order_id__in=order_ids).order_by("id"):
        result[shipment.order_id].append(shipment)
    return result


def lines_by_order(order_ids: list[int]) -> dict[int, list[OrderLine]]:
    result: dict[int, list[OrderLine]] = defaultdict(list)
    for line in OrderLine.objects.filter(order_id__in=order_ids).order_by("id"):
        result[line.order_id].append(line)
    return result


def lines_by_shipment(shipment_ids: list[int]) -> dict[int, list[OrderLine]]:
    result: dict[int, list[OrderLine]] = defaultdict(list)
    for line in OrderLine.objects.filter(shipment_id__in=shipment_ids).order_by("id"):
        result[line.shipment_id].append(line)
    return result


def payments_by_order(order_ids: list[int]) -> dict[int, list[Payment]]:
    result: dict[int, list[Payment]] = defaultdict(list)
    for payment in Payment.objects.filter(order_id__in=order_ids).order_by("created", "id"):
        result[payment.order_id].append(payment)
    return result


def events_by_order(order_ids: list[int]) -> dict[int, list[OrderEvent]]:
    result: dict[int, list[OrderEvent]] = defaultdict(list)
    for item in OrderEvent.objects.filter(order_id__in=order_ids).order_by("created", "id"):
        result[item.order_id].append(item)
    return result


def sellers_by_id(ids: list[int]) -> dict[int, Seller]:
    # An order shows who sold each line whatever that seller's status is now.
    return Seller.objects.select_related("village__county__province").in_bulk(ids)


def delivery_methods_by_id(ids: list[int]) -> dict[int, DeliveryMethod]:
    return DeliveryMethod.objects.in_bulk(ids)


def addresses_by_id(ids: list[int]) -> dict[int, Address]:
    return Address.objects.in_bulk(ids)


def channels_by_id(ids: list[int]) -> dict[int, Channel]:
    return Channel.objects.in_bulk(ids)


def lines_sold_by(user, seller: Seller) -> QuerySet[OrderLine]:
    """The order lines of `seller`'s goods with their order and shipment, newest first:
    for those who act for the seller (owner, cooperative staff, platform staff)."""
    if not seller_permissions.can_manage_seller(user, seller):
        return OrderLine.objects.none()
    return (
        OrderLine.objects.filter(seller_id=seller.pk)
        .select_related("order", "shipment")
        .order_by("-order__created", "-id")
    )
