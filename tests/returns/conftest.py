"""Fixtures of the return tests: a delivered order of coop A's member."""

from __future__ import annotations

import pytest

from tests.builders.catalog import make_variant
from tests.builders.returns import delivered_order
from tests.s3_store import bucket, s3_endpoint  # noqa: F401 (fixtures)


@pytest.fixture
def saffron(seeded, seller_a):
    return make_variant(seller_a, quantity=10, price=250_000)


@pytest.fixture
def honey(seeded, seller_a):
    return make_variant(seller_a, quantity=10, price=400_000)


@pytest.fixture
def delivered(buyer, staff_a, saffron, honey, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return delivered_order(buyer, [(saffron, 2), (honey, 1)], staff_a)
