from __future__ import annotations

import pytest
from django.db import transaction

from marketplace.catalog.models import Product
from tests.catalog.search.catalogue import build_catalogue


@pytest.fixture(scope="module")
def catalogue(django_db_setup, django_db_blocker) -> dict[str, Product]:
    """The search catalogue, built once per module (78 products through the services take
    a few seconds) inside a transaction that is rolled back at the module's end; each
    test still runs in its own savepoint."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_catalogue()
        transaction.set_rollback(True)
