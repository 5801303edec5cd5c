"""Reads of returns, scoped to who asks."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import QuerySet, Sum

from marketplace.logistics.models import PackedLine
from marketplace.orders import permissions
from marketplace.orders.models import OrderLine
from marketplace.returns.models import ReturnLine, ReturnRequest, ReturnStatus
from marketplace.sellers import permissions as seller_permissions

OPEN_STATUSES = (
    ReturnStatus.REQUESTED,
    ReturnStatus.ACCEPTED,
    ReturnStatus.RECEIVED,
    ReturnStatus.DISPUTED,
)


def _returns() -> QuerySet[ReturnRequest]:
    return ReturnRequest.objects.select_related("order", "shipment").prefetch_related(
        "lines__order_line", "photos"
    )


def returns_by_order(order_ids: list[int]) -> dict[int, list[ReturnRequest]]:
    """The orders' returns, oldest first."""
    result: dict[int, list[ReturnRequest]] = defaultdict(list)
    for request in _returns().filter(order_id__in=order_ids).order_by("created", "id"):
        result[request.order_id].append(request)
    return result


def seen_part(order, returns: list[ReturnRequest]) -> list[ReturnRequest]:
    """Of an order's returns, those its reader may see: a fulfiller's staff, their part."""
    from marketplace.orders.selectors import scope_of

    scope = scope_of(order)
    if scope:
        return [r for r in returns if scope.covers(r.shipment.cooperative_id, r.shipment.seller_id)]
    return returns


def return_for_user(user, pk: int) -> ReturnRequest | None:
    """The return if `user` is its buyer, one of its fulfiller's staff or platform staff."""
    if not permissions.is_signed_in(user):
        return None
    request = _returns().filter(pk=pk).first()
    if request is None:
        return None
    if request.order.user_id == user.pk or permissions.is_platform_viewer(user):
        return request
    shipment = request.shipment
    if permissions.fulfiller_scope(user).covers(shipment.cooperative_id, shipment.seller_id):
        return request
    return None


def returns_to_handle(
    user, *, cooperative_id: int | None = None, statuses: list[str] | None = None
) -> QuerySet[ReturnRequest]:
    """Returns to decide, newest first: of `cooperative_id` when the caller is its staff,
    else of the caller's own (independent) seller; platform staff see every return."""
    scope = permissions.fulfiller_scope(user)
    if seller_permissions.has_platform_perm(user, "orders.view_order"):
        rows = _returns()
        if cooperative_id is not None:
            rows = rows.filter(shipment__cooperative_id=cooperative_id)
    elif cooperative_id is not None:
        if cooperative_id not in scope.cooperative_ids:
            return ReturnRequest.objects.none()
        rows = _returns().filter(shipment__cooperative_id=cooperative_id)
    elif scope.seller_ids:
        rows = _returns().filter(
            shipment__cooperative__isnull=True, shipment__seller_id__in=scope.seller_ids
        )
    else:
        return ReturnRequest.objects.none()
    if statuses:
        rows = rows.filter(status__in=statuses)
    return rows.order_by("-created", "-id")


def delivered_units(line: OrderLine) -> int:
    packed = PackedLine.objects.filter(line_id=line.pk).values_list("quantity", flat=True).first()
    return line.quantity if packed is None else packed


def returned_units(line_ids: list[int]) -> dict[int, int]:
    """Units of each line already asked back, whatever became of the request: a decided
    return is final, so its units cannot be asked for again."""
    rows = (
        ReturnLine.objects.filter(order_line_id__in=line_ids)
        .values("order_line_id")
        .annotate(units=Sum("quantity"))
    )
    return {row["order_line_id"]: row["units"] for row in rows}
