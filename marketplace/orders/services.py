"""Writes to orders: placing an order from a checkout, canceling it, expiring unpaid ones.

`complete_checkout` is where buyers' money and producers' stock meet, so it is exact under
concurrency: the checkout row is locked first (a second completion waits, then finds the
order and returns it), stock rows are locked in one global order (stock id) so
two buyers never deadlock, units move with conditional UPDATEs under a CHECK
constraint, and a voucher's use is a conditional UPDATE as well. Should PostgreSQL still
report a serialization failure or a deadlock, the whole transaction is retried, so no such
error ever reaches a buyer.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import OperationalError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from marketplace.accounts.addresses import ADDRESS_FIELDS
from marketplace.accounts.models import Address
from marketplace.checkout.info import CheckoutInfo, GroupInfo, build_checkout_info
from marketplace.checkout.models import Checkout
from marketplace.checkout.selectors import locked_checkout
from marketplace.core.errors import DomainError, ErrorCode, ErrorCollector
from marketplace.core.normalize import email_for_limits
from marketplace.core.versioning import bump_catalog_version
from marketplace.discounts.models import Voucher, VoucherUsage
from marketplace.discounts.selectors import buyer_identities, uses_by_buyer
from marketplace.inventory import stock
from marketplace.notifications import announce
from marketplace.orders import events, guests
from marketplace.orders.events import EventType
from marketplace.orders.models import (
    Order,
    OrderEvent,
    OrderLine,
    OrderStatus,
    Shipment,
    ShipmentStatus,
)
from marketplace.orders.permissions import OPEN_STATUSES, can_cancel, is_cancelable, is_signed_in
from marketplace.payments import services as payment_services
from marketplace.payments import writes as payment_writes
from marketplace.payments.gateways import PaymentGateway, get_gateway
from marketplace.payments.models import Payment, PaymentStatus

logger = logging.getLogger("marketplace.orders")

T = TypeVar("T")

# SQLSTATEs after which running the whole transaction again is safe and likely to work:
# serialization_failure, deadlock_detected, lock_not_available.
RETRYABLE_SQLSTATES = frozenset({"40001", "40P01", "55P03"})
MAX_ATTEMPTS = 5
MAX_REDIRECT_URL = 2000


# ---------------------------------------------------------------- retries


def _is_retryable(exc: OperationalError) -> bool:
    cause = exc.__cause__
    return getattr(cause, "sqlstate", None) in RETRYABLE_SQLSTATES


def run_with_retries(func: Callable[[], T], *, attempts: int = MAX_ATTEMPTS) -> T:
    """Run `func` in a transaction (a savepoint inside an outer one), again after a
    serialization failure or deadlock, with a growing random pause so the competitors
    do not collide again in step."""
    for attempt in range(1, attempts + 1):
        try:
            with transaction.atomic():
                return func()
        except OperationalError as exc:
            if not _is_retryable(exc) or attempt == attempts:
                raise
            logger.info("retrying after %s (attempt %d)", exc.__cause__.__class__.__name__, attempt)
            time.sleep(random.uniform(0.005, 0.03) * attempt)
    raise AssertionError("unreachable")


# ---------------------------------------------------------------- completing a checkout


@dataclass
class Placement:
    """What validation found, ready to be written."""

    checkout: Checkout
    info: CheckoutInfo
    gateway: PaymentGateway
    voucher: Voucher | None


def clean_redirect_url(value: str | None) -> str | None:
    value = (value or "").strip()
    if not value:
        return None
    invalid = DomainError.of(ErrorCode.INVALID, "redirect_url", _("Enter a valid http(s) URL."))
    if len(value) > MAX_REDIRECT_URL:
        raise invalid
    try:
        URLValidator(schemes=["http", "https"])(value)
    except ValidationError:
        raise invalid from None
    return value


def _check_access(actor, checkout: Checkout) -> None:
    # A buyer's checkout is theirs alone; an anonymous one belongs to whoever holds its
    # token. Another buyer learns nothing, not even that it exists.
    if checkout.user_id is not None and (not is_signed_in(actor) or actor.pk != checkout.user_id):
        raise DomainError.of(ErrorCode.NOT_FOUND, "id")


def _group_label(group: GroupInfo) -> str:
    return group.fulfiller.name


def _check_delivery(errors: ErrorCollector, checkout: Checkout, info: CheckoutInfo) -> None:
    """A shipping address and, for every group, a chosen method that still applies:
    build_checkout_info leaves a group's method out unless it is active, serves the
    address (the shipping selectors' own zone rule), is the platform's or the group's
    own, and has a price for the parcel."""
    if checkout.shipping_address is None:
        errors.add(
            ErrorCode.DELIVERY_METHOD_REQUIRED,
            "shipping_address",
            _("Enter a shipping address first."),
        )
        return
    for index, group in enumerate(info.groups):
        if group.delivery_method is None:
            errors.add(
                ErrorCode.DELIVERY_METHOD_REQUIRED,
                f"groups.{index}.delivery_method",
                _("Choose how %(fulfiller)s should deliver.") % {"fulfiller": _group_label(group)},
            )


def _voucher_problem(checkout: Checkout, info: CheckoutInfo) -> bool:
    voucher = checkout.voucher
    if voucher is None:
        return False
    # The discount is zero exactly when the code no longer applies: inactive, out of its
    # dates, another channel, nothing eligible or under the minimum spend.
    return info.discount <= 0


def _validate(actor, checkout: Checkout, gateway_id: str) -> Placement:
    errors = ErrorCollector()
    info = build_checkout_info(checkout)
    if not info.lines:
        raise DomainError.of(ErrorCode.INVALID, "lines", _("The checkout is empty."))
    for index, line in enumerate(info.lines):
        if not line.is_sellable:
            errors.add(
                ErrorCode.NOT_AVAILABLE_IN_CHANNEL,
                f"lines.{index}.variant_id",
                _("%(product)s is no longer for sale here.")
                % {"product": line.variant.product.name},
            )
    if not (checkout.email or (actor.email if is_signed_in(actor) else "")):
        errors.add(
            ErrorCode.REQUIRED, "email", _("Enter the email the order's confirmation goes to.")
        )
    _check_delivery(errors, checkout, info)
    if _voucher_problem(checkout, info):
        errors.add(
            ErrorCode.VOUCHER_INVALID, "promo_code", _("This promo code can no longer be used.")
        )
    gateway = get_gateway(gateway_id)
    if gateway is None or not gateway.supports_currency(info.currency):
        errors.add(
            ErrorCode.INVALID,
            "payment_gateway",
            _("This payment method is not available for this checkout."),
        )
    errors.raise_if_any()
    return Placement(checkout=checkout, info=info, gateway=gateway, voucher=checkout.voucher)


def _copy_address(address: Address) -> Address:
    """The order's own copy, owned by nobody. Like accounts.addresses.copy_address, but
    reading the province's id rather than the province, which is not loaded."""
    fields = {f: getattr(address, f) for f in ADDRESS_FIELDS if f != "province"}
    return Address(user=None, province_id=address.province_id, **fields)


def _snapshot_name(value: str, value_en: str, language: str) -> str:
    # The order keeps names in the language the buyer shopped in, like an invoice.
    return value_en if language.startswith("en") and value_en else value


def _create_order(actor, placement: Placement) -> Order:
    checkout, info, gateway = placement.checkout, placement.info, placement.gateway
    # A buyer's checkout is completed only by that buyer (see _check_access), so the
    # actor is the checkout's user whenever it has one.
    user = actor if is_signed_in(actor) else None
    address = _copy_address(checkout.shipping_address)
    address.save()
    confirmed = gateway.confirms_at_once
    expiry = getattr(settings, "UNPAID_ORDER_EXPIRY_MINUTES", 30)
    return Order.objects.create(
        user=user,
        email=checkout.email or (user.email if user is not None else "") or "",
        channel=checkout.channel,
        status=OrderStatus.CONFIRMED if confirmed else OrderStatus.UNCONFIRMED,
        payment_status=gateway.initial_status,
        shipping_address=address,
        currency=info.currency,
        subtotal=info.subtotal,
        shipping_price=info.shipping,
        discount=info.discount,
        total=info.total,
        voucher_code=placement.voucher.code if placement.voucher else "",
        language=checkout.language or "fa",
        expires_at=None if confirmed else timezone.now() + timedelta(minutes=expiry),
    )


def _create_lines(order: Order, info: CheckoutInfo) -> list[tuple[OrderLine, int, int]]:
    """Shipments (one per group) and the order lines, each with its checkout line id and
    its index in the checkout (for error fields)."""
    shipments = Shipment.objects.bulk_create(
        Shipment(
            order=order,
            cooperative=group.cooperative,
            seller=group.seller,
            delivery_method=group.delivery_method,
            shipping_price=group.shipping_price,
        )
        for group in info.groups
    )
    shipment_of = {}
    for group, shipment in zip(info.groups, shipments, strict=True):
        for line in group.lines:
            shipment_of[line.line.pk] = shipment
    index_of = {line.line.pk: i for i, line in enumerate(info.lines)}
    language = order.language
    pending = []
    for line in info.lines:
        variant, product = line.variant, line.variant.product
        order_line = OrderLine(
            order=order,
            shipment=shipment_of[line.line.pk],
            variant=variant,
            seller=product.seller,
            product_name=_snapshot_name(product.name, product.name_en, language),
            variant_name=_snapshot_name(variant.name, variant.name_en, language),
            sku=variant.sku or "",
            quantity=line.line.quantity,
            unit_price=line.unit_price,
            total_price=line.total,
            currency=info.currency,
        )
        pending.append((order_line, line.line.pk, index_of[line.line.pk]))
    OrderLine.objects.bulk_create([row for row, _pk, _i in pending])
    return pending


def _allocate(lines: list[tuple[OrderLine, int, int]]) -> bool:
    """Allocate every line at once (inventory.stock.allocate: a fixed number of queries,
    stock rows locked in id order). Returns whether availability shown in the catalogue
    changed."""
    return stock.allocate(
        lines=[(line, pk, f"lines.{index}.quantity") for line, pk, index in lines]
    )


def _use_voucher(order: Order, voucher: Voucher, user) -> None:
    """One use, counted with a conditional UPDATE: under a race for the last use, exactly
    one buyer gets it. The UPDATE also locks the voucher row, so the per-buyer count that
    follows cannot be raced by the same buyer's other checkout."""
    now = timezone.now()
    used_up = DomainError.of(
        ErrorCode.VOUCHER_INVALID, "promo_code", _("This promo code has been used up.")
    )
    updated = (
        Voucher.objects.filter(pk=voucher.pk, is_active=True)
        .filter(Q(usage_limit__isnull=True) | Q(used__lt=F("usage_limit")))
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=now))
        .update(used=F("used") + 1)
    )
    if not updated:
        raise used_up
    phone = order.shipping_address.phone
    if voucher.per_buyer_limit is not None:
        buyer = buyer_identities(user=user, email=order.email, address_phone=phone)
        if uses_by_buyer(voucher, **buyer) >= voucher.per_buyer_limit:
            raise DomainError.of(
                ErrorCode.VOUCHER_INVALID,
                "promo_code",
                _("You have already used this promo code as many times as allowed."),
            )
    VoucherUsage.objects.create(
        voucher=voucher,
        order=order,
        user=user,
        email=order.email,
        email_key=email_for_limits(order.email),
        phone=phone or "",
    )


def start_payment(order: Order, gateway: PaymentGateway, redirect_url: str | None) -> Payment:
    payment = Payment.objects.create(
        order=order,
        gateway=gateway.id,
        status=gateway.initial_status,
        total=order.total,
        currency=order.currency,
        return_url=redirect_url or "",
    )
    if gateway.calls_provider:
        # Asked after the commit (payments.services.request_payment): never while this
        # transaction holds the stock and voucher locks.
        return payment
    response = gateway.start(payment, redirect_url)
    payment_writes.keep(payment, response)
    if response.status == PaymentStatus.FAILED or not response.is_success:
        raise DomainError.of(
            ErrorCode.PAYMENT_ERROR, "payment_gateway", _("The payment could not be started.")
        )
    action = response.action.as_json() if response.action else None
    if (response.status, action, response.psp_reference) != (payment.status, None, ""):
        payment.status = response.status
        payment.action = action
        payment.psp_reference = response.psp_reference
        payment.save(update_fields=["status", "action", "psp_reference", "updated"])
    if order.payment_status != payment.status:
        order.payment_status = payment.status
        order.save(update_fields=["payment_status", "updated"])
    return payment


def _place(actor, token, gateway_id: str, redirect_url: str | None) -> tuple[Order, Payment]:
    checkout = locked_checkout(token)
    if checkout is None:
        raise DomainError.of(ErrorCode.NOT_FOUND, "id")
    _check_access(actor, checkout)
    if checkout.order_id is not None:
        # Completed before (or by a competitor we just waited for): the same order.
        order = Order.objects.select_related("channel", "shipping_address").get(
            pk=checkout.order_id
        )
        return order, order.payments.order_by("-created", "-id").first()
    placement = _validate(actor, checkout, gateway_id)
    if guests.is_bounded(signed_in=is_signed_in(actor), gateway=placement.gateway):
        guests.check_phone(checkout.shipping_address.phone, placement.gateway)
    order = _create_order(actor, placement)
    lines = _create_lines(order, placement.info)
    payment = start_payment(order, placement.gateway, redirect_url)
    events.record(*_placement_events(actor, order, placement, payment, len(lines)))
    if order.status == OrderStatus.CONFIRMED:
        # Paid online, the order is announced when the payment confirms it.
        announce.queue_order_placed(order=order)
    Checkout.objects.filter(pk=checkout.pk).update(order=order, updated=timezone.now())
    checkout.order = order
    # The shared rows come last, so their locks are held for as short a time as possible
    # (until the commit): hot vouchers and hot products are where buyers queue. Anything
    # refused here rolls back all of the above.
    if placement.voucher is not None:
        _use_voucher(order, placement.voucher, order.user)
    if _allocate(lines):
        bump_catalog_version()
    return order, payment


def _placement_events(
    actor, order: Order, placement: Placement, payment: Payment, line_count: int
) -> list[OrderEvent]:
    history = [
        events.event(
            order,
            EventType.PLACED,
            user=actor,
            number=order.number,
            total=str(order.total),
            currency=order.currency,
            gateway=placement.gateway.id,
        ),
        events.event(order, EventType.STOCK_ALLOCATED, user=actor, lines=line_count),
    ]
    if placement.voucher is not None:
        history.append(
            events.event(
                order,
                EventType.VOUCHER_USED,
                user=actor,
                code=placement.voucher.code,
                discount=str(order.discount),
            )
        )
    history.append(
        events.event(
            order,
            EventType.PAYMENT_STARTED,
            user=actor,
            gateway=payment.gateway,
            status=payment.status,
            total=str(payment.total),
        )
    )
    if order.status == OrderStatus.CONFIRMED:
        history.append(events.event(order, EventType.CONFIRMED, user=actor, reason="cod"))
    return history


def complete_checkout(
    *,
    actor,
    checkout: Checkout,
    gateway: str,
    redirect_url: str | None = None,
    client: str | None = None,
) -> tuple[Order, Payment]:
    """Turn a checkout into an order in one transaction: order (sequential number, its
    own copy of the address), one shipment per group, line snapshots, stock allocations,
    the voucher's use and the payment through `gateway`. Completing the same checkout
    again returns the same order and payment. Guests paying on delivery are bounded per
    phone and per `client` address (orders.guests)."""
    redirect = clean_redirect_url(redirect_url)
    bounded = guests.is_bounded(signed_in=is_signed_in(actor), gateway=get_gateway(gateway or ""))
    # Counted before the transaction (a retry must not count twice), given back if no
    # order is placed.
    if bounded and not guests.count_for_client(client):
        guests.uncount_for_client(client)
        raise guests.too_many_for_client()
    try:
        order, payment = run_with_retries(
            lambda: _place(actor, checkout.pk, gateway or "", redirect)
        )
    except DomainError:
        if bounded:
            guests.uncount_for_client(client)
        raise
    return after_commit(order, payment)


def after_commit(order: Order, payment: Payment | None) -> tuple[Order, Payment | None]:
    """Ask the provider of a payment just committed for its reference and next step."""
    if payment is None or payment.status != PaymentStatus.PENDING or payment.psp_reference:
        return order, payment
    gateway = get_gateway(payment.gateway)
    if gateway is None or not gateway.calls_provider:
        return order, payment
    payment.order = order
    payment = payment_services.request_payment(payment=payment)
    if payment.status == PaymentStatus.FAILED:
        order.refresh_from_db(fields=["payment_status", "updated"])
    return order, payment


# ---------------------------------------------------------------- canceling


def _release(order: Order, *, actor, reason: str) -> None:
    """Stock, voucher and shipments back as they were; the caller holds the order lock."""
    line_ids = list(OrderLine.objects.filter(order=order).values_list("pk", flat=True))
    # Allocations are locked in stock order inside deallocate, as allocate does.
    stock.deallocate(order_line_ids=line_ids)
    history = [events.event(order, EventType.STOCK_RELEASED, user=actor, lines=len(line_ids))]
    usage = VoucherUsage.objects.filter(order=order).select_related("voucher").first()
    if usage is not None:
        Voucher.objects.filter(pk=usage.voucher_id, used__gt=0).update(used=F("used") - 1)
        usage.delete()
        history.append(
            events.event(order, EventType.VOUCHER_RELEASED, user=actor, code=usage.voucher.code)
        )
    Shipment.objects.filter(order=order).exclude(status=ShipmentStatus.CANCELED).update(
        status=ShipmentStatus.CANCELED, updated=timezone.now()
    )
    order.status = OrderStatus.CANCELED
    order.expires_at = None
    order.save(update_fields=["status", "expires_at", "updated"])
    kind = EventType.EXPIRED if reason == "expired" else EventType.CANCELED
    history.append(events.event(order, kind, user=actor, reason=reason))
    events.record(*history)
    bump_catalog_version()


def lock_order(order_id: int) -> Order | None:
    return (
        Order.objects.select_for_update(of=("self",))
        .select_related("channel", "shipping_address")
        .filter(pk=order_id)
        .first()
    )


def _cancel(actor, order_id: int) -> Order:
    order = lock_order(order_id)
    if order is None:
        raise DomainError.of(ErrorCode.NOT_FOUND, "id")
    allowed, as_staff = can_cancel(actor, order)
    if not allowed:
        raise DomainError.of(ErrorCode.PERMISSION_DENIED, "id")
    statuses = set(Shipment.objects.filter(order=order).values_list("status", flat=True))
    if not is_cancelable(order, statuses):
        raise DomainError.of(
            ErrorCode.INVALID_STATUS,
            "id",
            _("This order can no longer be canceled: part of it has been shipped.")
            if order.status in OPEN_STATUSES
            else _("This order can no longer be canceled."),
        )
    charged = order.payments.filter(status=PaymentStatus.CHARGED)
    if charged.exists():
        # Refunds belong to the online gateways; until they exist nothing is charged
        # before delivery, so this is a guard rather than a path.
        raise DomainError.of(
            ErrorCode.PAYMENT_ERROR, "id", _("A paid order must be refunded before canceling.")
        )
    _release(order, actor=actor, reason="staff" if as_staff else "buyer")
    return order


def cancel_order(*, actor, order: Order) -> Order:
    """The buyer, while nothing has been shipped, or platform staff (orders.change_order):
    allocations go back to stock, the voucher's use is given back, shipments are
    canceled and the history says who did it."""
    return run_with_retries(lambda: _cancel(actor, order.pk))


def _expire(order_id: int, now: datetime) -> bool:
    order = lock_order(order_id)
    # Paid, canceled or confirmed while we were waiting for the lock: nothing to do.
    if (
        order is None
        or order.status != OrderStatus.UNCONFIRMED
        or order.expires_at is None
        or order.expires_at > now
    ):
        return False
    Payment.objects.filter(order=order, status=PaymentStatus.PENDING).update(
        status=PaymentStatus.FAILED, updated=timezone.now()
    )
    order.payment_status = (
        PaymentStatus.FAILED
        if order.payment_status == PaymentStatus.PENDING
        else order.payment_status
    )
    order.save(update_fields=["payment_status", "updated"])
    _release(order, actor=None, reason="expired")
    return True


def expire_unpaid_orders(*, now: datetime | None = None, limit: int = 500) -> int:
    """Cancel UNCONFIRMED orders whose payment did not arrive before `expires_at`,
    releasing their stock and voucher; each in its own transaction. Returns how many."""
    now = now or timezone.now()
    ids = list(
        Order.objects.filter(status=OrderStatus.UNCONFIRMED, expires_at__lte=now)
        .order_by("expires_at", "id")
        .values_list("pk", flat=True)[:limit]
    )
    expired = 0
    for order_id in ids:
        if run_with_retries(lambda order_id=order_id: _expire(order_id, now)):
            expired += 1
    return expired
