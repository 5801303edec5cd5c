"""Words for the API's delivery kinds, and status words on rows (the status words
themselves are storefront.account.statuses, shared with the shop)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

DELIVERY_KIND = {
    "POST": _("National post"),
    "COURIER": _("Courier"),
    "COOP_DELIVERY": _("Cooperative delivery"),
    "PICKUP": _("Pickup point"),
}


def with_label(rows: list[dict], key: str, labels: dict) -> list[dict]:
    """Each row with `<key>_label`, the status in words."""
    for row in rows:
        row[f"{key}_label"] = labels.get(row.get(key) or "", row.get(key) or "")
    return rows
