"""Digits as people type and read them. Input may come with Persian or Arabic-Indic
digits, the Arabic decimal separator and any thousands separators; pages in Persian show
Persian digits and separators. Every storefront module that reads or shows a number
goes through here."""

from __future__ import annotations

import re

_TO_LATIN = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩٫", "01234567890123456789.")
_TO_PERSIAN = str.maketrans("0123456789,.", "۰۱۲۳۴۵۶۷۸۹٬٫")
# Thousands separators people type: the Persian/Arabic one, the Latin and Arabic commas,
# any space (a phone keyboard's no-break space too), ZWNJ, underscores and apostrophes.
_SEPARATORS = re.compile(r"[\s,٬،_'\u200c]")


def latin_digits(text: str | None) -> str:
    """Persian and Arabic-Indic digits, and the Arabic decimal separator, as Latin."""
    return (text or "").translate(_TO_LATIN)


def persian_digits(text: str | None) -> str:
    """Latin digits, thousands and decimal separators as Persian ones."""
    return (text or "").translate(_TO_PERSIAN)


def plain_number(text: str | None) -> str:
    """A number as typed, with Latin digits and no thousands separators or spaces;
    whether it is a number at all is for the caller to check."""
    return _SEPARATORS.sub("", latin_digits(text))


def whole_number(text: str | None) -> int | None:
    """A non-negative whole number typed with any digits and separators; None for
    anything else (empty, signed, fractional, not a number)."""
    number = plain_number(text)
    if not (number.isascii() and number.isdigit()):
        return None
    try:
        return int(number)
    except ValueError:  # more digits than Python converts
        return None


_NUMBER_RUN = re.compile(r"\d(?:[\d,.]*\d)?")


def persian_numerals(text: str | None) -> str:
    """Digits (with the separators inside a number) as Persian ones, the rest of the
    text untouched: a sentence's full stop stays a full stop."""
    return _NUMBER_RUN.sub(lambda match: persian_digits(match.group()), text or "")


def grouped(number: int) -> str:
    """A whole number with thousands separators (Latin; persian_digits for Persian)."""
    return f"{number:,}"
