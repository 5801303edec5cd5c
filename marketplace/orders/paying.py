"""Paying an order again: the buyer's new attempt after a failed or abandoned payment."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from marketplace.core.errors import DomainError, ErrorCode
from marketplace.notifications import announce
from marketplace.orders import events, services
from marketplace.orders.events import EventType
from marketplace.orders.models import Order, OrderStatus
from marketplace.orders.permissions import is_buyer
from marketplace.payments import services as payment_services
from marketplace.payments.gateways import get_gateway
from marketplace.payments.models import Payment, PaymentStatus


def _pay(actor, order_id: int, gateway_id: str, redirect_url: str | None) -> tuple[Order, Payment]:
    order = services.lock_order(order_id)
    if order is None or not is_buyer(actor, order):
        raise DomainError.of(ErrorCode.NOT_FOUND, "id")
    payments = list(Payment.objects.select_for_update().filter(order=order))
    if order.status != OrderStatus.UNCONFIRMED or any(
        p.status in payment_services.CAPTURED_STATUSES for p in payments
    ):
        raise DomainError.of(
            ErrorCode.INVALID_STATUS, "id", _("This order is not waiting for a payment.")
        )
    gateway = get_gateway(gateway_id)
    if gateway is None or not gateway.supports_currency(order.currency):
        raise DomainError.of(
            ErrorCode.INVALID,
            "payment_gateway",
            _("This payment method is not available for this order."),
        )
    # An earlier attempt still open is given up; should the buyer pay it anyway, its
    # verification still confirms the order (or is refunded if another paid first).
    Payment.objects.filter(order=order, status=PaymentStatus.PENDING).update(
        status=PaymentStatus.FAILED, updated=timezone.now()
    )
    payment = services.start_payment(order, gateway, redirect_url)
    history = [
        events.event(
            order,
            EventType.PAYMENT_STARTED,
            user=actor,
            gateway=payment.gateway,
            status=payment.status,
            total=str(payment.total),
        )
    ]
    fields = ["payment_status", "updated"]
    order.payment_status = payment.status
    if gateway.confirms_at_once:
        order.status = OrderStatus.CONFIRMED
        order.expires_at = None
        fields += ["status", "expires_at"]
        history.append(events.event(order, EventType.CONFIRMED, user=actor, reason=gateway.id))
        announce.queue_order_placed(order=order)
    order.save(update_fields=fields)
    events.record(*history)
    return order, payment


def pay_order(
    *, actor, order: Order, gateway: str, redirect_url: str | None = None
) -> tuple[Order, Payment]:
    """The buyer tries again to pay an UNCONFIRMED order whose payment failed or was
    abandoned, with the same or another gateway: a new payment, as checkoutComplete
    starts one."""
    redirect = services.clean_redirect_url(redirect_url)
    placed, payment = services.run_with_retries(
        lambda: _pay(actor, order.pk, gateway or "", redirect)
    )
    return services.after_commit(placed, payment)
