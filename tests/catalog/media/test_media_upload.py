"""Adding and deleting product photos through the service, on the file-system storage."""

from __future__ import annotations

import io
import os
import time

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.storage import default_storage
from django.utils import timezone, translation
from PIL import ExifTags, Image

from marketplace.catalog import media as media_service
from marketplace.catalog.models import ProductMedia
from marketplace.core.errors import DomainError
from marketplace.core.pdf import html_to_pdf
from tests.builders import images
from tests.builders.images import stored_files
from tests.support import codes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    # The assertions read the English messages, whatever an earlier test left active.
    with translation.override("en"):
        yield


def message(exc: pytest.ExceptionInfo) -> str:
    return str(exc.value.errors[0].message)


def add(product, data: bytes, *, actor=None, name: str = "photo.jpg", alt=None):
    return media_service.add_product_media(
        actor=actor or product.seller.owner,
        product=product,
        upload=images.upload(data, name),
        alt=alt,
    )


def open_stored(media: ProductMedia) -> tuple[Image.Image, bytes]:
    with default_storage.open(media.image.name, "rb") as stored:
        data = stored.read()
    return Image.open(io.BytesIO(data)), data


def assert_no_metadata(image: Image.Image, data: bytes) -> None:
    exif = image.getexif()
    assert len(exif) == 0
    assert not exif.get_ifd(ExifTags.IFD.GPSInfo)
    assert not {"exif", "xmp", "comment", "Comment", "XML:com.adobe.xmp"} & set(image.info)
    for trace in (b"Exif\x00", b"ns.adobe.com", images.SECRET.encode(), b"PhoneMaker"):
        assert trace not in data


def test_jpeg_is_stored_upright_without_exif_gps_or_xmp(product, media_root):
    # Orientation 6: the camera held sideways; the viewer must turn the pixels 90° clockwise.
    media = add(product, images.jpeg_with_gps(600, 300, orientation=6), alt=" ساقه‌های زعفران ")
    image, data = open_stored(media)
    assert image.format == "JPEG"
    assert_no_metadata(image, data)
    # Turned: the red left half is now on top.
    assert image.size == (300, 600) == (media.width, media.height)
    red, blue = image.getpixel((150, 100)), image.getpixel((150, 500))
    assert red[0] > 180 and red[2] < 80, red
    assert blue[2] > 180 and blue[0] < 80, blue
    assert media.alt == "ساقه‌های زعفران"
    assert media.thumbnails == {}
    assert media.image.name.startswith("products/") and media.image.name.endswith(".jpg")
    # The uploader's file name is not kept.
    assert "photo" not in media.image.name
    assert stored_files(media_root) == [media.image.name]


def test_png_and_webp_stay_in_their_format_without_metadata(product):
    png = add(product, images.png_with_metadata(300, 200), name="a.png")
    webp = add(product, images.webp_with_metadata(320, 240), name="b.webp")
    for media, image_format, size in ((png, "PNG", (300, 200)), (webp, "WEBP", (320, 240))):
        image, data = open_stored(media)
        assert image.format == image_format
        assert image.size == size
        assert media.image.name.endswith("." + image_format.lower())
        assert_no_metadata(image, data)
    assert open_stored(png)[0].mode == "RGBA"
    assert [m.sort_order for m in ProductMedia.objects.filter(product=product)] == [0, 1]


def test_the_file_name_does_not_decide_the_format(product):
    media = add(product, images.encode(images.two_halves(40, 20), "PNG"), name="looks-like.jpg")
    assert open_stored(media)[0].format == "PNG"
    assert media.image.name.endswith(".png")


@pytest.mark.parametrize(
    ("label", "make", "name", "expected"),
    [
        ("pdf renamed", images.pdf, "invoice.jpg", "JPEG, PNG or WebP"),
        ("gif", images.gif, "anim.gif", "JPEG, PNG or WebP"),
        ("random bytes", lambda: bytes(range(256)) * 40, "photo.png", "JPEG, PNG or WebP"),
        ("truncated jpeg", images.truncated_jpeg, "photo.jpg", "damaged"),
        ("empty", lambda: b"", "photo.jpg", "JPEG, PNG or WebP"),
    ],
)
def test_what_is_not_a_whole_photo_is_refused(product, media_root, label, make, name, expected):
    with pytest.raises(DomainError) as exc:
        add(product, make(), name=name)
    assert codes(exc) == [("image", "INVALID")], label
    assert expected in message(exc)
    assert not ProductMedia.objects.exists()
    assert stored_files(media_root) == []


def test_a_file_over_10_mb_is_refused_unread(product, media_root):
    with pytest.raises(DomainError) as exc:
        add(product, b"\xff\xd8\xff" + b"\x00" * (10 * 1024 * 1024))
    assert codes(exc) == [("image", "INVALID")]
    assert "10 MB" in message(exc)
    assert stored_files(media_root) == []


def test_a_20000_by_20000_png_is_refused_from_its_header(product, media_root, bomb_png):
    # 48 KB on the wire, 400 megapixels (1.2 GB as RGB) once decoded.
    assert len(bomb_png) < 100_000
    allocations = Image.core.get_stats()["new_count"]
    with pytest.raises(DomainError) as exc:
        add(product, bomb_png, name="field.png")
    assert codes(exc) == [("image", "INVALID")]
    assert "40 megapixels" in message(exc)
    # Pillow allocated no image memory at all: nothing was decoded.
    assert Image.core.get_stats()["new_count"] == allocations
    assert not ProductMedia.objects.exists()
    assert stored_files(media_root) == []


def test_pillow_itself_refuses_over_40_megapixels():
    with pytest.raises(Image.DecompressionBombError):
        Image.open(io.BytesIO(images.png_bomb(10_000, 10_000)))
    with pytest.raises(Image.DecompressionBombError):
        Image.open(io.BytesIO(images.jpeg_claiming(8000, 5001)))
    # Exactly 40 megapixels opens (its header only: nothing is decoded here).
    assert Image.open(io.BytesIO(images.jpeg_claiming(8000, 5000))).size == (8000, 5000)


@pytest.mark.parametrize("pillow_limit", ["ours", "off"])
def test_the_40_megapixel_limit_is_checked_before_decoding(
    product, media_root, monkeypatch, bomb_png, pillow_limit
):
    if pillow_limit == "off":
        # Our own header check holds even if something in the process lifts Pillow's.
        monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", None)
        with pytest.raises(DomainError) as exc:
            add(product, bomb_png, name="field.png")
        assert "40 megapixels" in message(exc)
    # 49 megapixels: refused from the header alone.
    claiming = images.jpeg_claiming(7000, 7000)
    allocations = Image.core.get_stats()["new_count"]
    with pytest.raises(DomainError) as exc:
        add(product, claiming)
    assert "40 megapixels" in message(exc)
    assert Image.core.get_stats()["new_count"] == allocations
    assert stored_files(media_root) == []


def test_at_most_ten_photos_per_product(product, media_root):
    small = images.encode(images.two_halves(20, 10), "PNG")
    for _ in range(media_service.MAX_MEDIA_PER_PRODUCT):
        add(product, small, name="p.png")
    with pytest.raises(DomainError) as exc:
        add(product, small, name="p.png")
    assert codes(exc) == [("image", "INVALID")]
    assert "10 photos" in message(exc)
    assert ProductMedia.objects.filter(product=product).count() == 10
    assert len(stored_files(media_root)) == 10


def test_alt_text_is_limited(product, media_root):
    with pytest.raises(DomainError) as exc:
        add(product, images.jpeg_with_gps(), alt="ز" * 251)
    assert codes(exc) == [("alt", "TOO_LONG")]
    assert stored_files(media_root) == []


def test_who_may_add_photos(product, seller_b, staff_a, staff_b, operator, media_root):
    photo = images.encode(images.two_halves(20, 10), "PNG")
    for outsider in (seller_b.owner, staff_b, AnonymousUser()):
        with pytest.raises(DomainError) as exc:
            add(product, photo, actor=outsider)
        # An unpublished product: outsiders are not told that it exists.
        assert codes(exc) == [("product", "NOT_FOUND")]
    assert stored_files(media_root) == []
    # The seller's cooperative staff and platform staff act on the seller's behalf.
    for insider in (staff_a, operator):
        add(product, photo, actor=insider)
    assert ProductMedia.objects.filter(product=product).count() == 2


def test_delete_removes_the_original_and_thumbnails_after_commit(
    product, seller_b, media_root, django_capture_on_commit_callbacks
):
    media = add(product, images.jpeg_with_gps(600, 300))
    thumbnails = media_service.create_thumbnails(media.pk)
    files = stored_files(media_root)
    assert len(files) == 5
    media.refresh_from_db()
    assert sorted(media_service.media_files(media)) == files

    with pytest.raises(DomainError) as exc:
        media_service.delete_product_media(actor=seller_b.owner, media=media)
    assert codes(exc) == [("id", "NOT_FOUND")]

    with django_capture_on_commit_callbacks(execute=True):
        deleted = media_service.delete_product_media(actor=product.seller.owner, media=media)
    assert deleted.pk == media.pk and deleted.thumbnails == thumbnails
    assert not ProductMedia.objects.filter(pk=media.pk).exists()
    assert stored_files(media_root) == []
    with pytest.raises(DomainError) as exc:
        media_service.delete_product_media(actor=product.seller.owner, media=media)
    assert codes(exc) == [("id", "NOT_FOUND")]


def test_product_media_files_lists_originals_and_thumbnails(product, media_root):
    first = add(product, images.jpeg_with_gps(600, 300))
    add(product, images.encode(images.two_halves(100, 50), "PNG"), name="p.png")
    media_service.create_thumbnails(first.pk)
    assert sorted(media_service.product_media_files(product)) == stored_files(media_root)
    assert len(stored_files(media_root)) == 6


def test_deleting_the_product_removes_every_photo_file(
    product, media_root, django_capture_on_commit_callbacks
):
    from marketplace.catalog import services

    media = add(product, images.jpeg_with_gps(600, 300))
    media_service.create_thumbnails(media.pk)
    assert len(stored_files(media_root)) == 5
    with django_capture_on_commit_callbacks(execute=True):
        assert services.delete_product(actor=product.seller.owner, product=product)
    assert stored_files(media_root) == []


def test_files_no_photo_names_are_swept_once_old(product, media_root):
    kept = add(product, images.jpeg_with_gps(600, 300))
    thumbnails = media_service.create_thumbnails(kept.pk)
    folder = media_root / timezone.now().strftime("products/%Y/%m")
    old_orphan = folder / "left-by-a-rollback.jpg"
    new_orphan = folder / "upload-in-flight.jpg"
    old_orphan.write_bytes(b"x")
    new_orphan.write_bytes(b"x")
    two_days_ago = time.time() - 2 * 86400
    for path in (old_orphan, *folder.iterdir()):
        os.utime(path, (two_days_ago, two_days_ago))
    os.utime(new_orphan)

    assert media_service.delete_orphaned_files() == 1
    assert not old_orphan.exists() and new_orphan.exists()
    assert stored_files(media_root) == sorted(
        [kept.image.name, *thumbnails.values(), new_orphan.relative_to(media_root).as_posix()]
    )


def test_a_truncated_photo_is_refused_after_a_pdf_was_rendered(product, media_root):
    # Importing WeasyPrint switches Pillow to accept truncated files process-wide.
    html_to_pdf("<p>بازارچه</p>")
    with pytest.raises(DomainError) as exc:
        add(product, images.truncated_jpeg(), name="photo.jpg")
    assert codes(exc) == [("image", "INVALID")]
    assert stored_files(media_root) == []
