"""The same photo path on S3: django-storages' S3Storage against moto's S3 server
(tests/s3_store.py), over real HTTP."""

from __future__ import annotations

import io
import urllib.request

import pytest
from django.core.files.storage import default_storage
from PIL import Image
from storages.backends.s3 import S3Storage

from marketplace.catalog import media as media_service
from marketplace.catalog.models import ProductMedia
from marketplace.catalog.tasks import make_thumbnails
from marketplace.core.errors import DomainError
from tests.builders import images
from tests.s3_store import BUCKET, keys

pytestmark = pytest.mark.django_db


def fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read()


def test_upload_thumbnails_url_and_delete_on_s3(
    bucket, s3_endpoint, product, media_root, django_capture_on_commit_callbacks
):
    assert isinstance(default_storage, S3Storage)
    media = media_service.add_product_media(
        actor=product.seller.owner,
        product=product,
        upload=images.upload(images.jpeg_with_gps(1200, 600)),
        alt="زعفران",
    )
    assert keys(bucket) == [media.image.name]
    # The bytes in the bucket are the re-encoded photo: no EXIF, no GPS.
    stored = bucket.get_object(Bucket=BUCKET, Key=media.image.name)["Body"].read()
    image = Image.open(io.BytesIO(stored))
    assert image.format == "JPEG" and not image.getexif() and b"Exif\x00" not in stored

    url = media_service.media_url(media, 240)
    assert url == f"{s3_endpoint}/{BUCKET}/{media.image.name}"
    assert fetch(url) == stored

    # The task's function, run in this process against the same bucket.
    made = make_thumbnails(media.pk)
    assert sorted(made, key=int) == ["120", "240", "480", "960"]
    assert keys(bucket) == sorted([media.image.name, *made.values()])
    media.refresh_from_db()
    url = media_service.media_url(media, 240)
    assert url == f"{s3_endpoint}/{BUCKET}/{made['240']}"
    thumbnail = Image.open(io.BytesIO(fetch(url)))
    assert (thumbnail.format, thumbnail.size) == ("WEBP", (240, 120))
    # Run again (a redelivered message): nothing new in the bucket.
    assert make_thumbnails(media.pk) == made
    assert len(keys(bucket)) == 5

    with django_capture_on_commit_callbacks(execute=True):
        media_service.delete_product_media(actor=product.seller.owner, media=media)
    assert not ProductMedia.objects.exists()
    assert keys(bucket) == []


def test_a_refused_upload_leaves_the_bucket_empty(bucket, product, bomb_png):
    for data in (bomb_png, images.pdf(), images.truncated_jpeg()):
        with pytest.raises(DomainError):
            media_service.add_product_media(
                actor=product.seller.owner, product=product, upload=images.upload(data)
            )
    assert keys(bucket) == []
