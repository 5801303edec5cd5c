from __future__ import annotations

from marketplace.inventory.models import Warehouse


def warehouses_by_cooperative(cooperative_ids: list[int]) -> dict[int, list[Warehouse]]:
    result: dict[int, list[Warehouse]] = {pk: [] for pk in cooperative_ids}
    rows = Warehouse.objects.filter(cooperative_id__in=cooperative_ids).order_by("name", "id")
    for warehouse in rows:
        result[warehouse.cooperative_id].append(warehouse)
    return result
