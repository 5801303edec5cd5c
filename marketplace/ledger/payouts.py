"""Payouts: what the platform owes a seller or a cooperative leaves the platform.

Invariant: a payout's amount leaves the payee's available balance in the same
transaction that creates the payout (PENDING, into "payouts in transit"), so a second run,
a second batch or a racing refund can never pay the same money twice. SENT moves it to
"paid out"; FAILED puts it back into the available balance. Status changes are
conditional UPDATEs (only from the expected status), so each happens once.

Lock order: the batch locks every payee account of the currency in id order, as every
other posting does (postings.py), then reads balances; a refund that races it either
waits for the batch or is seen by it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.core.errors import DomainError, ErrorCode
from marketplace.core.validators import clean_iban
from marketplace.ledger import postings, transfers
from marketplace.ledger.models import (
    Account,
    AccountKind,
    CauseKind,
    Entry,
    Payout,
    PayoutBatch,
    PayoutMethod,
    PayoutProfile,
    PayoutStatus,
)
from marketplace.ledger.postings import ZERO, key, owed
from marketplace.notifications import announce
from marketplace.sellers import permissions
from marketplace.sellers.models import Cooperative, Seller

logger = logging.getLogger(__name__)
BANK_CURRENCY = "IRR"


@dataclass(frozen=True)
class Payee:
    account: Account
    amount: Decimal
    name: str
    iban: str = ""
    holder: str = ""
    stripe_account: str = ""


def minimum(currency: str) -> Decimal:
    return Decimal(str(settings.PAYOUT_MINIMUM.get(currency, "0")))


def _payable(currency: str, now: datetime) -> list[tuple[Account, Decimal]]:
    """Every payee account with at least the minimum that is older than the hold days."""
    locked = list(
        Account.objects.select_for_update()
        .filter(currency=currency, kind__in=[AccountKind.SELLER, AccountKind.COOPERATIVE])
        .order_by("id")
    )
    cutoff = now - timedelta(days=settings.PAYOUT_HOLD_DAYS)
    rows = (
        Entry.objects.filter(account__in=[a.pk for a in locked])
        .values("account_id")
        .annotate(total=Sum("amount"), recent=Sum("amount", filter=Q(created__gte=cutoff)))
    )
    sums = {r["account_id"]: (r["total"], r["recent"] or ZERO) for r in rows}
    floor = max(minimum(currency), Decimal("0.01"))
    result = []
    for account in locked:
        total, recent = sums.get(account.pk, (ZERO, ZERO))
        # What was owed at the cutoff, unless refunds since have made it less.
        amount = min(owed(total), owed(total - recent))
        if amount >= floor:
            result.append((account, amount))
    return result


def _valid_sheba(value: str) -> str:
    try:
        iban = clean_iban(value, field="iban")
    except DomainError:
        return ""
    return iban if iban.startswith("IR") else ""


def _payees(currency: str, payable) -> tuple[list[Payee], list[dict]]:
    seller_ids = [a.seller_id for a, _amount in payable if a.seller_id]
    coop_ids = [a.cooperative_id for a, _amount in payable if a.cooperative_id]
    sellers = Seller.objects.only("id", "name", "payout_iban", "payout_holder").in_bulk(seller_ids)
    coops = Cooperative.objects.only("id", "name").in_bulk(coop_ids)
    profiles = {
        (p.seller_id, p.cooperative_id): p
        for p in PayoutProfile.objects.filter(
            Q(seller_id__in=seller_ids) | Q(cooperative_id__in=coop_ids)
        )
    }
    payees, skipped = [], []
    for account, amount in payable:
        profile = profiles.get((account.seller_id, account.cooperative_id))
        if account.seller_id:
            seller = sellers[account.seller_id]
            name, iban, holder = seller.name, seller.payout_iban, seller.payout_holder
            who = {"seller": seller.pk}
        else:
            coop = coops[account.cooperative_id]
            name, who = coop.name, {"cooperative": coop.pk}
            iban, holder = (profile.iban, profile.holder) if profile else ("", "")
        if currency == BANK_CURRENCY:
            sheba = _valid_sheba(iban)
            if not sheba:
                skipped.append({**who, "amount": str(amount), "reason": _("No valid Sheba.")})
                continue
            payees.append(Payee(account, amount, name, iban=sheba, holder=holder or name))
        else:
            stripe_account = profile.stripe_account if profile else ""
            if not stripe_account:
                reason = _("No connected Stripe account.")
                skipped.append({**who, "amount": str(amount), "reason": reason})
                continue
            payees.append(Payee(account, amount, name, stripe_account=stripe_account))
    return payees, skipped


@transaction.atomic
def _prepare(run_on: date, currency: str, now: datetime) -> tuple[PayoutBatch, bool]:
    batch, created = PayoutBatch.objects.get_or_create(run_on=run_on, currency=currency)
    if not created:
        return batch, False
    payees, batch.skipped = _payees(currency, _payable(currency, now))
    method = (
        PayoutMethod.BANK_TRANSFER if currency == BANK_CURRENCY else PayoutMethod.STRIPE_TRANSFER
    )
    created_payouts = Payout.objects.bulk_create(
        Payout(
            batch=batch,
            seller_id=p.account.seller_id,
            cooperative_id=p.account.cooperative_id,
            amount=p.amount,
            currency=currency,
            method=method,
            iban=p.iban,
            holder=p.holder or p.stripe_account,
            # Unique per batch and known before the INSERT, so no second write is needed.
            reference=f"BZ{batch.pk}-{n}" if currency == BANK_CURRENCY else "",
        )
        for n, p in enumerate(payees, start=1)
    )
    in_transit = postings.accounts(currency, [key(AccountKind.IN_TRANSIT)])[
        key(AccountKind.IN_TRANSIT)
    ]
    postings.post_many(
        cause_kind=CauseKind.PAYOUT,
        currency=currency,
        postings=[
            (payout.pk, payout.amount, [(p.account, payout.amount), (in_transit, -payout.amount)])
            for payout, p in zip(created_payouts, payees, strict=True)
        ],
    )
    if currency == BANK_CURRENCY:
        rows = [
            transfers.BankTransfer(p.iban, p.holder, p.amount, p.reference) for p in created_payouts
        ]
        batch.bank_file = transfers.bank_file_writer()(rows)
    batch.save(update_fields=["skipped", "bank_file"])
    return batch, True


def run_payouts(*, currency: str, run_on: date | None = None, now=None) -> PayoutBatch:
    """The payout batch of `run_on` (today) in `currency`: made once per day, whatever
    the number of runs; Stripe transfers still PENDING are (re)sent with their
    idempotency keys."""
    now = now or timezone.now()
    batch, _created = _prepare(run_on or timezone.localdate(now), currency, now)
    if currency != BANK_CURRENCY:
        send_transfers(batch=batch)
    return batch


def send_transfers(*, batch: PayoutBatch) -> None:
    provider = transfers.transfer_provider()
    for payout in batch.payouts.filter(
        status=PayoutStatus.PENDING, method=PayoutMethod.STRIPE_TRANSFER
    ):
        result = provider.transfer(
            amount=payout.amount,
            currency=payout.currency,
            destination=payout.holder,
            idempotency_key=f"bazarcheh-payout-{payout.pk}",
        )
        if result.ok:
            _mark_sent([payout.pk], reference=result.reference)
        else:
            _mark_failed(payout.pk, result.error)


def _payout_accounts(payouts: list[Payout], kinds) -> dict:
    currency = payouts[0].currency
    keys = []
    for p in payouts:
        party = ("seller", p.seller_id) if p.seller_id else ("cooperative", p.cooperative_id)
        keys += [
            key(kind, party) if kind != AccountKind.IN_TRANSIT else key(kind) for kind in kinds
        ]
    return postings.accounts(currency, keys)


def _party(payout: Payout):
    return (
        ("seller", payout.seller_id) if payout.seller_id else ("cooperative", payout.cooperative_id)
    )


@transaction.atomic
def _mark_sent(payout_ids: list[int], *, reference: str = "") -> int:
    changes = {"status": PayoutStatus.SENT, "updated": timezone.now()}
    if reference:
        changes["reference"] = reference
    ids = list(
        Payout.objects.select_for_update()
        .filter(pk__in=payout_ids, status=PayoutStatus.PENDING)
        .order_by("id")
        .values_list("id", flat=True)
    )
    if not ids:
        return 0
    Payout.objects.filter(pk__in=ids).update(**changes)
    sent = list(Payout.objects.filter(pk__in=ids).select_related("seller__owner"))
    for payout in sent:
        if payout.seller_id is not None:
            announce.payout_sent(
                seller=payout.seller,
                payout_id=payout.pk,
                amount=payout.amount,
                currency=payout.currency,
            )
    found = _payout_accounts(sent, [AccountKind.PAID_OUT, AccountKind.IN_TRANSIT])
    transit = found[key(AccountKind.IN_TRANSIT)]
    postings.post_many(
        cause_kind=CauseKind.PAYOUT_SENT,
        currency=sent[0].currency,
        postings=[
            (
                p.pk,
                p.amount,
                [(transit, p.amount), (found[key(AccountKind.PAID_OUT, _party(p))], -p.amount)],
            )
            for p in sent
        ],
    )
    return len(sent)


@transaction.atomic
def _mark_failed(payout_id: int, reason: str) -> bool:
    payout = (
        Payout.objects.select_for_update()
        .filter(pk=payout_id, status__in=[PayoutStatus.PENDING, PayoutStatus.SENT])
        .first()
    )
    if payout is None:
        return False
    was = payout.status
    Payout.objects.filter(pk=payout.pk).update(
        status=PayoutStatus.FAILED, failure=reason[:300], updated=timezone.now()
    )
    party = _party(payout)
    source = (
        key(AccountKind.IN_TRANSIT)
        if was == PayoutStatus.PENDING
        else key(AccountKind.PAID_OUT, party)
    )
    back = postings.available_key(party)
    found = postings.accounts(payout.currency, [source, back])
    postings.post(
        cause_kind=CauseKind.PAYOUT_FAILED,
        cause_id=payout.pk,
        currency=payout.currency,
        amount=payout.amount,
        entries=[(found[source], payout.amount), (found[back], -payout.amount)],
        memo=reason,
    )
    return True


def _require_operator(actor) -> None:
    if not permissions.has_platform_perm(actor, "ledger.change_payout"):
        raise DomainError.of(ErrorCode.PERMISSION_DENIED)


def mark_batch_sent(*, actor, batch: PayoutBatch) -> int:
    """The operator uploaded the batch's bank file: its pending transfers are sent."""
    _require_operator(actor)
    ids = list(batch.payouts.filter(status=PayoutStatus.PENDING).values_list("id", flat=True))
    return _mark_sent(ids) if ids else 0


def mark_payout_failed(*, actor, payout: Payout, reason: str) -> bool:
    """The bank or provider returned the transfer: the money is available again."""
    _require_operator(actor)
    if not (reason or "").strip():
        raise DomainError.of(ErrorCode.REQUIRED, "reason")
    return _mark_failed(payout.pk, reason.strip())
