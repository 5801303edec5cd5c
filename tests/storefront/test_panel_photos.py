"""Several photos per product in the panel: chosen together from the camera or the
gallery, then each one moved earlier or later, or deleted; a refused photo keeps none
of the others."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from marketplace.catalog.models import Category, Product, ProductMedia
from tests.builders.images import jpeg, pdf
from tests.storefront.panel_support import (
    field_errors,
    media_root,  # noqa: F401  (autouse fixture)
    signed_in_client,
)
from tests.support import gid

pytestmark = pytest.mark.django_db


def photo(data: bytes, name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="image/jpeg")


def form(category: Category, photos: list[SimpleUploadedFile]) -> dict:
    return {
        "name": "کشک محلی",
        "category": gid("Category", category.pk),
        "price": "۵۰۰۰۰",
        "stock": "3",
        "photo": photos,
    }


def order(product: Product) -> list[str]:
    media = ProductMedia.objects.filter(product=product).order_by("sort_order", "id")
    return [m.image.name for m in media]


@pytest.fixture
def saffron() -> Category:
    return Category.objects.get(slug="saffron")


def test_several_photos_moved_and_deleted(seller_a, saffron):
    browser = signed_in_client(seller_a.owner)
    new_form = browser.get("/panel/products/new/").content.decode()
    assert 'name="photo" accept="image/*" multiple' in new_form and "capture" not in new_form
    photos = [photo(jpeg(), f"p{n}.jpg") for n in range(3)]
    created = browser.post("/panel/products/new/", form(saffron, photos))
    assert created.status_code == 302, created.content.decode()[:2000]
    product = Product.objects.get(name="کشک محلی")
    first, second, third = order(product)
    media = list(ProductMedia.objects.filter(product=product).order_by("sort_order", "id"))
    ids = [gid("ProductMedia", m.pk) for m in media]
    edit_url = f"/panel/products/{gid('Product', product.pk)}/"
    page = browser.get(edit_url).content.decode()
    assert all(f'value="{media_id}"' in page for media_id in ids)
    photos_url = f"{edit_url}photos/"

    moved = browser.post(photos_url, {"earlier": ids[2], "next": edit_url})
    assert moved.status_code == 302 and moved["Location"] == edit_url
    assert order(product) == [first, third, second]
    browser.post(photos_url, {"later": ids[0]})
    assert order(product) == [third, first, second]
    browser.post(photos_url, {"earlier": ids[2]})  # already first: nothing changes
    assert order(product) == [third, first, second]

    deleted = browser.post(photos_url, {"delete": ids[0]})
    assert deleted.status_code == 302
    assert order(product) == [third, second]
    gone = browser.post(photos_url, {"delete": ids[0]}, follow=True)
    assert "no longer there" in gone.content.decode()
    assert order(product) == [third, second]


def test_a_refused_photo_keeps_none_of_the_others(seller_a, saffron):
    browser = signed_in_client(seller_a.owner)
    photos = [photo(jpeg(), "good.jpg"), photo(pdf(), "receipt.jpg")]
    response = browser.post("/panel/products/new/", form(saffron, photos))
    assert response.status_code == 400
    assert field_errors(response.content.decode(), "photo")
    assert not Product.objects.exists() and not ProductMedia.objects.exists()


def test_another_sellers_photos_cannot_be_touched(seller_a, seller_b, saffron):
    owner = signed_in_client(seller_a.owner)
    owner.post("/panel/products/new/", form(saffron, [photo(jpeg(), "a.jpg")]))
    product = Product.objects.get(name="کشک محلی")
    media = ProductMedia.objects.get(product=product)
    stranger = signed_in_client(seller_b.owner)
    response = stranger.post(
        f"/panel/products/{gid('Product', product.pk)}/photos/",
        {"delete": gid("ProductMedia", media.pk)},
    )
    assert response.status_code in (302, 404)
    assert ProductMedia.objects.filter(pk=media.pk).exists()
