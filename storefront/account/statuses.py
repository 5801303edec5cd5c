"""Statuses in words: one word for one state on every page, the shop's and the panels'."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

ORDER = {
    "UNCONFIRMED": _("Awaiting payment"),
    "CONFIRMED": _("Confirmed"),
    "FULFILLED": _("Delivered"),
    "COMPLETED": _("Completed"),
    "CANCELED": _("Canceled"),
}
PAYMENT = {
    "NOT_CHARGED": _("Not charged"),
    "PENDING": _("Pending"),
    "CHARGED": _("Charged"),
    "REFUNDED": _("Refunded"),
    "PARTIALLY_REFUNDED": _("Partially refunded"),
    "FAILED": _("Failed"),
}
SHIPMENT = {
    "UNFULFILLED": _("Being prepared"),
    "PACKED": _("Packed"),
    "SHIPPED": _("Shipped"),
    "DELIVERED": _("Delivered"),
    "CANCELED": _("Canceled"),
    "RETURNED": _("Returned"),
}

SELLER = {
    "PENDING": _("Waiting for approval"),
    "APPROVED": _("Approved"),
    "SUSPENDED": _("Suspended"),
    "REJECTED": _("Not accepted"),
}
PAYOUT = {
    "PENDING": _("Being prepared"),
    "SENT": _("Sent to your bank"),
    "FAILED": _("Returned: paid again next week"),
}
# A product has no status code in the API, only isPublished.
PRODUCT = {
    "PUBLISHED": _("In the shop"),
    "HIDDEN": _("Not published"),
}


def product_label(product: dict) -> str:
    return label(PRODUCT, "PUBLISHED" if product.get("isPublished") else "HIDDEN")


# The gateway of cash on delivery, as the API names it.
CASH_ON_DELIVERY = "cod"


def payment_label(order: dict) -> str:
    """An unpaid cash-on-delivery order is not "not charged": it is paid at the door."""
    gateways = [payment.get("gateway") for payment in order.get("payments") or []]
    if order.get("paymentStatus") == "NOT_CHARGED" and gateways[-1:] == [CASH_ON_DELIVERY]:
        return str(_("Cash on delivery"))
    return label(PAYMENT, order.get("paymentStatus"))


def label(table: dict[str, object], value: str | None) -> str:
    return str(table.get(value or "", value or ""))
