"""A small demo-like catalogue for the shop's page tests: two cooperatives in their
villages, their producers with stories, products with photos (WebP thumbnails), prices
in rial and stock, made through the real catalogue services."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from django.core.cache import cache

from marketplace.catalog.models import Category, Product, ProductMedia
from marketplace.locations.models import Village
from marketplace.sellers.models import Cooperative, Seller, SellerStatus
from tests.builders.catalog import make_product
from tests.builders.seed import ensure_seeded
from tests.builders.sellers import make_seller


@dataclass
class Shop:
    saffron_coop: Cooperative
    raisin_coop: Cooperative
    saffron_seller: Seller
    raisin_seller: Seller
    pending_seller: Seller
    saffron: Category
    raisins: Category
    rugs: Category
    products: dict[str, Product] = field(default_factory=dict)


def with_thumbnails(product: Product) -> None:
    """Gives the product's photos the thumbnails the worker makes."""
    for media in ProductMedia.objects.filter(product=product):
        stem = media.image.name.rsplit(".", 1)[0]
        media.thumbnails = {str(size): f"{stem}_{size}.webp" for size in (120, 240, 480, 960)}
        media.save(update_fields=["thumbnails"])


def add_products(shop: Shop, count: int, *, prefix: str = "کشمش") -> None:
    """More products in the raisin category, for listings that must not grow in queries."""
    for index in range(count):
        product = make_product(
            shop.raisin_seller,
            f"{prefix} شماره {index + 1}",
            shop.raisins,
            price=2_000_000 + index * 10_000,
            name_en=f"Raisin number {index + 1}",
            media=1,
        )
        with_thumbnails(product)
        shop.products[f"extra-{prefix}-{index}"] = product


def category(slug: str, name: str, name_en: str, parent: Category | None = None) -> Category:
    """A category of the seeded taxonomy; made again where a transactional test's flush
    removed the seed."""
    found, _created = Category.objects.get_or_create(
        slug=slug, defaults={"name": name, "name_en": name_en, "parent": parent}
    )
    return found


@pytest.fixture(autouse=True)
def fresh_cache(settings):
    settings.API_RESPONSE_CACHE_SECONDS = 0
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def shop(db) -> Shop:
    ensure_seeded()
    village = Village.objects.filter(county__name="کلات").order_by("name").first()
    spices = category("saffron-spices", "زعفران و ادویه", "Saffron and spices")
    dried = category("dried-fruit-nuts", "خشکبار و آجیل", "Dried fruit and nuts")
    saffron_coop = Cooperative.objects.create(
        name="تعاونی زعفران تربت",
        slug="torbat-saffron",
        description="تعاونی زعفران‌کاران تربت حیدریه",
    )
    raisin_coop = Cooperative.objects.create(
        name="تعاونی کشمش کاشمر", slug="kashmar-raisin", description="کشمش‌کاران کاشمر"
    )
    saffron_seller = make_seller("zahra@example.com", "زعفران خانواده رضایی", saffron_coop)
    saffron_seller.description = "سه نسل است که زعفران می‌کاریم."
    saffron_seller.village = village
    saffron_seller.save()
    raisin_seller = make_seller("hosseini@example.com", "کشمش سبز حسینی", raisin_coop)
    pending = make_seller("new@example.com", "دامداری نو", raisin_coop, status=SellerStatus.PENDING)
    shop = Shop(
        saffron_coop=saffron_coop,
        raisin_coop=raisin_coop,
        saffron_seller=saffron_seller,
        raisin_seller=raisin_seller,
        pending_seller=pending,
        saffron=category("saffron", "زعفران", "Saffron", parent=spices),
        raisins=category("raisins", "کشمش", "Raisins", parent=dried),
        rugs=category("rugs-textiles", "فرش و منسوجات", "Rugs and textiles"),
    )
    shop.products["saffron"] = make_product(
        saffron_seller,
        "زعفران سرگل",
        shop.saffron,
        price=12_500_000,
        name_en="Sargol saffron",
        description="زعفران سرگل برداشت امسال",
        variants=2,
        media=2,
    )
    shop.products["raisin"] = make_product(
        raisin_seller, "کشمش سبز", shop.raisins, price=3_000_000, name_en="Green raisins", media=1
    )
    shop.products["sold_out"] = make_product(
        raisin_seller,
        "کشمش پلویی",
        shop.raisins,
        price=4_000_000,
        name_en="Pilaf raisins",
        stock=0,
        media=1,
    )
    shop.products["rug"] = make_product(
        saffron_seller, "قالیچه دستباف", shop.rugs, price=90_000_000, name_en="Handwoven rug"
    )
    for product in shop.products.values():
        with_thumbnails(product)
    return shop
