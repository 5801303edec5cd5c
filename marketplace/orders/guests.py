"""Bounds on guest orders confirmed without payment (cash on delivery): they hold stock
until they ship, and a guest's email and phone are whatever was typed. At most
GUEST_UNPAID_ORDERS_PER_PHONE such orders are open per phone, and at most
GUEST_UNPAID_ORDERS_PER_CLIENT_DAY are placed per client address a day."""

from __future__ import annotations

from django.conf import settings
from django.db import connection
from django.utils.translation import gettext_lazy as _

from marketplace.core import sql, throttle
from marketplace.core.errors import DomainError, ErrorCode
from marketplace.orders.models import Order, OrderStatus
from marketplace.payments.gateways import PaymentGateway

SCOPE = "guest-unpaid-order"


@sql.statement("orders.guest_phone_lock")
def _phone_lock_sql() -> str:
    return "SELECT pg_advisory_xact_lock(hashtext(%s))"


DAY = 24 * 3600


def is_bounded(*, signed_in: bool, gateway: PaymentGateway | None) -> bool:
    """Whether the order would be a guest's, confirmed before it is paid."""
    return not signed_in and gateway is not None and gateway.confirms_at_once


def count_for_client(client: str | None) -> bool:
    """Count one more such order for the client address; False once over the limit."""
    if not client:
        return True
    return throttle.allow(
        SCOPE, client, limit=settings.GUEST_UNPAID_ORDERS_PER_CLIENT_DAY, window=DAY
    )


def uncount_for_client(client: str | None) -> None:
    """An order counted by count_for_client that was not placed after all."""
    if client:
        throttle.give_back(SCOPE, client, window=DAY)


def too_many_for_client() -> DomainError:
    return DomainError.of(
        ErrorCode.THROTTLED,
        "payment_gateway",
        _(
            "Too many orders to pay on delivery were placed from your connection today. "
            "Sign in or pay online."
        ),
    )


def check_phone(phone: str, gateway: PaymentGateway) -> None:
    """Refuse a new one when the phone already has the most open ones allowed."""
    limit = settings.GUEST_UNPAID_ORDERS_PER_PHONE
    # Guests completing at once with one phone take turns here, so none slips past the
    # count of the others' orders (the lock ends with the transaction).
    with connection.cursor() as cursor:
        cursor.execute(_phone_lock_sql(), [f"guest-phone:{phone}"])
    open_ones = Order.objects.filter(
        user__isnull=True,
        status=OrderStatus.CONFIRMED,
        shipping_address__phone=phone,
        payments__gateway=gateway.id,
    ).distinct()
    if open_ones.count() >= limit:
        raise DomainError.of(
            ErrorCode.THROTTLED,
            "payment_gateway",
            _(
                "This phone number already has %(n)d orders to pay on delivery on their "
                "way. Sign in or pay online."
            )
            % {"n": limit},
        )
