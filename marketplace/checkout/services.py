"""Writes to checkouts: lines (with stock reservations), the buyer's email, the shipping
address, a delivery method per group, promo codes, and handing an anonymous checkout to its buyer.

Every write runs in one transaction and starts by locking the checkout row (an UPDATE
that also records the change time), so two requests on the same checkout take turns and a
completed checkout is never changed. Lines reserve what they hold for
CHECKOUT_RESERVATION_MINUTES, and every write renews the checkout's live reservations, up
to CHECKOUT_MAX_HOLD_MINUTES after its first one.

What one buyer may hold is bounded (checkout.holding).

Stock rows are locked in one global order (stock id) for all the lines of a request at
once — the order checkoutComplete locks them in — so the number of queries
does not grow with the number of lines and two buyers never wait on each other in a
circle. Should PostgreSQL still report a deadlock or a serialization failure, the write is
retried; no such error reaches a buyer.

Each write returns the CheckoutInfo built after it, for the caller to show without
computing it again.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from marketplace.accounts.addresses import ADDRESS_FIELDS, clean_address
from marketplace.accounts.models import Address
from marketplace.catalog.models import ProductVariant
from marketplace.channels.selectors import channel_by_slug
from marketplace.checkout import holding, selectors
from marketplace.checkout.info import CheckoutInfo, build_checkout_info, voucher_discount
from marketplace.checkout.models import Checkout, CheckoutDelivery, CheckoutLine
from marketplace.checkout.transactions import hold_deadline, lock, not_found, write
from marketplace.core import sql
from marketplace.core.errors import DomainError, ErrorCode, ErrorCollector, permission_denied
from marketplace.core.validators import clean_email
from marketplace.core.versioning import bump_catalog_version
from marketplace.discounts.selectors import clean_code, voucher_by_code, voucher_problem
from marketplace.inventory import stock
from marketplace.inventory.models import Reservation

# Distinct products in one checkout, and lines in one request: far above a real cart,
# low enough that no request can make the server lock thousands of stock rows.
MAX_LINES = 100
# A line as callers give it: (variant or its id, quantity).
LineSpec = tuple[ProductVariant | int, int]


# ---------------------------------------------------------------- lines


@dataclass
class _Target:
    """A line whose reservation is (re)made: `strict` lines fail with INSUFFICIENT_STOCK
    when the stock cannot cover them; others (lines whose hold expired) keep what is left."""

    variant_id: int
    quantity: int
    field: str | None
    strict: bool = True
    line: CheckoutLine | None = None


def _variant_id(value: ProductVariant | int) -> int:
    return value.pk if isinstance(value, ProductVariant) else int(value)


def _plan_lines(
    checkout: Checkout,
    specs: Sequence[LineSpec],
    existing: dict[int, CheckoutLine],
    *,
    replace: bool,
    errors: ErrorCollector,
) -> dict[int, tuple[int, int]]:
    """Validate the input lines; variant id → (input index, the line's new quantity).
    Adding sums quantities (with the cart's and with repeats in the input); replacing
    sets them, 0 removing the line."""
    if len(specs) > MAX_LINES:
        raise DomainError.of(
            ErrorCode.INVALID, "lines", _("At most %(n)d lines at once.") % {"n": MAX_LINES}
        )
    ids = {_variant_id(variant) for variant, _q in specs}
    variants, priced = selectors.variants_to_buy(ids, checkout.channel_id)
    minimum = 0 if replace else 1
    maximum = holding.max_line_quantity()
    wanted: dict[int, tuple[int, int]] = {}
    for index, (value, quantity) in enumerate(specs):
        quantity_field, variant_field = f"lines.{index}.quantity", f"lines.{index}.variant_id"
        if not isinstance(quantity, int) or not minimum <= quantity <= maximum:
            errors.add(
                ErrorCode.INVALID,
                quantity_field,
                _("Enter a quantity from %(min)d to %(max)s.")
                % {"min": minimum, "max": f"{maximum:,}"},
            )
            continue
        variant = variants.get(_variant_id(value))
        if variant is None:
            errors.add(ErrorCode.NOT_FOUND, variant_field)
            continue
        if replace:
            if variant.pk in wanted:
                errors.add(ErrorCode.INVALID, variant_field, _("This product is listed twice."))
                continue
            total = quantity
        else:
            base = wanted[variant.pk][1] if variant.pk in wanted else None
            if base is None:
                base = existing[variant.pk].quantity if variant.pk in existing else 0
            total = base + quantity
        if total > maximum:
            errors.add(
                ErrorCode.INVALID,
                quantity_field,
                _("At most %(max)s of one product per checkout.") % {"max": f"{maximum:,}"},
            )
            continue
        if total > 0:
            problem = selectors.why_not_for_sale(variant, priced)
            if problem is not None:
                errors.add(ErrorCode.NOT_AVAILABLE_IN_CHANNEL, variant_field, problem)
                continue
        wanted[variant.pk] = (index, total)
    remaining = (set(existing) | {pk for pk, (_i, q) in wanted.items() if q > 0}) - {
        pk for pk, (_i, q) in wanted.items() if q == 0
    }
    if len(remaining) > MAX_LINES:
        errors.add(
            ErrorCode.INVALID,
            "lines",
            _("A checkout holds at most %(n)d different products.") % {"n": MAX_LINES},
        )
    units = sum(q for _i, q in wanted.values()) + sum(
        existing[pk].quantity for pk in remaining if pk not in wanted
    )
    holding.check_units(units, errors)
    return wanted


def _plan_reservations(
    checkout: Checkout, targets: list[_Target]
) -> dict[int, list[tuple[int, int]]]:
    """Lock the stock rows of every target's variant (in stock id order: the global lock
    order) and share out what is free: variant id → [(stock id, units)]. Strict
    targets the stock cannot cover fail together, with what is left of each."""
    variant_ids = sorted({t.variant_id for t in targets})
    locked = stock.locked_stocks(variant_ids)
    # A new snapshot, after the locks: what competitors committed while we waited counts.
    free = stock.free_by_stock([pk for pk, _v in locked], exclude_checkout=checkout.pk)
    per_variant: dict[int, list[int]] = defaultdict(list)
    for pk, variant_id in locked:
        per_variant[variant_id].append(pk)
    errors = ErrorCollector()
    plan: dict[int, list[tuple[int, int]]] = {}
    for target in targets:
        stocks = per_variant.get(target.variant_id, [])
        available = sum(max(free.get(pk, 0), 0) for pk in stocks)
        if target.strict and target.quantity > available:
            errors.extend(stock.insufficient(target.field, available))
            continue
        remaining = min(target.quantity, available)
        takes = []
        for pk in stocks:
            take = min(max(free.get(pk, 0), 0), remaining)
            if take:
                takes.append((pk, take))
                remaining -= take
            if not remaining:
                break
        plan[target.variant_id] = takes
    errors.raise_if_any()
    return plan


def _write_reservations(
    checkout: Checkout,
    targets: list[_Target],
    plan: dict[int, list[tuple[int, int]]],
    *,
    replace_old: bool,
) -> None:
    line_ids = [t.line.pk for t in targets]
    if replace_old:
        Reservation.objects.filter(checkout_line_id__in=line_ids).delete()
    now = timezone.now()
    if checkout.holding_since is None:
        # Its first hold (a checkout created empty): the longest hold counts from here.
        checkout.holding_since = now
        Checkout.objects.filter(pk=checkout.pk).update(holding_since=now)
    deadline = hold_deadline(checkout, now)
    if deadline <= now:
        return  # held as long as one checkout may: the lines stay, unreserved
    Reservation.objects.bulk_create(
        Reservation(checkout_line=t.line, stock_id=pk, quantity=take, reserved_until=deadline)
        for t in targets
        for pk, take in plan.get(t.variant_id, [])
    )


def _drop_orphan_deliveries(checkout: Checkout, info: CheckoutInfo) -> None:
    """Chosen methods of fulfillers whose lines are all gone."""
    keep = Q(pk__in=[])
    for group in info.groups:
        cooperative_id, seller_id = selectors.fulfiller_of(group)
        keep |= Q(cooperative_id=cooperative_id) if cooperative_id else Q(seller_id=seller_id)
    CheckoutDelivery.objects.filter(checkout=checkout).exclude(keep).delete()


def _apply_lines(
    checkout: Checkout,
    specs: Sequence[LineSpec],
    *,
    replace: bool,
    errors: ErrorCollector | None = None,
    existing: dict[int, CheckoutLine] | None = None,
) -> CheckoutInfo:
    errors = errors or ErrorCollector()
    if existing is None:
        existing = selectors.lines_with_held(checkout)
    wanted = _plan_lines(checkout, specs, existing, replace=replace, errors=errors)
    errors.raise_if_any()

    targets: list[_Target] = []
    removed: list[int] = []
    for variant_id, (index, quantity) in wanted.items():
        if quantity == 0:
            if variant_id in existing:
                removed.append(existing[variant_id].pk)
            continue
        targets.append(_Target(variant_id, quantity, f"lines.{index}.quantity"))
    # Lines left alone whose hold lapsed get what is still free, so the cart the buyer
    # is working on is covered again; they never fail the request.
    for variant_id, line in existing.items():
        if variant_id not in wanted and line.held < line.quantity:
            targets.append(_Target(variant_id, line.quantity, None, strict=False, line=line))
    plan = _plan_reservations(checkout, targets) if targets else {}

    if removed:
        CheckoutLine.objects.filter(pk__in=removed).delete()
    new_lines, changed = [], []
    for target in targets:
        line = target.line or existing.get(target.variant_id)
        if line is None:
            line = CheckoutLine(
                checkout=checkout, variant_id=target.variant_id, quantity=target.quantity
            )
            new_lines.append(line)
        elif line.quantity != target.quantity:
            line.quantity = target.quantity
            changed.append(line)
        target.line = line
    if new_lines:
        CheckoutLine.objects.bulk_create(new_lines)
    if changed:
        CheckoutLine.objects.bulk_update(changed, ["quantity"])
    if targets:
        replace_old = any(t.variant_id in existing for t in targets)
        _write_reservations(checkout, targets, plan, replace_old=replace_old)
    if targets or removed:
        # The catalogue shows quantityAvailable, which reservations lower.
        bump_catalog_version()
    info = build_checkout_info(checkout)
    if removed:
        _drop_orphan_deliveries(checkout, info)
    return info


def _signed_in(actor) -> bool:
    return selectors.is_signed_in(actor)


@write
def create_checkout(
    *,
    actor,
    channel: str | None,
    email: str | None,
    lines: Sequence[LineSpec],
    language: str = "fa",
    client: str | None = None,
) -> tuple[Checkout, CheckoutInfo]:
    """A new checkout with `lines` reserved. A signed-in buyer owns it (their email by
    default); an anonymous one may give an email now or later (set_email), before
    completing it, and one client address creates at most CHECKOUT_CREATE_PER_CLIENT
    of them within CHECKOUT_MAX_HOLD_MINUTES."""
    channel_obj = channel_by_slug(channel or None, field="channel")
    if not _signed_in(actor):
        holding.check_client(client)
    errors = ErrorCollector()
    address = ""
    try:
        address = clean_email(email, field="email", required=False)
        if _signed_in(actor):
            address = address or actor.email or ""
    except DomainError as exc:
        errors.extend(exc)
    checkout = Checkout.objects.create(
        user=actor if _signed_in(actor) else None,
        email=address,
        channel=channel_obj,
        language=(language or "fa")[:8],
        holding_since=timezone.now() if lines else None,
    )
    info = _apply_lines(checkout, lines, replace=False, errors=errors, existing={})
    return checkout, info


@write
def add_lines(*, actor, checkout: Checkout, lines: Sequence[LineSpec]) -> CheckoutInfo:
    """Add products; a product already in the cart gets the quantities added to it."""
    lock(actor, checkout)
    return _apply_lines(checkout, lines, replace=False)


@write
def update_lines(*, actor, checkout: Checkout, lines: Sequence[LineSpec]) -> CheckoutInfo:
    """Set the quantities of products (adding those not in the cart); 0 removes."""
    lock(actor, checkout)
    return _apply_lines(checkout, lines, replace=True)


@write
def set_email(*, actor, checkout: Checkout, email: str) -> CheckoutInfo:
    """The email the order's confirmation goes to: an anonymous buyer gives it with the
    address, after filling the cart."""
    lock(actor, checkout)
    address = clean_email(email, field="email", required=True)
    Checkout.objects.filter(pk=checkout.pk).update(email=address)
    checkout.email = address
    return build_checkout_info(checkout)


# ---------------------------------------------------------------- address and delivery


def _recount(info: CheckoutInfo) -> CheckoutInfo:
    info.shipping = sum((g.shipping_price for g in info.groups), selectors.ZERO)
    return selectors.with_discount(info, info.discount)


@write
def set_shipping_address(*, actor, checkout: Checkout, data) -> CheckoutInfo:
    """Validate and store the address (the checkout's own copy, without a user); chosen
    delivery methods that do not serve it any more are dropped."""
    lock(actor, checkout)
    cleaned = clean_address(data, field_prefix="shipping_address")
    current = checkout.shipping_address if checkout.shipping_address_id else None
    if current is not None and current.user_id is None:
        # The checkout's own copy is rewritten in place: one row per checkout, always.
        for name in ADDRESS_FIELDS:
            setattr(current, name, getattr(cleaned, name))
        current.save(update_fields=list(ADDRESS_FIELDS))
    else:
        cleaned.user = None
        cleaned.save()
        Checkout.objects.filter(pk=checkout.pk).update(shipping_address=cleaned)
        checkout.shipping_address = cleaned
    info = selectors.info_with_options(checkout)
    # Choices that no longer apply (the method does not serve the new address, or its
    # group is gone) are dropped; the info already leaves them out.
    applied = {
        selectors.fulfiller_of(g): g.delivery_method.pk
        for g in info.groups
        if g.delivery_method is not None
    }
    stale = [
        owner
        for owner, method_id in selectors.chosen_methods(info).items()
        if applied.get(owner) != method_id
    ]
    if stale:
        drop = Q(pk__in=[])
        for cooperative_id, seller_id in stale:
            drop |= Q(cooperative_id=cooperative_id) if cooperative_id else Q(seller_id=seller_id)
        CheckoutDelivery.objects.filter(drop, checkout=checkout).delete()
    return info


@write
def set_delivery_method(
    *, actor, checkout: Checkout, group_key: str, method_id: int
) -> CheckoutInfo:
    """Choose how one group (fulfiller) is delivered, among the methods that serve the
    checkout's address for that group."""
    lock(actor, checkout)
    if checkout.shipping_address_id is None:
        raise DomainError.of(
            ErrorCode.INVALID,
            "delivery_method_id",
            _("Enter a shipping address first; the delivery methods depend on it."),
        )
    info = selectors.info_with_options(checkout)
    group = info.group(group_key)
    if group is None:
        raise DomainError.of(
            ErrorCode.INVALID, "group_id", _("This group is not part of this checkout.")
        )
    method = next((m for m in selectors.options_for(info)[group.key] if m.pk == method_id), None)
    if method is None:
        raise DomainError.of(
            ErrorCode.INVALID,
            "delivery_method_id",
            _("This delivery method is not available for this group and address."),
        )
    cooperative_id, seller_id = selectors.fulfiller_of(group)
    _choose(checkout, cooperative_id=cooperative_id, seller_id=seller_id, method_id=method.pk)
    group.delivery_method = method
    group.shipping_price = selectors.price_of(method)
    return _recount(info)


# One statement whether or not the group had a choice: the unique index per fulfiller
# (partial: one for cooperatives, one for independent sellers) decides.
def _choose_sql(owner: str) -> str:
    checkout, method = (
        sql.column(CheckoutDelivery, "checkout"),
        sql.column(CheckoutDelivery, "method"),
    )
    owner_column = sql.column(CheckoutDelivery, owner)
    columns = ", ".join(
        sql.column(CheckoutDelivery, name)
        for name in ("checkout", "cooperative", "seller", "method")
    )
    return f"""
INSERT INTO {sql.table_name(CheckoutDelivery)} ({columns})
VALUES (%s, %s, %s, %s)
ON CONFLICT ({checkout}, {owner_column}) WHERE {owner_column} IS NOT NULL
DO UPDATE SET {method} = EXCLUDED.{method}
"""


@sql.statement(
    "checkout.choose_for_cooperative",
    uses=[sql.index(CheckoutDelivery, "checkout", "cooperative")],
)
def _choose_for_cooperative() -> str:
    return _choose_sql("cooperative")


@sql.statement(
    "checkout.choose_for_seller", uses=[sql.index(CheckoutDelivery, "checkout", "seller")]
)
def _choose_for_seller() -> str:
    return _choose_sql("seller")


def _choose(
    checkout: Checkout, *, cooperative_id: int | None, seller_id: int | None, method_id: int
) -> None:
    statement = _choose_for_cooperative if cooperative_id is not None else _choose_for_seller
    with connection.cursor() as cursor:
        cursor.execute(statement(), [checkout.pk, cooperative_id, seller_id, method_id])


# ---------------------------------------------------------------- promo codes


@write
def add_promo_code(*, actor, checkout: Checkout, code: str) -> CheckoutInfo:
    """Apply a voucher, or say exactly why it cannot be used (VOUCHER_INVALID)."""
    lock(actor, checkout)
    if not clean_code(code):
        raise DomainError.of(ErrorCode.REQUIRED, "promo_code")
    voucher = voucher_by_code(code)
    info = build_checkout_info(checkout)
    problem = voucher_problem(voucher, checkout=checkout, lines=info.lines)
    if problem is not None:
        raise DomainError.of(ErrorCode.VOUCHER_INVALID, "promo_code", problem)
    Checkout.objects.filter(pk=checkout.pk).update(voucher=voucher)
    checkout.voucher = voucher
    return selectors.with_discount(info, voucher_discount(checkout, info.lines, info.currency))


@write
def remove_promo_code(*, actor, checkout: Checkout) -> CheckoutInfo:
    lock(actor, checkout)
    Checkout.objects.filter(pk=checkout.pk).update(voucher=None)
    checkout.voucher = None
    return build_checkout_info(checkout)


# ---------------------------------------------------------------- the buyer's checkout


def _move_extras(source: Checkout, target: Checkout) -> None:
    """What the target lacks and the source has: the address (with the deliveries
    chosen for it) and the promo code."""
    changes: dict[str, Any] = {}
    if target.shipping_address_id is None and source.shipping_address_id is not None:
        changes["shipping_address_id"] = source.shipping_address_id
        CheckoutDelivery.objects.filter(checkout=target).delete()
        CheckoutDelivery.objects.filter(checkout=source).update(checkout=target)
    if target.voucher_id is None and source.voucher_id is not None:
        changes["voucher_id"] = source.voucher_id
    if changes:
        Checkout.objects.filter(pk=target.pk).update(**changes)
        for name, value in changes.items():
            setattr(target, name, value)


def _merge_into(source: Checkout, target: Checkout) -> CheckoutInfo:
    """Move the source's lines into the target (quantities added, up to what the stock
    and the per-line limit allow) and delete the source."""
    source_lines = list(CheckoutLine.objects.filter(checkout=source).order_by("created", "id"))
    _move_extras(source, target)
    # The source's holds end first, so its units are free for the target to take.
    source.delete()
    if source.shipping_address_id not in (None, target.shipping_address_id):
        # Its address copy was not taken over: nothing refers to it any more.
        Address.objects.filter(pk=source.shipping_address_id, user__isnull=True).delete()
    existing = selectors.lines_with_held(target)
    targets: list[_Target] = []
    for line in source_lines:
        mine = existing.get(line.variant_id)
        quantity = min(line.quantity + (mine.quantity if mine else 0), holding.max_line_quantity())
        if mine is None and len(existing) + len(targets) >= MAX_LINES:
            continue
        targets.append(_Target(line.variant_id, quantity, None, strict=False, line=mine))
    plan = _plan_reservations(target, targets) if targets else {}
    new_lines, changed = [], []
    for item in targets:
        # A product whose stock ran out keeps the buyer's quantity: completing the
        # checkout will say how many are left.
        if item.line is None:
            item.line = CheckoutLine(
                checkout=target, variant_id=item.variant_id, quantity=item.quantity
            )
            new_lines.append(item.line)
        else:
            item.line.quantity = item.quantity
            changed.append(item.line)
    CheckoutLine.objects.bulk_create(new_lines)
    if changed:
        CheckoutLine.objects.bulk_update(changed, ["quantity"])
    if targets:
        _write_reservations(target, targets, plan, replace_old=bool(changed))
    return build_checkout_info(target)


@write
def attach_customer(*, actor, checkout: Checkout) -> tuple[Checkout, CheckoutInfo]:
    """Give an anonymous checkout to the signed-in buyer, so it follows them to their
    other devices. When they already have an open checkout in that channel, the lines
    are merged into it and the anonymous one is deleted; that checkout is returned."""
    if not _signed_in(actor):
        raise permission_denied()
    if checkout.user_id is not None:
        if checkout.user_id != actor.pk:
            raise not_found()
        lock(actor, checkout)
        return checkout, build_checkout_info(checkout)
    mine = (
        Checkout.objects.select_related(*selectors.RELATED)
        .filter(user_id=actor.pk, channel_id=checkout.channel_id, order__isnull=True)
        .exclude(pk=checkout.pk)
        .order_by("-updated", "-created")
        .first()
    )
    # Both rows locked, in token order, as any other request would lock them.
    for locked in sorted([c for c in (checkout, mine) if c is not None], key=lambda c: c.pk):
        lock(actor, locked)
    if mine is None:
        email = actor.email or checkout.email
        Checkout.objects.filter(pk=checkout.pk).update(user=actor, email=email)
        checkout.user, checkout.email = actor, email
        return checkout, build_checkout_info(checkout)
    return mine, _merge_into(checkout, mine)
