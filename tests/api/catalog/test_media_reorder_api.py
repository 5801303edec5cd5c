"""productMediaReorder: a product's photos put in a new order by whoever may edit it."""

from __future__ import annotations

import pytest

from marketplace.catalog import media as media_service
from marketplace.catalog.models import ProductMedia
from tests.builders import images
from tests.support import gid

pytestmark = pytest.mark.django_db

REORDER = """
mutation Reorder($product: ID!, $media: [ID!]!) {
  productMediaReorder(productId: $product, mediaIds: $media) {
    product { id media { id } thumbnail(size: 120) { alt } }
    errors { field code }
  }
}
"""


@pytest.fixture
def photos(product, media_root) -> list[ProductMedia]:
    return [
        media_service.add_product_media(
            actor=product.seller.owner,
            product=product,
            upload=images.upload(images.jpeg(), f"p{n}.jpg"),
            alt=f"photo {n}",
        )
        for n in range(3)
    ]


def ids(photos: list[ProductMedia]) -> list[str]:
    return [gid("ProductMedia", photo.pk) for photo in photos]


def reorder(api, product, media: list[str], user) -> dict:
    variables = {"product": gid("Product", product.pk), "media": media}
    return api(REORDER, variables, user=user)["data"]["productMediaReorder"]


def test_the_owner_puts_the_last_photo_first(api, product, photos):
    wanted = ids([photos[2], photos[0], photos[1]])
    result = reorder(api, product, wanted, product.seller.owner)
    assert result["errors"] == []
    assert [m["id"] for m in result["product"]["media"]] == wanted
    assert result["product"]["thumbnail"]["alt"] == "photo 2"
    stored = ProductMedia.objects.filter(product=product).order_by("sort_order", "id")
    assert list(stored.values_list("alt", flat=True)) == ["photo 2", "photo 0", "photo 1"]


@pytest.mark.parametrize(
    "pick",
    [lambda p: p[:2], lambda p: [p[0], p[0], p[1]], lambda p: [*p, p[0]]],
    ids=["one-missing", "one-twice", "one-extra"],
)
def test_each_photo_must_be_named_once(api, product, photos, pick):
    result = reorder(api, product, ids(pick(photos)), product.seller.owner)
    assert result["errors"] == [{"field": "mediaIds", "code": "INVALID"}]
    stored = ProductMedia.objects.filter(product=product).order_by("sort_order", "id")
    assert list(stored.values_list("alt", flat=True)) == ["photo 0", "photo 1", "photo 2"]


def test_another_seller_and_an_anonymous_caller_are_refused(api, product, photos, seller_b):
    wanted = ids(list(reversed(photos)))
    assert reorder(api, product, wanted, seller_b.owner)["errors"][0]["code"] == (
        "PERMISSION_DENIED"
    )
    anonymous = api(REORDER, {"product": gid("Product", product.pk), "media": wanted})
    assert anonymous["data"]["productMediaReorder"]["errors"][0]["code"] == "PERMISSION_DENIED"
    first = ProductMedia.objects.filter(product=product).order_by("sort_order", "id").first()
    assert first.alt == "photo 0"
