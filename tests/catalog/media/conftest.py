from __future__ import annotations

from pathlib import Path

import pytest
from django.core.cache import cache

from marketplace.catalog import services
from marketplace.catalog.models import Category, Product
from tests.catalog.media import images


@pytest.fixture(autouse=True)
def media_root(tmp_path, settings, monkeypatch) -> Path:
    """Files on disk in the test's own folder, for this process and (through the
    environment) for a Celery worker started after it."""
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = str(root)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    monkeypatch.setenv("MEDIA_ROOT", str(root))
    monkeypatch.delenv("AWS_STORAGE_BUCKET_NAME", raising=False)
    cache.clear()
    return root


@pytest.fixture(scope="session")
def bomb_png() -> bytes:
    return images.png_bomb()


@pytest.fixture
def category(db) -> Category:
    return Category.objects.create(name="زعفران", name_en="Saffron", slug="media-saffron")


@pytest.fixture
def product(seller_a, category) -> Product:
    return services.create_product(
        actor=seller_a.owner, seller=seller_a, name="زعفران سرگل", category=category
    )
