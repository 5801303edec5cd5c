"""Money in the API: the types and the plain dicts that fill them (the default resolver
reads dicts cheaply). Amounts are in the currency's units; IRR has no minor unit."""

from __future__ import annotations

from decimal import Decimal

import graphene


class Money(graphene.ObjectType):
    amount = graphene.Float(required=True, description="In the currency's units.")
    currency = graphene.String(required=True)


class TaxedMoney(graphene.ObjectType):
    gross = graphene.Field(graphene.NonNull(Money))
    net = graphene.Field(graphene.NonNull(Money))
    tax = graphene.Field(graphene.NonNull(Money))
    currency = graphene.String(required=True)


class MoneyRange(graphene.ObjectType):
    start = graphene.Field(TaxedMoney)
    stop = graphene.Field(TaxedMoney)


def money(amount: Decimal | int, currency: str) -> dict:
    return {"amount": float(amount), "currency": currency}


def taxed_money(amount: Decimal, currency: str) -> dict:
    """Prices are gross; no tax is charged yet, so net = gross and tax = 0."""
    price = money(amount, currency)
    return {"gross": price, "net": price, "tax": money(0, currency), "currency": currency}


def money_range(start: Decimal, stop: Decimal, currency: str) -> dict:
    low = taxed_money(start, currency)
    return {"start": low, "stop": low if stop == start else taxed_money(stop, currency)}
