"""The ledger's engine: accounts, locks and postings. Every rial that enters or leaves
Bazarcheh moves here.

Invariant: every posting's entries sum to zero per currency, so the sum of all accounts
is always zero, and nothing is ever edited: a correction is a new, reversing posting.
Each posting names its cause (kind + id), and a cause posts at most once, so a replayed
signal, a retried task or a second completion has no second effect.

Lock order: the order row first (when an order's money moves), then the accounts a
posting reads before it moves them, in id order; the payout batch locks one payee's
accounts at a time, in id order too. So two postings never deadlock, and what a posting
read is still true when it writes.

Safety net: the database refuses, at commit, a posting whose entries do not sum to zero
per currency (a deferred constraint trigger) and any UPDATE or DELETE of an entry or a
posting (migration 0002); the unique (cause kind, cause id) stops a second posting for
the same cause even when two transactions race past the check in Python.

Signs: an entry's amount is a debit when positive and a credit when negative. What the
platform owes (escrow, sellers, cooperatives, commission, refunds owed, payouts in
transit, paid out) has credit balances; what others hold for it (gateway clearing, cash
held by fulfillers, receivables) has debit balances. `owed(balance)` turns a credit
balance into the positive amount owed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from django.db import connection
from django.db.models import Sum
from django.utils import timezone

from marketplace.core import sql
from marketplace.ledger.models import Account, AccountKind, Entry, Posting
from marketplace.ledger.split import Party

ZERO = Decimal(0)
# (kind, seller id, cooperative id, gateway)
AccountKey = tuple[str, int | None, int | None, str]

AVAILABLE_KIND = {
    "seller": AccountKind.SELLER,
    "cooperative": AccountKind.COOPERATIVE,
    "platform": AccountKind.COMMISSION,
}


def key(kind: str, party: Party | None = None, *, gateway: str = "") -> AccountKey:
    """The account of `kind` owned by `party` (none for the platform's own accounts)."""
    if party is None or party[0] == "platform":
        return (kind, None, None, gateway)
    if party[0] == "seller":
        return (kind, party[1], None, gateway)
    return (kind, None, party[1], gateway)


def available_key(party: Party) -> AccountKey:
    return key(AVAILABLE_KIND[party[0]], party)


def party_of(account: Account) -> Party:
    if account.seller_id:
        return ("seller", account.seller_id)
    if account.cooperative_id:
        return ("cooperative", account.cooperative_id)
    return ("platform", None)


def owed(balance: Decimal) -> Decimal:
    return -balance


def _key_of(account: Account) -> AccountKey:
    return (account.kind, account.seller_id, account.cooperative_id, account.gateway)


# Every posting reads its accounts: written out, as the ORM's compiling of the owner
# filter cost more CPU than the database's answer.
def _accounts_sql(lock: bool) -> str:
    names = ("pk", "kind", "currency", "seller", "cooperative", "gateway")
    a = sql.Table("a", Account)
    return f"""
SELECT {", ".join(getattr(a.c, name) for name in names)}
  FROM {a.ref}
 WHERE {a.c.kind} = ANY(%s) AND {a.c.currency} = %s
   AND (({a.c.seller} IS NULL AND {a.c.cooperative} IS NULL)
        OR {a.c.seller} = ANY(%s) OR {a.c.cooperative} = ANY(%s))
 ORDER BY {a.c.pk}{" FOR UPDATE" if lock else ""}
"""


ACCOUNT_FIELDS = ("id", "kind", "currency", "seller_id", "cooperative_id", "gateway")
# The owners' indexes: a party's accounts among every party's.
OWNERS = (sql.index(Account, "seller"), sql.index(Account, "cooperative"))
_accounts_read = sql.statement("ledger.accounts", uses=OWNERS)(lambda: _accounts_sql(lock=False))
_accounts_locked = sql.statement("ledger.accounts_locked", uses=OWNERS)(
    lambda: _accounts_sql(lock=True)
)


def accounts(currency: str, keys: Iterable[AccountKey], *, lock: bool = False) -> dict:
    """The accounts for `keys` in `currency`, created when missing (at most three
    queries whatever the number of keys); with `lock`, their rows locked in id order."""
    wanted = set(keys)
    if not wanted:
        return {}
    params = [
        sorted({k[0] for k in wanted}),
        currency,
        sorted({k[1] for k in wanted if k[1]}),
        sorted({k[2] for k in wanted if k[2]}),
    ]

    def fetch() -> dict[AccountKey, Account]:
        with connection.cursor() as cursor:
            cursor.execute(_accounts_locked() if lock else _accounts_read(), params)
            rows = cursor.fetchall()
        found = {}
        for row in rows:
            account = Account.from_db(connection.alias, ACCOUNT_FIELDS, row)
            if (key := _key_of(account)) in wanted:
                found[key] = account
        return found

    found = fetch()
    missing = wanted - found.keys()
    if missing:
        Account.objects.bulk_create(
            [
                Account(
                    kind=k[0], seller_id=k[1], cooperative_id=k[2], gateway=k[3], currency=currency
                )
                for k in missing
            ],
            ignore_conflicts=True,
        )
        found = fetch()
    return found


def balances(account_ids: Iterable[int], *, before=None) -> dict[int, Decimal]:
    """Each account's balance (the sum of its entries), optionally as it was at `before`."""
    queryset = Entry.objects.filter(account_id__in=list(account_ids))
    if before is not None:
        queryset = queryset.filter(created__lt=before)
    rows = queryset.values("account_id").annotate(total=Sum("amount"))
    result = defaultdict(lambda: ZERO)
    result.update({row["account_id"]: row["total"] for row in rows})
    return result


def existing(cause_kind: str, cause_id: object) -> Posting | None:
    return Posting.objects.filter(cause_kind=cause_kind, cause_id=str(cause_id)).first()


# The posting and its entries in one statement: ON CONFLICT on the cause skips a cause
# already posted (by this transaction or, once it commits, by a racing one) without the
# savepoint an ORM insert would need to survive the unique violation; the entries are
# inserted only with a posting that was.
@sql.statement("ledger.post", uses=(sql.Index(Posting, ("cause_kind", "cause_id")),))
def _post_sql() -> str:
    def columns(model, names: tuple[str, ...]) -> str:
        return ", ".join(sql.column(model, name) for name in names)

    posting = ("cause_kind", "cause_id", "order", "amount", "currency", "memo", "created")
    entry = ("posting", "account", "amount", "currency", "created")
    return f"""
WITH posting AS (
    INSERT INTO {sql.table_name(Posting)} ({columns(Posting, posting)})
    VALUES (%s, %s, %s, %s, %s, %s, %s)
    ON CONFLICT ({columns(Posting, ("cause_kind", "cause_id"))}) DO NOTHING
    RETURNING {sql.column(Posting, "pk")} AS id, {sql.column(Posting, "created")} AS created
), entries AS (
    INSERT INTO {sql.table_name(Entry)} ({columns(Entry, entry)})
    SELECT posting.id, e.account_id, e.amount, %s, posting.created
    FROM posting, unnest(%s::bigint[], %s::numeric[]) AS e(account_id, amount)
)
SELECT id FROM posting
"""


def post(
    *,
    cause_kind: str,
    cause_id: object,
    currency: str,
    amount: Decimal,
    entries: Iterable[tuple[Account, Decimal]],
    order_id: int | None = None,
    memo: str = "",
) -> Posting | None:
    """Write one balanced posting; None when its cause was already posted (by this
    transaction or, after it committed, by another). Zero entries are left out and
    entries to the same account merged. One statement."""
    merged: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for account, value in entries:
        if account.currency != currency:
            raise ValueError("an entry in another currency")
        merged[account.pk] += value
    if sum(merged.values(), ZERO) != 0:
        raise ValueError("unbalanced posting")
    moved = {pk: value for pk, value in merged.items() if value}
    posting = Posting(
        cause_kind=cause_kind,
        cause_id=str(cause_id),
        order_id=order_id,
        amount=amount,
        currency=currency,
        memo=memo[:200],
        created=timezone.now(),
    )
    with connection.cursor() as cursor:
        cursor.execute(
            _post_sql(),
            [
                posting.cause_kind,
                posting.cause_id,
                posting.order_id,
                posting.amount,
                posting.currency,
                posting.memo,
                posting.created,
                currency,
                list(moved),
                list(moved.values()),
            ],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    posting.pk = row[0]
    posting._state.adding = False
    posting._state.db = connection.alias
    return posting


def post_many(
    *, cause_kind: str, currency: str, postings: list[tuple[object, Decimal, list]]
) -> None:
    """Many balanced postings of fresh causes (ids no posting can have yet, such as new
    payouts) in three queries: [(cause id, amount, [(account, amount), …]), …]."""
    for _cause, _amount, entries in postings:
        if sum((value for _a, value in entries), ZERO) != 0:
            raise ValueError("unbalanced posting")
    created = Posting.objects.bulk_create(
        Posting(cause_kind=cause_kind, cause_id=str(cause), amount=amount, currency=currency)
        for cause, amount, _entries in postings
    )
    Entry.objects.bulk_create(
        Entry(posting=posting, account=account, amount=value, currency=currency)
        for posting, (_cause, _amount, entries) in zip(created, postings, strict=True)
        for account, value in entries
        if value
    )
