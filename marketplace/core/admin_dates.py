"""Dates in the back office: Jalali with Persian digits when the admin is in Persian,
Gregorian otherwise."""

from __future__ import annotations

from datetime import datetime

import jdatetime
from django.utils.timezone import localtime
from django.utils.translation import get_language

_PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


def admin_date(moment: datetime | None) -> str:
    if moment is None:
        return "—"
    moment = localtime(moment) if moment.tzinfo else moment
    if (get_language() or "fa").startswith("fa"):
        jalali = jdatetime.datetime.fromgregorian(datetime=moment, locale="fa_IR")
        return jalali.strftime("%d %B %Y، %H:%M").translate(_PERSIAN_DIGITS)
    return moment.strftime("%d %b %Y, %H:%M")
