"""Statements: what each producer is owed for a period (the cooperative's remittance
statement groups its members), and the platform's daily reconciliation of gateway
clearing against the gateways' own record of captured payments.

A statement is read from the orders completed in the period (their splits, as the
ledger posted them) and the refunds posted in it; its `refunds` are those and the parts
refunded or packed short before completion, so its `net` is what the ledger credited the
producer, less refunds."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Q, Sum
from django.utils import timezone

from marketplace.ledger import selectors
from marketplace.ledger.models import AccountKind, CauseKind, Entry, Posting
from marketplace.ledger.split import PLATFORM, cooperative_party, split_order
from marketplace.orders.models import Order
from marketplace.payments.gateways import registry
from marketplace.payments.models import Payment
from marketplace.sellers.models import Cooperative, Seller

ZERO = Decimal(0)


@dataclass
class Row:
    label: str  # the producer's name (cooperative statement) or the order number
    sold: Decimal = ZERO
    cooperative_fee: Decimal = ZERO
    commission: Decimal = ZERO
    voucher: Decimal = ZERO  # the producer's own vouchers
    refunds: Decimal = ZERO

    @property
    def net(self) -> Decimal:
        return self.sold - self.cooperative_fee - self.commission - self.voucher - self.refunds


@dataclass
class Statement:
    title: str
    start: date
    end: date
    currency: str
    rows: list[Row] = field(default_factory=list)
    cash_held: Decimal = ZERO  # cash on delivery the cooperative still holds
    shipping: Decimal = ZERO  # shipping prices earned by the fulfiller

    def total(self, name: str) -> Decimal:
        return sum((getattr(row, name) for row in self.rows), ZERO)


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    zone = timezone.get_current_timezone()
    return (
        datetime.combine(start, time.min, tzinfo=zone),
        datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone),
    )


def _credited(order_ids: list[int], seller_ids: set[int]) -> dict[tuple[int, int], Decimal]:
    """(order id, seller id) → what the ledger credited the seller for the order: its
    escrow released at completion, and any money that arrived after it."""
    rows = (
        Entry.objects.filter(posting__order_id__in=order_ids, account__seller_id__in=seller_ids)
        .filter(
            Q(posting__cause_kind=CauseKind.COMPLETION, account__kind=AccountKind.ESCROW)
            | Q(
                posting__cause_kind__in=[CauseKind.CAPTURE, CauseKind.CASH],
                account__kind=AccountKind.SELLER,
            )
        )
        .values("posting__order_id", "account__seller_id", "posting__cause_kind")
        .annotate(total=Sum("amount"))
    )
    result: dict[tuple[int, int], Decimal] = defaultdict(lambda: ZERO)
    for r in rows:
        # The completion debits the escrow it releases; money in credits the seller.
        value = r["total"] if r["posting__cause_kind"] == CauseKind.COMPLETION else -r["total"]
        result[(r["posting__order_id"], r["account__seller_id"])] += value
    return result


def _collect(seller_ids: set[int], start: date, end: date, currency: str, key) -> dict:
    """Rows keyed by `key(seller_id, order)` for the sellers' lines of orders completed
    in the period, and the sellers' refunds posted in it."""
    since, until = _bounds(start, end)
    rows: dict = {}
    completions = Posting.objects.filter(
        cause_kind=CauseKind.COMPLETION, currency=currency, created__gte=since, created__lt=until
    ).values_list("order_id", flat=True)
    orders = list(
        Order.objects.filter(pk__in=completions, lines__seller_id__in=seller_ids)
        .distinct()
        .order_by("created", "id")
    )
    released = _credited([o.pk for o in orders], seller_ids)
    for order in orders:
        split = split_order(order)
        expected: dict[int, Decimal] = defaultdict(lambda: ZERO)
        for line_id, parts in split.lines.items():
            seller_id = split.line_seller[line_id]
            if seller_id not in seller_ids:
                continue
            expected[seller_id] += parts[("seller", seller_id)]
            row = rows.setdefault(key(seller_id, order), Row(label=""))
            bearer, discount = split.line_discount[line_id]
            row.sold += split.line_gross[line_id]
            coop = [amount for party, amount in parts.items() if party[0] == "cooperative"]
            row.cooperative_fee += sum(coop, ZERO)
            row.commission += parts[PLATFORM] + (discount if bearer == PLATFORM else ZERO)
            row.voucher += discount if bearer != PLATFORM else ZERO
        # Units refunded or packed short before completion never reached the producer:
        # the completion credited its part less those, so they count as its refunds.
        for seller_id, part in expected.items():
            rows[key(seller_id, order)].refunds += part - released.get((order.pk, seller_id), ZERO)
    refunds = (
        Entry.objects.filter(
            posting__cause_kind=CauseKind.REFUND,
            posting__created__gte=since,
            posting__created__lt=until,
            account__seller_id__in=seller_ids,
            account__currency=currency,
            # After completion only: before it, the producer had not been credited.
            account__kind__in=[AccountKind.SELLER, AccountKind.RECEIVABLE],
        )
        .values("account__seller_id", "posting__order_id")
        .annotate(total=Sum("amount"))
    )
    orders_by_id = Order.objects.in_bulk({r["posting__order_id"] for r in refunds})
    for r in refunds:
        order = orders_by_id[r["posting__order_id"]]
        row = rows.setdefault(key(r["account__seller_id"], order), Row(label=""))
        row.refunds += r["total"]
    return rows


def cooperative_statement(
    *, actor, cooperative: Cooperative, start: date, end: date, currency: str = "IRR"
) -> Statement | None:
    """The remittance statement: each member's sales, fees, commission, refunds and net
    for the period, and the cash the cooperative holds; None for other readers."""
    if not selectors.can_read_cooperative_money(actor, cooperative):
        return None
    members = dict(Seller.objects.filter(cooperative=cooperative).values_list("id", "name"))
    rows = _collect(set(members), start, end, currency, key=lambda seller_id, order: seller_id)
    statement = Statement(title=cooperative.name, start=start, end=end, currency=currency)
    for seller_id in sorted(rows, key=lambda pk: members.get(pk, "")):
        rows[seller_id].label = members.get(seller_id, str(seller_id))
        statement.rows.append(rows[seller_id])
    balance = selectors.balance_of(cooperative_party(cooperative.pk), currency)
    statement.cash_held = balance.cash_held
    return statement


def cooperative_fees(
    *, actor, cooperative: Cooperative, start: date, end: date, currency: str = "IRR"
) -> Decimal | None:
    """The cooperative's fees on its members' lines of orders completed in the period;
    None for readers who may not see its money."""
    found = cooperative_statement(
        actor=actor, cooperative=cooperative, start=start, end=end, currency=currency
    )
    return None if found is None else found.total("cooperative_fee")


def seller_statement(
    *, actor, seller: Seller, start: date, end: date, currency: str = "IRR"
) -> Statement | None:
    """The producer's own statement, one row per order; None for other readers."""
    if not selectors.can_read_seller_money(actor, seller):
        return None
    rows = _collect({seller.pk}, start, end, currency, key=lambda seller_id, order: order.number)
    statement = Statement(title=seller.name, start=start, end=end, currency=currency)
    for number in sorted(rows):
        rows[number].label = str(number)
        statement.rows.append(rows[number])
    return statement


@dataclass(frozen=True)
class Reconciliation:
    gateway: str
    captured: Decimal  # verified captures of the gateway's payments that day
    posted: Decimal  # to the gateway's clearing account
    unposted_payments: tuple[int, ...]  # captured, not in the ledger
    unknown_payments: tuple[int, ...]  # in the ledger, no capture on record

    @property
    def difference(self) -> Decimal:
        return self.captured - self.posted


def reconcile(day: date, currency: str = "IRR") -> list[Reconciliation]:
    """Per gateway, what it captured on `day` against what the ledger posted to its
    clearing account for captures that day."""
    since, until = _bounds(day, day)
    captured: dict[str, dict[int, Decimal]] = defaultdict(dict)
    # What the payments app recorded as taken: the gateways' verified captures. Cash on
    # delivery reaches the ledger parcel by parcel, not through a gateway's clearing.
    online = [g.id for g in registry.all() if not g.confirms_at_once]
    payments = Payment.objects.filter(
        gateway__in=online,
        captured_at__gte=since,
        captured_at__lt=until,
        currency=currency,
        captured_amount__gt=0,
    ).values_list("pk", "gateway", "captured_amount")
    for payment_id, gateway, amount in payments:
        captured[gateway][payment_id] = amount
    posted: dict[str, dict[int, Decimal]] = defaultdict(dict)
    entries = (
        Entry.objects.filter(
            posting__cause_kind=CauseKind.CAPTURE,
            posting__created__gte=since,
            posting__created__lt=until,
            account__kind=AccountKind.CLEARING,
            currency=currency,
        )
        .values("posting__cause_id", "account__gateway")
        .annotate(total=Sum("amount"))
    )
    for e in entries:
        posted[e["account__gateway"]][int(e["posting__cause_id"])] = e["total"]
    result = []
    for gateway in sorted(set(captured) | set(posted)):
        mine, theirs = posted.get(gateway, {}), captured.get(gateway, {})
        result.append(
            Reconciliation(
                gateway=gateway,
                captured=sum(theirs.values(), ZERO),
                posted=sum(mine.values(), ZERO),
                unposted_payments=tuple(sorted(set(theirs) - set(mine))),
                unknown_payments=tuple(sorted(set(mine) - set(theirs))),
            )
        )
    return result
