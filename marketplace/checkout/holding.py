"""What one checkout and one client may hold: CHECKOUT_MAX_LINE_QUANTITY units of a
product, CHECKOUT_MAX_UNITS in all, and CHECKOUT_CREATE_PER_CLIENT anonymous checkouts
per client address within CHECKOUT_MAX_HOLD_MINUTES (so at most that many checkouts'
holds of one client are alive at once; see transactions.hold_deadline for the longest
hold)."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from marketplace.core import throttle
from marketplace.core.errors import DomainError, ErrorCode, ErrorCollector


def max_line_quantity() -> int:
    return settings.CHECKOUT_MAX_LINE_QUANTITY


def check_units(units: int, errors: ErrorCollector) -> None:
    maximum = settings.CHECKOUT_MAX_UNITS
    if units > maximum:
        errors.add(
            ErrorCode.INVALID,
            "lines",
            _("A checkout holds at most %(n)s units in all.") % {"n": f"{maximum:,}"},
        )


def check_client(client: str | None) -> None:
    """Count an anonymous checkout created from `client`; refuse it past the limit."""
    if not client:
        return
    if not throttle.allow(
        "checkout-create",
        client,
        limit=settings.CHECKOUT_CREATE_PER_CLIENT,
        window=settings.CHECKOUT_MAX_HOLD_MINUTES * 60,
    ):
        raise DomainError.of(
            ErrorCode.THROTTLED,
            None,
            _("Too many carts were started from your connection. Try again later."),
        )
