"""The largest-remainder split: shares always add up to the total, each is within one
unit of its exact proportion, and an exact split is left as it is."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from marketplace.ledger.rounding import largest_remainder

UNITS = st.sampled_from([Decimal(1), Decimal("0.01")])
WEIGHTS = st.lists(
    st.decimals(min_value=0, max_value=10**6, places=4, allow_nan=False), min_size=1, max_size=12
)


@given(total=st.integers(min_value=-(10**15), max_value=10**15), weights=WEIGHTS, unit=UNITS)
def test_shares_always_sum_to_the_total(total, weights, unit):
    amount = Decimal(total) * unit
    shares = largest_remainder(amount, weights, unit)
    assert sum(shares, Decimal(0)) == amount
    assert all(share % unit == 0 for share in shares)
    weight_sum = sum(weights, Decimal(0))
    if weight_sum:
        for share, weight in zip(shares, weights, strict=True):
            assert abs(share - amount * weight / weight_sum) < unit + Decimal("1e-9")


@given(
    weights=st.lists(st.integers(min_value=-(10**8), max_value=10**8), min_size=1, max_size=8),
    total=st.integers(min_value=0, max_value=10**12),
)
def test_signed_weights_still_sum_to_the_total(weights, total):
    if sum(weights) == 0:
        return
    shares = largest_remainder(Decimal(total), [Decimal(w) for w in weights], Decimal(1))
    assert sum(shares) == total


def test_exact_split_and_ties():
    assert largest_remainder(Decimal(100), [Decimal(60), Decimal(40)], Decimal(1)) == [60, 40]
    assert largest_remainder(Decimal(10), [Decimal(1)] * 3, Decimal(1)) == [4, 3, 3]
    assert largest_remainder(Decimal(0), [Decimal(1), Decimal(-1)], Decimal(1)) == [0, 0]
    with pytest.raises(ValueError):
        largest_remainder(Decimal("1.5"), [Decimal(1)], Decimal(1))
    with pytest.raises(ValueError):
        largest_remainder(Decimal(5), [Decimal(1), Decimal(-1)], Decimal(1))
