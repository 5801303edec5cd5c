"""Exact splits of money: shares rounded to the currency's unit always add up to the total."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction
from math import floor


def largest_remainder(total: Decimal, weights: Sequence[Decimal], unit: Decimal) -> list[Decimal]:
    """`total` split in proportion to `weights`, each share a multiple of `unit`: every
    exact share is rounded down, then the units left over go one each to the shares with
    the largest remainders (ties to the earliest). The shares always sum to `total`.

    Weights may be negative (a line whose discount is larger than the seller's part) as
    long as they do not cancel out; all-zero weights split equally."""
    if not weights:
        if total:
            raise ValueError("nothing to split a non-zero total over")
        return []
    if total == 0:
        return [Decimal(0) * unit] * len(weights)
    units = Fraction(total) / Fraction(unit)
    if units.denominator != 1:
        raise ValueError("total is not a multiple of the unit")
    weight_sum = sum((Fraction(w) for w in weights), Fraction(0))
    if weight_sum == 0:
        if any(weights):
            raise ValueError("weights cancel out")
        weights, weight_sum = [Decimal(1)] * len(weights), Fraction(len(weights))
    # Fractions, not Decimals: a rounded quotient could make the floors overshoot.
    exact = [units * Fraction(w) / weight_sum for w in weights]
    floors = [floor(e) for e in exact]
    left = int(units) - sum(floors)
    by_remainder = sorted(range(len(weights)), key=lambda i: (-(exact[i] - floors[i]), i))
    for i in by_remainder[:left]:
        floors[i] += 1
    return [Decimal(f) * unit for f in floors]
