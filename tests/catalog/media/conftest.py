from __future__ import annotations

from pathlib import Path

import pytest

from marketplace.catalog import services
from marketplace.catalog.models import Category, Product
from tests.s3_store import bucket, s3_endpoint  # noqa: F401 (fixtures)


@pytest.fixture(autouse=True)
def media_root(media_root: Path) -> Path:
    """Every media test keeps its files in its own folder."""
    return media_root


@pytest.fixture
def category(db) -> Category:
    return Category.objects.create(name="زعفران", name_en="Saffron", slug="media-saffron")


@pytest.fixture
def product(seller_a, category) -> Product:
    return services.create_product(
        actor=seller_a.owner, seller=seller_a, name="زعفران سرگل", category=category
    )
