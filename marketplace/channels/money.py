"""Money rules per currency: precision (IRR has no minor unit) and sane limits."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

# ISO 4217 minor units of the currencies the channels use; others default to 2.
MINOR_UNITS = {"IRR": 0, "USD": 2, "EUR": 2, "AED": 2, "TRY": 2}
# The largest unit price accepted: far above any real product (a large handmade rug
# sells for a few billion rial), far below the 20-digit columns.
MAX_UNIT_PRICE = {"IRR": Decimal("1000000000000"), "USD": Decimal("1000000")}
DEFAULT_MAX_UNIT_PRICE = Decimal("1000000")


def quantum(currency: str) -> Decimal:
    return Decimal(1).scaleb(-MINOR_UNITS.get(currency, 2))


def quantize(amount: Decimal, currency: str) -> Decimal:
    return amount.quantize(quantum(currency), rounding=ROUND_HALF_UP)


def parse_price(value: float | str | Decimal, currency: str) -> Decimal | None:
    """A positive price rounded to the currency's precision, or None when not acceptable."""
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    limit = MAX_UNIT_PRICE.get(currency, DEFAULT_MAX_UNIT_PRICE)
    if not amount.is_finite() or amount <= 0 or amount > limit:
        return None
    amount = quantize(amount, currency)
    return amount if amount > 0 else None
