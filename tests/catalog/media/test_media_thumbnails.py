"""Thumbnails: made by the Celery task (in a real worker), never upscaled, idempotent, and
never brought back for a photo deleted while they were being made."""

from __future__ import annotations

import io
import threading
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.utils import timezone
from PIL import Image

from marketplace.catalog import media as media_service
from marketplace.catalog.models import Product, ProductMedia
from marketplace.catalog.tasks import make_thumbnails
from marketplace.catalog.tasks import queue_missing_thumbnails as make_missing_thumbnails
from tests.builders import images
from tests.builders.images import stored_files
from tests.conftest import wait_for


def add(product, data: bytes, name: str = "photo.jpg") -> ProductMedia:
    return media_service.add_product_media(
        actor=product.seller.owner, product=product, upload=images.upload(data, name)
    )


def stored_image(name: str) -> Image.Image:
    with default_storage.open(name, "rb") as stored:
        return Image.open(io.BytesIO(stored.read()))


@pytest.mark.django_db
def test_thumbnails_are_webp_at_each_width_keeping_the_aspect(product, media_root):
    media = add(product, images.jpeg_with_gps(1200, 800))
    made = make_thumbnails(media.pk)
    assert sorted(made, key=int) == ["120", "240", "480", "960"]
    for width, name in made.items():
        assert name == media.image.name.removesuffix(".jpg") + f"_{width}.webp"
        thumbnail = stored_image(name)
        assert thumbnail.format == "WEBP"
        assert thumbnail.size == (int(width), int(width) * 2 // 3)
        assert not thumbnail.getexif()
    media.refresh_from_db()
    assert media.thumbnails == made


@pytest.mark.django_db
def test_no_thumbnail_is_wider_than_the_original(product):
    media = add(product, images.encode(images.two_halves(300, 150), "PNG"), "p.png")
    made = make_thumbnails(media.pk)
    # 480 and 960 would be upscales: one copy at the original's own width instead.
    assert sorted(made, key=int) == ["120", "240", "300"]
    assert stored_image(made["300"]).size == (300, 150)
    media.refresh_from_db()
    assert media_service.media_url(media, 960).endswith("_300.webp")
    assert media_service.media_url(media, 200).endswith("_240.webp")

    tiny = add(product, images.encode(images.two_halves(80, 40), "PNG"), "t.png")
    assert list(make_thumbnails(tiny.pk)) == ["80"]


@pytest.mark.django_db
def test_transparency_survives_in_the_thumbnails(product):
    image = Image.new("RGBA", (400, 200), (0, 0, 0, 0))
    image.paste((200, 50, 50, 255), (0, 0, 200, 200))
    media = add(product, images.encode(image, "PNG"), "t.png")
    made = make_thumbnails(media.pk)
    thumbnail = stored_image(made["240"])
    assert thumbnail.mode == "RGBA"
    assert thumbnail.getpixel((5, 5))[3] == 255
    assert thumbnail.getpixel((235, 5))[3] == 0


@pytest.mark.django_db
def test_the_task_is_idempotent(product, media_root, django_capture_on_commit_callbacks):
    media = add(product, images.jpeg_with_gps(600, 300))
    first = make_thumbnails(media.pk)
    files = stored_files(media_root)
    assert make_thumbnails(media.pk) == first
    assert stored_files(media_root) == files

    # A retry after a crash between writing the files and recording them: the files
    # nothing records are replaced under the same names.
    ProductMedia.objects.filter(pk=media.pk).update(thumbnails={})
    assert make_thumbnails(media.pk) == first
    assert stored_files(media_root) == files

    # An incomplete record (THUMBNAIL_SIZES changed, say): the recorded files stay valid
    # while the new set is written beside them, then go once it is recorded.
    ProductMedia.objects.filter(pk=media.pk).update(thumbnails={"120": first["120"]})
    with django_capture_on_commit_callbacks(execute=True):
        again = make_thumbnails(media.pk)
    assert again.keys() == first.keys()
    assert again["240"] == first["240"] and again["120"] != first["120"]
    assert stored_files(media_root) == sorted([media.image.name, *again.values()])

    # A photo that is gone is nothing to do.
    ProductMedia.objects.filter(pk=media.pk).delete()
    assert make_thumbnails(media.pk) is None


@pytest.mark.django_db(transaction=True)
def test_a_photo_deleted_while_its_thumbnails_are_made_stays_deleted(product, media_root):
    # Stored without the service: its commit would queue the task on the test database's
    # broker, which no worker reads here.
    clean = media_service.clean_image(images.jpeg_with_gps(600, 300))
    media = ProductMedia.objects.create(
        product=product,
        image=default_storage.save("products/test/race.jpg", ContentFile(clean.content)),
        width=clean.width,
        height=clean.height,
    )
    result: dict = {}

    def run() -> None:
        try:
            result["made"] = media_service.create_thumbnails(media.pk)
        except Exception as exc:  # reported below, in the test's thread
            result["error"] = exc
        finally:
            connection.close()

    worker = threading.Thread(target=run)
    with transaction.atomic():
        # The delete holds the product's lock, as delete_product_media does...
        Product.objects.select_for_update().get(pk=product.pk)
        worker.start()
        # ...while the task, its files written, waits for that lock to record them.
        assert wait_for(
            lambda: ProductMedia.objects.filter(pk=media.pk).exists() and _waiting_for_a_lock() > 0,
            timeout=30,
        )
        assert len(stored_files(media_root)) == 5
        ProductMedia.objects.filter(pk=media.pk).delete()
    worker.join(timeout=30)
    assert "error" not in result, result.get("error")
    assert result["made"] is None
    assert not ProductMedia.objects.filter(pk=media.pk).exists()
    # Its own thumbnails removed by the task; the original is the deleter's to remove.
    assert stored_files(media_root) == [media.image.name]


def _waiting_for_a_lock() -> int:
    """Sessions of this test database waiting for a lock (a row lock shows as a wait on
    the holder's transaction, which pg_locks files under no database)."""
    with connection.cursor() as cursor:
        # Inside a transaction the statistics views keep their first snapshot.
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0]


@pytest.mark.worker
def test_a_real_worker_makes_the_thumbnails_and_urls_switch_to_them(
    celery_worker_process, product, media_root
):
    # Not in a test transaction: the upload commits, and its on_commit queues the task.
    media = add(product, images.jpeg_with_gps(1000, 500, orientation=3))
    original = media_service.media_url(media)
    assert original.endswith(".jpg")
    # Until the thumbnails exist, every size is the original.
    assert media_service.media_url(media, 240) == original

    def thumbnails_recorded() -> bool:
        media.refresh_from_db()
        return bool(media.thumbnails)

    assert wait_for(thumbnails_recorded, timeout=60), "the worker made no thumbnails"
    assert sorted(media.thumbnails, key=int) == ["120", "240", "480", "960"]
    assert media_service.media_url(media, 240).endswith("_240.webp")
    assert media_service.media_url(media, 241).endswith("_480.webp")
    assert media_service.media_url(media, 2000).endswith("_960.webp")
    assert media_service.media_url(media) == original
    thumbnail = stored_image(media.thumbnails["480"])
    assert (thumbnail.format, thumbnail.size) == ("WEBP", (480, 240))
    # Orientation 3 (upside down) was applied before anything: red is now on the right.
    assert thumbnail.getpixel((470, 120))[0] > 180
    assert sorted(stored_files(media_root)) == sorted(media_service.media_files(media))

    # A photo whose task was lost (the broker was down at its commit) is queued again.
    clean = media_service.clean_image(images.encode(images.two_halves(500, 250), "PNG"))
    lost = ProductMedia.objects.create(
        product=product,
        image=default_storage.save("products/test/lost.png", ContentFile(clean.content)),
        width=clean.width,
        height=clean.height,
    )
    ProductMedia.objects.filter(pk=lost.pk).update(created=timezone.now() - timedelta(hours=1))
    assert make_missing_thumbnails() == 1

    def lost_thumbnails_recorded() -> bool:
        lost.refresh_from_db()
        return bool(lost.thumbnails)

    assert wait_for(lost_thumbnails_recorded, timeout=60)
    assert sorted(lost.thumbnails, key=int) == ["120", "240", "480", "500"]
