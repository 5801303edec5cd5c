"""Postings for the marketplace's money events. Each takes plain domain objects, runs in
one transaction, locks the order first and is idempotent on its cause (see postings.py
for the invariant, the lock order and the safety net).

- capture / cash collected: money in (gateway clearing, or cash held by the fulfiller)
  against each party's escrow, split as the order is (split.py);
- completion: escrow released to the parties' available balances; the fulfiller's
  available balance is netted against the cash it holds and anything a party owes;
- refund (refunds, short packing, returns): the exact reverse, from escrow before
  completion, from the parties' available balances after (what a party can no longer
  cover becomes a receivable, so no available balance goes negative).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from marketplace.channels.money import quantum
from marketplace.core import sql
from marketplace.core.errors import DomainError, ErrorCode
from marketplace.core.sql import Table
from marketplace.ledger import postings
from marketplace.ledger.models import AccountKind, CauseKind, Entry, Posting
from marketplace.ledger.postings import ZERO, available_key, key, owed
from marketplace.ledger.rounding import largest_remainder
from marketplace.ledger.split import Party, fulfiller_party, split_order
from marketplace.orders.models import Order

MONEY_IN = (CauseKind.CAPTURE, CauseKind.CASH)


def _positive(amount: Decimal, currency: str) -> Decimal:
    try:
        value = Decimal(amount)
    except (TypeError, ValueError, ArithmeticError):
        value = Decimal(-1)
    if not value.is_finite() or value <= 0 or value != value.quantize(quantum(currency)):
        raise DomainError.of(
            ErrorCode.INVALID, "amount", _("The amount must be a positive sum of money.")
        )
    return value


def _lock_order(order: Order) -> Order:
    return Order.objects.select_for_update().get(pk=order.pk)


def _completed(order_id: int) -> bool:
    return Posting.objects.filter(order_id=order_id, cause_kind=CauseKind.COMPLETION).exists()


def _collected_and_refunded(order_id: int) -> tuple[Decimal, Decimal]:
    rows = (
        Posting.objects.filter(order_id=order_id, cause_kind__in=[*MONEY_IN, CauseKind.REFUND])
        .values("cause_kind")
        .annotate(total=Sum("amount"))
    )
    totals = {row["cause_kind"]: row["total"] for row in rows}
    collected = sum((totals.get(kind, ZERO) for kind in MONEY_IN), ZERO)
    return collected, totals.get(CauseKind.REFUND, ZERO)


def _order_entries(order_id: int, kinds, cause_kinds) -> dict[Party, Decimal]:
    """Per party, the sum of the order's entries on accounts of `kinds` in postings of
    `cause_kinds`."""
    rows = (
        Entry.objects.filter(
            posting__order_id=order_id,
            posting__cause_kind__in=list(cause_kinds),
            account__kind__in=list(kinds),
        )
        .values("account__seller_id", "account__cooperative_id")
        .annotate(total=Sum("amount"))
    )
    result: dict[Party, Decimal] = defaultdict(lambda: ZERO)
    for row in rows:
        if row["account__seller_id"]:
            party: Party = ("seller", row["account__seller_id"])
        elif row["account__cooperative_id"]:
            party = ("cooperative", row["account__cooperative_id"])
        else:
            party = ("platform", None)
        result[party] += row["total"]
    return result


# What an order's postings add up to, per cause kind, and whether one cause is among
# them: read by every money-in posting, so written out (core.sql).
@sql.statement("ledger.order_postings", uses=[sql.index(Posting, "order")])
def _order_postings_sql() -> str:
    posting = Table("po", Posting)
    return f"""
SELECT {posting.c.cause_kind}, SUM({posting.c.amount}),
       COUNT(*) FILTER (WHERE {posting.c.cause_kind} = %s AND {posting.c.cause_id} = %s)
  FROM {posting.ref}
 WHERE {posting.c.order} = %s
 GROUP BY {posting.c.cause_kind}
"""


def _money_in(
    *,
    order: Order,
    cause_kind: str,
    cause_id: int,
    source_key,
    amount: Decimal,
    parts: Callable[[], dict[Party, Decimal]],
) -> Posting | None:
    """Money in for `order` (locked by the caller), split by `parts()`; None when this
    cause was posted before. What the order's postings say is read in one query: whether
    this cause is among them, what was collected, whether the order was completed."""
    with connection.cursor() as cursor:
        cursor.execute(_order_postings_sql(), [cause_kind, str(cause_id), order.pk])
        rows = cursor.fetchall()
    if any(this for _kind, _total, this in rows):
        return None
    totals = {kind: total for kind, total, _this in rows}
    collected = sum((totals.get(kind, ZERO) for kind in MONEY_IN), ZERO)
    if collected + amount > order.total:
        raise DomainError.of(
            ErrorCode.INVALID, "amount", _("More money than the order's total was received.")
        )
    split = parts()
    parties = list(split)
    shares = largest_remainder(amount, [split[p] for p in parties], quantum(order.currency))
    # Money that arrives after the order was completed needs no escrow.
    completed = CauseKind.COMPLETION in totals
    party_keys = {p: available_key(p) if completed else key(AccountKind.ESCROW, p) for p in parties}
    found = postings.accounts(order.currency, [source_key, *party_keys.values()])
    entries = [(found[source_key], amount)]
    entries += [(found[party_keys[p]], -share) for p, share in zip(parties, shares, strict=True)]
    return postings.post(
        cause_kind=cause_kind,
        cause_id=cause_id,
        currency=order.currency,
        amount=amount,
        entries=entries,
        order_id=order.pk,
    )


def took_in(payment) -> bool:
    """Whether the ledger posted this online payment's capture."""
    return postings.existing(CauseKind.CAPTURE, payment.pk) is not None


def post_payment_captured(
    *, payment, amount: Decimal, locked_order: Order | None = None
) -> Posting | None:
    """The gateway took `amount` for the payment's order: into each party's escrow.
    `locked_order`: the payment's order as read under its row lock in the caller's
    transaction (settling a payment holds it), so it is neither read nor locked again."""
    amount = _positive(amount, payment.currency)
    if locked_order is None:
        with transaction.atomic():
            return _captured(payment, amount, _lock_order(payment.order))
    if locked_order.pk != payment.order_id:
        raise ValueError("locked_order is not the payment's order")
    # The caller's transaction holds the lock, and a refusal here fails it whole (the
    # payment is not settled without its posting): no savepoint to roll back to.
    with transaction.atomic(savepoint=False):
        return _captured(payment, amount, locked_order)


def _captured(payment, amount: Decimal, order: Order) -> Posting | None:
    return _money_in(
        order=order,
        cause_kind=CauseKind.CAPTURE,
        cause_id=payment.pk,
        source_key=key(AccountKind.CLEARING, gateway=payment.gateway),
        amount=amount,
        parts=lambda: split_order(order).by_party(),
    )


@transaction.atomic
def post_cash_collected(
    *, shipment, amount: Decimal, short: dict[int, int] | None = None
) -> Posting | None:
    """The fulfiller collected `amount` in cash for the shipment (cash on delivery): it
    holds the cash; the shipment's parts go into escrow, less the parts of the `short`
    units (order line id → units not packed), which the buyer did not pay for: so the
    producer whose units were missing, and only it, gets less."""
    order = _lock_order(shipment.order)
    amount = _positive(amount, order.currency)

    def parts() -> dict[Party, Decimal]:
        split = split_order(order)
        shares = split.shipment_parts(shipment.pk)
        if not short:
            return shares
        missing = split.returned_parts(
            {line_id: units for line_id, units in short.items() if line_id in split.lines}
        )
        return {party: value - missing.get(party, ZERO) for party, value in shares.items()}

    return _money_in(
        order=order,
        cause_kind=CauseKind.CASH,
        cause_id=shipment.pk,
        source_key=key(AccountKind.CASH_HELD, fulfiller_party(shipment)),
        amount=amount,
        parts=parts,
    )


def _netting(currency: str, parties: set[Party], credited: dict[Party, Decimal]) -> list:
    """Entries that settle, from each party's available balance (after this posting's
    credits), first what it owes the platform, then the cash it holds."""
    wanted = {}
    for party in parties:
        if party[0] == "platform":
            continue
        wanted[party] = (
            available_key(party),
            key(AccountKind.RECEIVABLE, party),
            key(AccountKind.CASH_HELD, party),
        )
    found = postings.accounts(currency, [k for keys in wanted.values() for k in keys], lock=True)
    current = postings.balances(a.pk for a in found.values())
    entries = []
    for party, (avail_key, receivable_key, cash_key) in wanted.items():
        available = owed(current[found[avail_key].pk]) + credited.get(party, ZERO)
        for other_key in (receivable_key, cash_key):
            held = current[found[other_key].pk]
            settle = min(held, available)
            if settle > 0:
                entries += [(found[avail_key], settle), (found[other_key], -settle)]
                available -= settle
    return entries


@transaction.atomic
def post_order_completed(*, order: Order) -> Posting | None:
    """Release the order's escrow to each party's available balance (once per order)."""
    if postings.existing(CauseKind.COMPLETION, order.pk):
        return None
    order = _lock_order(order)
    held = _order_entries(order.pk, [AccountKind.ESCROW], [*MONEY_IN, CauseKind.REFUND])
    parties = set(held)
    split = split_order(order)
    parties |= {fulfiller for fulfiller, _price in split.shipping.values()}
    keys = {p: (key(AccountKind.ESCROW, p), available_key(p)) for p in held}
    found = postings.accounts(order.currency, [k for pair in keys.values() for k in pair])
    entries = []
    credited: dict[Party, Decimal] = {}
    for party, balance in held.items():
        escrow_key, avail_key = keys[party]
        entries += [(found[escrow_key], -balance), (found[avail_key], balance)]
        credited[party] = owed(balance)
    entries += _netting(order.currency, parties, credited)
    return postings.post(
        cause_kind=CauseKind.COMPLETION,
        cause_id=order.pk,
        currency=order.currency,
        amount=sum((owed(b) for b in held.values()), ZERO),
        entries=entries,
        order_id=order.pk,
    )


def _refund_weights(order: Order, completed: bool, lines, shipment) -> dict[Party, Decimal]:
    if lines:
        return split_order(order).returned_parts(lines)
    if shipment is not None:
        return split_order(order).shipment_parts(shipment.pk)
    if not completed:
        held = _order_entries(order.pk, [AccountKind.ESCROW], [*MONEY_IN, CauseKind.REFUND])
        return {p: owed(b) for p, b in held.items()}
    released = _order_entries(order.pk, [AccountKind.ESCROW], [CauseKind.COMPLETION])
    taken = _order_entries(
        order.pk,
        [
            AccountKind.SELLER,
            AccountKind.COOPERATIVE,
            AccountKind.COMMISSION,
            AccountKind.RECEIVABLE,
        ],
        [CauseKind.REFUND],
    )
    return {p: released[p] - taken.get(p, ZERO) for p in released}


def _refund_destination(order: Order, owed_to_buyer: bool, by_hand: bool):
    if by_hand:
        # Staff gave it back from the platform's own money: the gateway still holds it.
        return key(AccountKind.REFUNDED)
    if not owed_to_buyer:
        gateway = (
            Entry.objects.filter(
                posting__order_id=order.pk,
                posting__cause_kind=CauseKind.CAPTURE,
                account__kind=AccountKind.CLEARING,
            )
            .values_list("account__gateway", flat=True)
            .first()
        )
        if gateway is not None:
            return key(AccountKind.CLEARING, gateway=gateway)
    return key(AccountKind.REFUNDS_OWED)


@transaction.atomic
def post_refund(
    *,
    order: Order,
    amount: Decimal,
    cause_key: str,
    lines: dict[int, int] | None = None,
    shipment=None,
    owed_to_buyer: bool = False,
    by_hand: bool = False,
) -> Posting | None:
    """Reverse `amount` of the order exactly as it was split: the parts of `lines`
    (order line id → units) or of `shipment` when given, else in proportion to what is
    left. Back through the capturing gateway, or owed to the buyer (cash on delivery, or
    `owed_to_buyer`), or given back `by_hand` by staff (REFUNDED to the buyer). Never
    more than was received less what was refunded."""
    order = _lock_order(order)
    amount = _positive(amount, order.currency)
    if postings.existing(CauseKind.REFUND, cause_key):
        return None
    collected, refunded = _collected_and_refunded(order.pk)
    if amount > collected - refunded:
        raise DomainError.of(
            ErrorCode.INVALID,
            "amount",
            _("The refund is larger than what remains of the order's payment."),
        )
    completed = _completed(order.pk)
    weights = {p: w for p, w in _refund_weights(order, completed, lines, shipment).items() if w}
    if not weights:
        raise DomainError.of(ErrorCode.INVALID, "amount", _("Nothing is left to refund."))
    parties = list(weights)
    shares = dict(
        zip(
            parties,
            largest_remainder(amount, [weights[p] for p in parties], quantum(order.currency)),
            strict=True,
        )
    )
    destination = _refund_destination(order, owed_to_buyer, by_hand)
    if not completed:
        _check_held(order.pk, shares)
        keys = {p: key(AccountKind.ESCROW, p) for p in parties}
        found = postings.accounts(order.currency, [destination, *keys.values()])
        entries = [(found[keys[p]], shares[p]) for p in parties]
    else:
        entries, found = _refund_from_available(order.currency, shares, destination)
    entries.append((found[destination], -amount))
    return postings.post(
        cause_kind=CauseKind.REFUND,
        cause_id=cause_key,
        currency=order.currency,
        amount=amount,
        entries=entries,
        order_id=order.pk,
    )


def _check_held(order_id: int, shares: dict[Party, Decimal]) -> None:
    """Before completion a producer can give back only what its escrow holds for the
    order: the units of a shipment whose cash was never collected were never paid."""
    held = _order_entries(order_id, [AccountKind.ESCROW], [*MONEY_IN, CauseKind.REFUND])
    for party, share in shares.items():
        if party[0] != "platform" and share > 0 and share > owed(held.get(party, ZERO)):
            raise DomainError.of(
                ErrorCode.INVALID,
                "amount",
                _("The refund is larger than what remains of the order's payment."),
            )


def _refund_from_available(currency: str, shares: dict[Party, Decimal], destination):
    keys = {p: (available_key(p), key(AccountKind.RECEIVABLE, p)) for p in shares}
    found = postings.accounts(
        currency, [destination, *(k for pair in keys.values() for k in pair)], lock=True
    )
    current = postings.balances(found[pair[0]].pk for pair in keys.values())
    entries = []
    for party, share in shares.items():
        avail_key, receivable_key = keys[party]
        if party[0] == "platform" or share <= 0:
            entries.append((found[avail_key], share))
            continue
        covered = min(share, max(owed(current[found[avail_key].pk]), ZERO))
        entries += [(found[avail_key], covered), (found[receivable_key], share - covered)]
    return entries, found


@transaction.atomic
def reverse_posting(*, posting: Posting, reason: str) -> Posting | None:
    """A correction: a new posting with every entry of `posting` negated."""
    rows = list(posting.entries.select_related("account"))
    return postings.post(
        cause_kind=CauseKind.REVERSAL,
        cause_id=posting.pk,
        currency=posting.currency,
        amount=posting.amount,
        entries=[(row.account, -row.amount) for row in rows],
        order_id=posting.order_id,
        memo=reason,
    )


def received(order_id: int) -> Decimal:
    """What the order's buyer paid, less what was refunded."""
    collected, refunded = _collected_and_refunded(order_id)
    return collected - refunded


def cash_posted(shipment_id: int) -> bool:
    return postings.existing(CauseKind.CASH, shipment_id) is not None


def received_online(order_id: int) -> bool:
    return Posting.objects.filter(order_id=order_id, cause_kind=CauseKind.CAPTURE).exists()


@transaction.atomic
def post_owed_refund_paid(*, refund) -> Posting | None:
    """Staff transferred an owed refund to the buyer's bank account: what «Refunds owed
    to buyers» holds for it goes to «Refunded to buyers». Only what the ledger recorded
    as owed for that refund (a payment it never took in owes nothing here); once."""
    cause = f"refund:{refund.pk}"
    # The refund's posting and what it credited to «Refunds owed», in one query.
    owed_entries = (
        Entry.objects.filter(
            posting__cause_kind=CauseKind.REFUND,
            posting__cause_id=cause,
            account__kind=AccountKind.REFUNDS_OWED,
        )
        .values("posting__currency", "posting__order_id")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    credited = next(iter(owed_entries), None)
    amount = -credited["total"] if credited else ZERO
    if amount <= 0:
        return None
    currency = credited["posting__currency"]
    owed_key, refunded_key = key(AccountKind.REFUNDS_OWED), key(AccountKind.REFUNDED)
    found = postings.accounts(currency, [owed_key, refunded_key])
    return postings.post(
        cause_kind=CauseKind.REFUND_PAID,
        cause_id=cause,
        currency=currency,
        amount=amount,
        entries=[(found[owed_key], amount), (found[refunded_key], -amount)],
        order_id=credited["posting__order_id"],
    )
