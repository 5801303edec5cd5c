"""Reads of the ledger: balances (batched for a page of sellers or cooperatives), payouts,
what a cash-on-delivery shipment should collect. Every selector that takes an actor
returns nothing to an actor who may not see it (never a hint that it exists)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum

from marketplace.ledger.models import AccountKind, Entry, Payout
from marketplace.ledger.split import Party, split_order
from marketplace.orders.models import Shipment
from marketplace.sellers import permissions
from marketplace.sellers.models import Cooperative, Seller

ZERO = Decimal(0)
BALANCE_KINDS = {
    AccountKind.ESCROW: "pending",
    AccountKind.SELLER: "available",
    AccountKind.COOPERATIVE: "available",
    AccountKind.PAID_OUT: "paid_out",
    AccountKind.CASH_HELD: "cash_held",
    AccountKind.RECEIVABLE: "receivable",
}


@dataclass(frozen=True)
class Balance:
    currency: str
    pending: Decimal = ZERO  # in escrow for the party
    available: Decimal = ZERO  # owed to the party, to be paid out
    paid_out: Decimal = ZERO
    cash_held: Decimal = ZERO  # cash on delivery the party collected and still holds
    receivable: Decimal = ZERO  # refunds it could not cover, settled from later sales


def balances(parties: list[Party], currency: str) -> dict[Party, Balance]:
    """The balances of `parties` in `currency`: one query whatever their number."""
    sellers = [p[1] for p in parties if p[0] == "seller"]
    cooperatives = [p[1] for p in parties if p[0] == "cooperative"]
    totals: dict[Party, dict[str, Decimal]] = defaultdict(dict)
    for owner_field, ids, kind in (
        ("account__seller_id", sellers, "seller"),
        ("account__cooperative_id", cooperatives, "cooperative"),
    ):
        if not ids:
            continue
        query = (
            Entry.objects.filter(
                **{f"{owner_field}__in": ids},
                account__currency=currency,
                account__kind__in=list(BALANCE_KINDS),
            )
            .values(owner_field, "account__kind")
            .annotate(total=Sum("amount"))
        )
        for row in query:
            name = BALANCE_KINDS[row["account__kind"]]
            value = row["total"]
            # Credit balances (owed by the platform) read as positive amounts.
            totals[(kind, row[owner_field])][name] = (
                value if name in ("cash_held", "receivable") else -value
            )
    return {p: Balance(currency=currency, **totals.get(p, {})) for p in parties}


def pending_orders(party: Party, currency: str) -> list[tuple[int, Decimal]]:
    """(order number, amount) of each order whose money is still in escrow for `party`,
    newest first: what buyers paid that becomes available when they confirm receipt."""
    owner = "account__seller_id" if party[0] == "seller" else "account__cooperative_id"
    rows = (
        Entry.objects.filter(
            **{owner: party[1]}, account__kind=AccountKind.ESCROW, account__currency=currency
        )
        .values("posting__order__number")
        .annotate(total=Sum("amount"))
        .exclude(total=0)
        .order_by("-posting__order__number")
    )
    return [(row["posting__order__number"], -row["total"]) for row in rows]


def balance_of(party: Party, currency: str) -> Balance:
    return balances([party], currency)[party]


def can_read_seller_money(user, seller: Seller) -> bool:
    """The owner, their cooperative's staff and platform staff."""
    return permissions.can_manage_seller(user, seller) or permissions.has_platform_perm(
        user, "ledger.view_payout"
    )


def can_read_cooperative_money(user, cooperative: Cooperative) -> bool:
    """The cooperative's staff and platform staff."""
    return permissions.can_manage_cooperative(user, cooperative) or permissions.has_platform_perm(
        user, "ledger.view_payout"
    )


def payouts_of(user, *, seller: Seller | None = None, cooperative: Cooperative | None = None):
    """The payee's payouts, newest first, if `user` may read them; else None."""
    if seller is not None:
        if not can_read_seller_money(user, seller):
            return None
        return Payout.objects.filter(seller=seller)
    if cooperative is not None and can_read_cooperative_money(user, cooperative):
        return Payout.objects.filter(cooperative=cooperative)
    return None


def cash_due(shipment: Shipment) -> Decimal:
    """What the buyer pays in cash for `shipment`: its lines, less their share of the
    voucher, plus its shipping."""
    parts = split_order(shipment.order).shipment_parts(shipment.pk)
    return sum(parts.values(), ZERO)


def payout_for(user, pk: int) -> Payout | None:
    """The payout if `user` may read its payee's money, else None (never a hint that it
    exists)."""
    payout = Payout.objects.select_related("seller", "cooperative").filter(pk=pk).first()
    if payout is None:
        return None
    if payout.seller_id:
        return payout if can_read_seller_money(user, payout.seller) else None
    return payout if can_read_cooperative_money(user, payout.cooperative) else None
