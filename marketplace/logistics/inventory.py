"""Stock moves of fulfilment: units leave the warehouse when the parcel is sent, and
units found missing or spoiled while packing leave the stock count at once.

Allocations are locked in stock order, the global lock order of inventory.stock."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

from django.db.models import F

from marketplace.inventory.models import Allocation, Stock


def _locked_allocations(line_ids: Iterable[int]) -> list[Allocation]:
    return list(
        Allocation.objects.select_for_update()
        .filter(order_line_id__in=list(line_ids))
        .order_by("stock_id", "id")
    )


def _take(per_stock: Mapping[int, int]) -> None:
    for stock_id in sorted(per_stock):
        Stock.objects.filter(pk=stock_id).update(
            quantity=F("quantity") - per_stock[stock_id],
            quantity_allocated=F("quantity_allocated") - per_stock[stock_id],
        )


def write_off(short: Mapping[int, int]) -> None:
    """Release `short[line id]` units of each line's allocations and take them off the
    stock: the packer did not find them (or found them spoiled), so nobody else may buy
    them either. What is still free to sell does not change."""
    if not short:
        return
    left = dict(short)
    per_stock: dict[int, int] = defaultdict(int)
    for allocation in _locked_allocations(short):
        units = min(allocation.quantity, left.get(allocation.order_line_id, 0))
        if not units:
            continue
        left[allocation.order_line_id] -= units
        per_stock[allocation.stock_id] += units
        if units == allocation.quantity:
            allocation.delete()
        else:
            Allocation.objects.filter(pk=allocation.pk).update(quantity=F("quantity") - units)
    _take(per_stock)


def consume(line_ids: Iterable[int]) -> None:
    """The parcel left: its allocated units leave the warehouse's stock."""
    allocations = _locked_allocations(line_ids)
    per_stock: dict[int, int] = defaultdict(int)
    for allocation in allocations:
        per_stock[allocation.stock_id] += allocation.quantity
    _take(per_stock)
    Allocation.objects.filter(pk__in=[a.pk for a in allocations]).delete()
