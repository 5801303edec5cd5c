"""Fixtures of the checkout API tests; the documents they send are in documents.py."""

from __future__ import annotations

import pytest

from marketplace.checkout.models import Checkout
from tests.api.checkout import documents
from tests.support import gid


@pytest.fixture
def create(api):
    """checkoutCreate as `user` (anonymous by default); the payload."""

    def run(lines, *, user=None, email="guest@example.com", channel=None, lang="en") -> dict:
        data = {"lines": lines}
        if email is not None:
            data["email"] = email
        if channel is not None:
            data["channel"] = channel
        return api(documents.CREATE, {"input": data}, user=user, lang=lang)["data"][
            "checkoutCreate"
        ]

    return run


@pytest.fixture
def call(api):
    """Run a checkout mutation document on a checkout; the payload."""

    def run(document: str, checkout: Checkout | str, *, user=None, lang="en", **variables):
        token = checkout if isinstance(checkout, str) else gid("Checkout", checkout.pk)
        answer = api(document, {"id": token, **variables}, user=user, lang=lang)
        assert "errors" not in answer, answer
        return next(iter(answer["data"].values()))

    return run
