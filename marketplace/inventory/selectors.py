from __future__ import annotations

from marketplace.inventory.models import Warehouse


def warehouses_by_cooperative(cooperative_ids: list[int]) -> dict[int, list[Warehouse]]:
    result: dict[int, list[Warehouse]] = {pk: [] for pk in cooperative_ids}
    rows = Warehouse.objects.filter(cooperative_id__in=cooperative_ids).order_by("name", "id")
    for warehouse in rows:
        result[warehouse.cooperative_id].append(warehouse)
    return result


def warehouses_by_seller(seller_ids: list[int]) -> dict[int, list[Warehouse]]:
    """Each seller's own warehouses (not their cooperative's), in one query."""
    result: dict[int, list[Warehouse]] = {pk: [] for pk in seller_ids}
    for warehouse in Warehouse.objects.filter(seller_id__in=seller_ids).order_by("name", "id"):
        result[warehouse.seller_id].append(warehouse)
    return result
