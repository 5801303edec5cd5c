"""Every pack (variant) of a product is in reach in the panel: seen, edited and added."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from marketplace.catalog.models import Category, ProductVariant, VariantChannelListing
from marketplace.catalog.services import refresh_price_ranges
from marketplace.inventory.models import Stock
from tests.builders.catalog import make_product
from tests.builders.seed import ensure_seeded
from tests.storefront.panel_support import (
    field_errors,
    media_root,  # noqa: F401  (autouse fixture)
    signed_in_client,
)
from tests.support import gid

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_packs(seller_a):
    ensure_seeded()
    saffron = Category.objects.get(slug="saffron")
    product = make_product(seller_a, "زعفران", saffron, variants=2)
    refresh_price_ranges([product.pk])
    first, second = product.variants.order_by("pk")
    return product, first, second


def test_all_packs_are_shown_edited_and_added(seller_a, two_packs):
    product, first, second = two_packs
    browser = signed_in_client(seller_a.owner, "fa")
    url = f"/panel/products/{gid('Product', product.pk)}/packs/"
    edit_page = browser.get(f"/panel/products/{gid('Product', product.pk)}/").content.decode()
    assert f'href="{url}"' in edit_page

    page = browser.get(url).content.decode()
    packs = re.findall(r'name="pack" value="([^"]+)"', page)
    assert packs == [gid("ProductVariant", first.pk), gid("ProductVariant", second.pk), "new"]

    saved = browser.post(
        url,
        {
            "pack": gid("ProductVariant", second.pk),
            "unit": "بسته ۵ مثقالی",
            "price": "۱۲۰٬۰۰۰",
            "stock": "۷",
            "weight": "0.025",
        },
    )
    assert saved.status_code == 302, saved.content.decode()[:2000]
    second.refresh_from_db()
    assert second.name == "بسته ۵ مثقالی" and second.weight == Decimal("0.025")
    listing = VariantChannelListing.objects.get(variant=second)
    assert listing.price == Decimal(1_200_000)
    assert Stock.objects.get(variant=second).quantity == 7

    added = browser.post(url, {"pack": "new", "unit": "یک کیلو", "price": "2500000", "stock": "3"})
    assert added.status_code == 302, added.content.decode()[:2000]
    new = ProductVariant.objects.filter(product=product).order_by("pk").last()
    assert new.name == "یک کیلو" and Stock.objects.get(variant=new).quantity == 3
    assert ProductVariant.objects.filter(product=product).count() == 3


def test_a_bad_price_shows_the_error_on_that_pack_only(seller_a, two_packs):
    product, first, _second = two_packs
    browser = signed_in_client(seller_a.owner)
    url = f"/panel/products/{gid('Product', product.pk)}/packs/"
    response = browser.post(url, {"pack": gid("ProductVariant", first.pk), "price": "ten"})
    assert response.status_code == 400
    page = response.content.decode()
    assert field_errors(page, "pack1-price") and not field_errors(page, "pack2-price")


def test_another_sellers_packs_are_out_of_reach(seller_b, two_packs):
    product, _first, _second = two_packs
    browser = signed_in_client(seller_b.owner)
    url = f"/panel/products/{gid('Product', product.pk)}/packs/"
    assert browser.get(url).status_code == 404
    assert browser.post(url, {"pack": "new", "price": "1000"}).status_code == 404
