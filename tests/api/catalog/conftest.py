from __future__ import annotations

import pytest
from django.core.cache import cache

from marketplace.catalog.models import Category, Product
from marketplace.sellers.models import SellerStatus
from tests.builders.catalog import make_product
from tests.builders.sellers import make_seller


@pytest.fixture(autouse=True)
def _no_response_cache(settings):
    """Each test starts with an empty cache and the anonymous response cache off; the
    cache tests switch it on."""
    settings.API_RESPONSE_CACHE_SECONDS = 0
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def food(db) -> Category:
    return Category.objects.create(name="خوراکی", name_en="Food", slug="t-food")


@pytest.fixture
def saffron(food) -> Category:
    return Category.objects.create(name="زعفران", name_en="Saffron", slug="t-saffron", parent=food)


@pytest.fixture
def crafts(db) -> Category:
    return Category.objects.create(name="صنایع دستی", name_en="Crafts", slug="t-crafts")


@pytest.fixture
def product(seller_a, saffron) -> Product:
    """Seller A's published saffron: one variant, priced and stocked, no photo."""
    return make_product(seller_a, "زعفران سرگل", saffron, price=2_000_000)


@pytest.fixture
def pending_seller(coop_a):
    return make_seller("pending@example.com", "دامداری نو", coop_a, status=SellerStatus.PENDING)


@pytest.fixture
def catalogue(seller_a, seller_b, pending_seller, saffron, crafts):
    """A small catalogue: what the public sees and what only some callers see."""
    return {
        "public_a": make_product(
            seller_a, "زعفران سرگل", saffron, price=2_500_000, name_en="Sargol saffron", media=2
        ),
        "public_b": make_product(seller_b, "گلیم دستباف", crafts, price=9_000_000, intl=120),
        "draft_a": make_product(seller_a, "زعفران پوشال", saffron, published=False),
        "unpriced_a": make_product(seller_a, "زعفران نگین", saffron, price=None),
        "pending": make_product(pending_seller, "پنیر محلی", saffron, price=300_000),
    }
