"""Words for the API's status codes, as the panel shows them."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

SELLER_STATUS = {
    "PENDING": _("Waiting for approval"),
    "APPROVED": _("Approved"),
    "SUSPENDED": _("Suspended"),
    "REJECTED": _("Not accepted"),
}

SHIPMENT_STATUS = {
    "UNFULFILLED": _("To prepare"),
    "PACKED": _("Packed"),
    "SHIPPED": _("Shipped"),
    "DELIVERED": _("Delivered"),
    "CANCELED": _("Canceled"),
    "RETURNED": _("Returned"),
}

PAYOUT_STATUS = {
    "PENDING": _("Being prepared"),
    "SENT": _("Sent to your bank"),
    "FAILED": _("Returned: paid again next week"),
}

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
