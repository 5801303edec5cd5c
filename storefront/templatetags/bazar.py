"""Display of money, digits and dates: toman with Persian digits and Jalali dates in
Persian, the channel's currency and Gregorian dates in English."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation

import jdatetime
from django import template
from django.utils.dateparse import parse_datetime
from django.utils.timezone import localtime
from django.utils.translation import get_language

from storefront.digits import grouped, persian_digits, persian_numerals, whole_number

register = template.Library()

RIALS_PER_TOMAN = 10


def _persian() -> bool:
    return (get_language() or "fa").startswith("fa")


@register.filter
def digits(value) -> str:
    """Persian digits (and separators) in Persian; unchanged in English."""
    text = "" if value is None else str(value)
    return persian_digits(text) if _persian() else text


@register.filter
def numerals(value) -> str:
    """Text (an error message, a phone number) with Persian digits in Persian; its
    punctuation unchanged."""
    text = "" if value is None else str(value)
    return persian_numerals(text) if _persian() else text


@register.filter
def number_echo(value) -> str:
    """A number typed into a form, shown back: in Persian grouped with Persian digits
    when it is a whole number, otherwise as typed with Persian digits; in English as
    typed."""
    text = "" if value is None else str(value)
    if not _persian():
        return text
    number = whole_number(text)
    if number is None:
        return numerals(text)
    return digits(grouped(number))


def _grouped(amount: Decimal, places: int) -> str:
    return f"{amount:,.{places}f}"


@register.filter
def money(value) -> str:
    """A Money dict ({amount, currency}) or TaxedMoney (its gross) for people: IRR as
    toman in Persian (stored in rial), otherwise the amount and currency code."""
    if not value:
        return ""
    if "gross" in value:
        value = value["gross"]
    try:
        amount = Decimal(str(value["amount"]))
    except (InvalidOperation, KeyError, TypeError):
        return ""
    currency = value.get("currency", "")
    if currency == "IRR":
        toman = (amount / RIALS_PER_TOMAN).quantize(Decimal(1))
        if _persian():
            return f"{digits(_grouped(toman, 0))} تومان"
        return f"{_grouped(toman, 0)} toman"
    return f"{_grouped(amount, 2)} {currency}"


@register.filter
def toman(rials) -> str:
    """A bare rial amount as toman."""
    return money({"amount": rials, "currency": "IRR"})


@register.filter
def rial_to_toman_number(rials) -> str:
    """The toman number alone (for form fields that take toman)."""
    try:
        return str((Decimal(str(rials)) / RIALS_PER_TOMAN).quantize(Decimal(1)))
    except (InvalidOperation, TypeError):
        return ""


def _as_datetime(value) -> datetime | date | None:
    if isinstance(value, str):
        return parse_datetime(value)
    return value


@register.filter
def when(value, with_time: bool = False) -> str:
    """A date (or ISO date-time from the API) as Jalali with Persian digits in Persian,
    Gregorian in English."""
    moment = _as_datetime(value)
    if moment is None:
        return ""
    if isinstance(moment, datetime):
        moment = localtime(moment) if moment.tzinfo else moment
    if _persian():
        jalali = (
            jdatetime.datetime.fromgregorian(datetime=moment, locale="fa_IR")
            if isinstance(moment, datetime)
            else jdatetime.date.fromgregorian(date=moment, locale="fa_IR")
        )
        pattern = "%d %B %Y، %H:%M" if with_time and isinstance(moment, datetime) else "%d %B %Y"
        return digits(jalali.strftime(pattern))
    pattern = "%d %b %Y, %H:%M" if with_time and isinstance(moment, datetime) else "%d %b %Y"
    return moment.strftime(pattern)


@register.filter
def month(value) -> str:
    """The month and year of a date (a review's, which is shown no closer than that)."""
    moment = _as_datetime(value)
    if moment is None:
        return ""
    if isinstance(moment, datetime) and moment.tzinfo:
        moment = localtime(moment)
    if _persian():
        jalali = jdatetime.date.fromgregorian(date=_day(moment), locale="fa_IR")
        return digits(jalali.strftime("%B %Y"))
    return moment.strftime("%b %Y")


def _day(moment: datetime | date) -> date:
    return moment.date() if isinstance(moment, datetime) else moment


@register.filter
def stars(rating) -> str:
    """Five stars, as many filled as the rating rounds to (half up)."""
    try:
        filled = int(Decimal(str(rating)) + Decimal("0.5"))
    except (InvalidOperation, TypeError, ValueError):
        return ""
    filled = max(0, min(5, filled))
    return "★" * filled + "☆" * (5 - filled)
