"""Money in the API: `balance(channel)` and `payouts` of Seller and Cooperative, and the
Payout node. Balances of a whole page of sellers (or cooperatives) are read at once;
readers other than the payee's own (owner, its cooperative's staff, platform staff) get
null, never a hint of the amounts."""

from __future__ import annotations

import graphene
from django.utils.translation import gettext as _
from graphene import relay

from marketplace.api.catalog import loaders
from marketplace.api.core import batch
from marketplace.api.core.connection import countable_connection, paginate
from marketplace.api.core.errors import query_error
from marketplace.api.core.money import Money, money
from marketplace.api.core.types import ModelObjectType
from marketplace.core.errors import DomainError, ErrorCode
from marketplace.ledger import links, selectors, statements
from marketplace.ledger.models import Payout as PayoutModel


class Balance(graphene.ObjectType):
    pending = graphene.Field(Money, required=True, description="Paid by buyers, in escrow.")
    available = graphene.Field(Money, required=True, description="Owed, to be paid out.")
    paid_out = graphene.Field(Money, required=True)
    cash_held = graphene.Field(
        Money,
        required=True,
        description="Cash on delivery it collected and still holds; what the platform "
        "owes it is settled against this first.",
    )

    @staticmethod
    def resolve_pending(root: selectors.Balance, info):
        return money(root.pending, root.currency)

    @staticmethod
    def resolve_available(root: selectors.Balance, info):
        return money(root.available, root.currency)

    @staticmethod
    def resolve_paid_out(root: selectors.Balance, info):
        return money(root.paid_out, root.currency)

    @staticmethod
    def resolve_cash_held(root: selectors.Balance, info):
        return money(root.cash_held, root.currency)


class PendingOrder(graphene.ObjectType):
    order_number = graphene.String(required=True)
    amount = graphene.Field(Money, required=True, description="Its part still in escrow.")


class Payout(ModelObjectType):
    amount = graphene.Field(Money, required=True)
    status = graphene.String(required=True, description="PENDING, SENT or FAILED.")
    method = graphene.String(required=True, description="STRIPE_TRANSFER or BANK_TRANSFER.")
    reference = graphene.String()
    created = graphene.DateTime(required=True)

    class Meta:
        model = PayoutModel
        interfaces = (relay.Node,)

    @staticmethod
    def resolve_amount(root: PayoutModel, info):
        return money(root.amount, root.currency)

    @staticmethod
    def resolve_reference(root: PayoutModel, info):
        return root.reference or None

    @classmethod
    def get_node(cls, info, id):
        return selectors.payout_for(info.context.user, int(id))


PayoutCountableConnection = countable_connection("Payout", Payout)
MAX_STATEMENT_DAYS = 366


def _balance(info, root, kind: str, channel: str | None, allowed: bool):
    if not allowed:
        return None
    currency = loaders.channel_for(info, channel).currency_code
    return batch.load(
        info,
        f"{kind}.balance:{currency}",
        root,
        key=lambda obj: obj.pk,
        fetch=lambda ids: {
            party[1]: found
            for party, found in selectors.balances([(kind, i) for i in ids], currency).items()
        },
    )


def seller_balance(root, info, channel: str | None = None):
    allowed = selectors.can_read_seller_money(info.context.user, root)
    return _balance(info, root, "seller", channel, allowed)


def cooperative_balance(root, info, channel: str | None = None):
    allowed = selectors.can_read_cooperative_money(info.context.user, root)
    return _balance(info, root, "cooperative", channel, allowed)


def seller_pending_orders(root, info, channel: str | None = None):
    if not selectors.can_read_seller_money(info.context.user, root):
        return None
    currency = loaders.channel_for(info, channel).currency_code
    return [
        PendingOrder(order_number=str(number), amount=money(amount, currency))
        for number, amount in selectors.pending_orders(("seller", root.pk), currency)
    ]


def _check_period(start, end) -> None:
    if end < start or (end - start).days > MAX_STATEMENT_DAYS:
        raise query_error(
            DomainError.of(
                ErrorCode.INVALID, "end", _("The period must end after it starts, within a year.")
            )
        )


def cooperative_fees_earned(root, info, start, end, channel=None):
    if not selectors.can_read_cooperative_money(info.context.user, root):
        return None
    _check_period(start, end)
    currency = loaders.channel_for(info, channel).currency_code
    fees = statements.cooperative_fees(
        actor=info.context.user, cooperative=root, start=start, end=end, currency=currency
    )
    return None if fees is None else money(fees, currency)


def seller_payouts(root, info, first=None, after=None):
    found = selectors.payouts_of(info.context.user, seller=root)
    return None if found is None else paginate(found, first=first, after=after)


def cooperative_payouts(root, info, first=None, after=None):
    found = selectors.payouts_of(info.context.user, cooperative=root)
    return None if found is None else paginate(found, first=first, after=after)


def _statement_url(info, kind: str, root, allowed: bool, start, end, fmt, channel):
    if not allowed:
        return None
    fmt = (fmt or "pdf").lower()
    if fmt not in links.FORMATS:
        raise query_error(DomainError.of(ErrorCode.INVALID, "format", _("Choose csv or pdf.")))
    _check_period(start, end)
    currency = loaders.channel_for(info, channel).currency_code
    return links.statement_link(
        user=info.context.user,
        kind=kind,
        pk=root.pk,
        start=start,
        end=end,
        fmt=fmt,
        currency=currency,
    )


def seller_statement_url(root, info, start, end, format=None, channel=None):
    allowed = selectors.can_read_seller_money(info.context.user, root)
    return _statement_url(info, "seller", root, allowed, start, end, format, channel)


def cooperative_statement_url(root, info, start, end, format=None, channel=None):
    allowed = selectors.can_read_cooperative_money(info.context.user, root)
    return _statement_url(info, "cooperative", root, allowed, start, end, format, channel)
