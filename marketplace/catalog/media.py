"""Product photos: checked by decoding, stripped of metadata, stored, thumbnailed.

An upload is trusted for nothing: its name and header say nothing until Pillow has decoded
every pixel. Only JPEG, PNG and WebP parsers are tried (no exotic formats and their
parsers' bugs), the pixel count is checked from the header before any pixel is decoded
(a small file can claim 400 megapixels), and the stored file is a fresh encoding of the
pixels, so no EXIF (GPS of a producer's home, camera serials), XMP or comments survive.
Thumbnails are made later by a Celery task (`tasks.make_thumbnails`); until then the
original is served.

Every write to a product's photos takes the product's row lock first: the photo count,
a concurrent delete and the thumbnail task's update are serialised by it.
"""

from __future__ import annotations

import io
import logging
import posixpath
import uuid
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, TypeVar

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Max, Model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

from marketplace.accounts.models import User
from marketplace.catalog import permissions
from marketplace.catalog.models import Product, ProductMedia
from marketplace.core import outbox
from marketplace.core.errors import DomainError, ErrorCode
from marketplace.core.validators import clean_text
from marketplace.core.versioning import bump_catalog_version

T = TypeVar("T")

logger = logging.getLogger(__name__)

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
MAX_MEDIA_PER_PRODUCT = 10
MAX_ALT_LENGTH = 250
JPEG_QUALITY = 85
WEBP_QUALITY = 85
THUMBNAIL_QUALITY = 80

# Pillow refuses to open anything over twice MAX_IMAGE_PIXELS and only warns above it:
# half our limit makes Pillow itself refuse exactly what we refuse, in this function and
# anywhere else in the process, and the warning band below (ordinary 20–40 megapixel
# photos) is silenced. The header check in `_open_checked` still holds if another part
# of the process changes the setting.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS // 2
warnings.filterwarnings("ignore", category=Image.DecompressionBombWarning)

# The parsers Pillow may try. MPO is how Pillow names a JPEG with a second, embedded
# picture (many phones write them); its first picture is an ordinary JPEG.
OPEN_FORMATS = ("JPEG", "PNG", "WEBP")
STORED_FORMAT = {"JPEG": "JPEG", "MPO": "JPEG", "PNG": "PNG", "WEBP": "WEBP"}
EXTENSION = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
PNG_MODES = {"1", "L", "LA", "P", "RGB", "RGBA"}

THUMBNAIL_SIZES = (120, 240, 480, 960)


# ---------------------------------------------------------------- files and URLs


def delete_files_on_commit(names: list[str]) -> None:
    """Remove stored files once the rows that named them are gone for good."""
    names = [name for name in names if name]
    transaction.on_commit(lambda: delete_files_now(names))


def media_files(media: Any) -> list[str]:
    """Every stored file of one photo: the original and its thumbnails. Works for model
    instances and for the selectors' MediaRow."""
    thumbnails = media.thumbnails or {}
    return [media.image.name, *(thumbnails[size] for size in sorted(thumbnails, key=int))]


def product_media_files(product: Product) -> list[str]:
    """Every stored file of a product's photos, in one query (for deleting the product)."""
    rows = ProductMedia.objects.filter(product_id=product.pk).values_list("image", "thumbnails")
    return [name for image, thumbnails in rows for name in [image, *(thumbnails or {}).values()]]


def media_url(media, size: int | None = None) -> str:
    """The URL of the smallest thumbnail at least `size` wide, or of the original until
    the thumbnails exist (or when no size is asked)."""
    if size and media.thumbnails:
        fitting = sorted(int(s) for s in media.thumbnails if int(s) >= size)
        chosen = fitting[0] if fitting else max(int(s) for s in media.thumbnails)
        return default_storage.url(media.thumbnails[str(chosen)])
    return default_storage.url(media.image.name)


def thumbnail_widths(width: int) -> list[int]:
    """The widths to make for an original `width` pixels wide: THUMBNAIL_SIZES, except that
    sizes wider than the original become one copy at the original's width (never upscaled,
    and a request for a wide size still gets the lighter WebP)."""
    return sorted({min(size, width) for size in THUMBNAIL_SIZES if width > 0})


def thumbnail_name(original: str, width: int) -> str:
    stem, _ext = posixpath.splitext(original)
    return f"{stem}_{width}.webp"


# ---------------------------------------------------------------- checking an upload


@dataclass(frozen=True)
class CleanImage:
    content: bytes
    extension: str
    width: int
    height: int


def _invalid(message: object) -> DomainError:
    return DomainError.of(ErrorCode.INVALID, "image", message)


def _not_an_image() -> DomainError:
    return _invalid(_("Upload a photo in JPEG, PNG or WebP format."))


def _too_many_pixels() -> DomainError:
    return _invalid(
        _("The photo is too large: at most %(megapixels)d megapixels are allowed.")
        % {"megapixels": MAX_PIXELS // 1_000_000}
    )


def read_upload(upload: Any) -> bytes:
    """The uploaded bytes, refusing anything over MAX_UPLOAD_BYTES without reading it all."""
    if upload is None or upload == "":
        raise DomainError.of(ErrorCode.REQUIRED, "image")
    if not hasattr(upload, "read"):
        raise _not_an_image()
    too_large = _invalid(
        _("The file is too large: at most %(megabytes)d MB is allowed.")
        % {"megabytes": MAX_UPLOAD_BYTES // (1024 * 1024)}
    )
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_UPLOAD_BYTES:
        raise too_large
    if hasattr(upload, "seek"):
        upload.seek(0)
    data = upload.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise too_large
    if not data:
        raise _not_an_image()
    return data


def _open_checked(data: bytes) -> Image.Image:
    """Decode every pixel of `data` after checking its format and its pixel count."""
    try:
        with Image.open(io.BytesIO(data), formats=OPEN_FORMATS) as probe:
            size, image_format = probe.size, probe.format
            # Only the header has been read so far: refuse a bomb before decoding it.
            if size[0] * size[1] > MAX_PIXELS:
                raise _too_many_pixels()
            if image_format not in STORED_FORMAT:
                raise _not_an_image()
            probe.verify()
        image = Image.open(io.BytesIO(data), formats=OPEN_FORMATS)
        image.load()
    except DomainError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_many_pixels() from None
    except MemoryError:
        raise _too_many_pixels() from None
    except UnidentifiedImageError:
        # No JPEG, PNG or WebP signature: a PDF, a GIF, a document, random bytes.
        raise _not_an_image() from None
    except Exception:
        # Pillow reports malformed data with many exception types (OSError, SyntaxError,
        # ValueError, struct.error, …); for the caller they all mean "not a photo".
        raise _invalid(
            _("The file is not a readable JPEG, PNG or WebP photo (it may be damaged).")
        ) from None
    return image


def _for_format(image: Image.Image, stored_format: str) -> tuple[Image.Image, dict[str, Any]]:
    """The image in a mode the format stores, and the only metadata kept: the colour
    profile (when the pixels were not converted) and PNG transparency."""
    mode = image.mode
    if mode in ("I", "I;16", "I;16B", "I;16L", "F"):
        # 16-bit greyscale: a straight convert clips everything above 255 to white.
        image = image.convert("I").point(lambda value: value * (1 / 256)).convert("L")
    elif stored_format == "JPEG" and image.mode not in ("L", "RGB"):
        image = image.convert("RGB")
    elif stored_format == "PNG" and image.mode not in PNG_MODES:
        image = image.convert("RGBA")
    elif stored_format == "WEBP" and image.mode not in ("RGB", "RGBA"):
        image = image.convert("RGBA" if image.has_transparency_data else "RGB")
    options: dict[str, Any] = {}
    if image.mode == mode and image.info.get("icc_profile"):
        options["icc_profile"] = image.info["icc_profile"]
    if stored_format == "PNG" and image.info.get("transparency") is not None:
        options["transparency"] = image.info["transparency"]
    # Savers fall back to `info` for some keys; leave nothing there to fall back to.
    image.info = {}
    return image, options


def clean_image(data: bytes) -> CleanImage:
    """Validate an uploaded photo and re-encode its pixels, upright and without metadata."""
    image = _open_checked(data)
    stored_format = STORED_FORMAT[image.format or ""]
    # Phones store the sensor's orientation in EXIF; the EXIF goes, so turn the pixels.
    try:
        ImageOps.exif_transpose(image, in_place=True)
    except Exception:
        # EXIF that Pillow cannot parse (some editing apps write it): the orientation is
        # unknown, and the pixels are kept as they are.
        logger.info("Unreadable EXIF in an uploaded photo", exc_info=True)
    image, options = _for_format(image, stored_format)
    if stored_format == "JPEG":
        options.update(quality=JPEG_QUALITY, optimize=True, progressive=True)
    elif stored_format == "WEBP":
        options.update(quality=WEBP_QUALITY, method=4)
    output = io.BytesIO()
    image.save(output, format=stored_format, **options)
    return CleanImage(
        content=output.getvalue(),
        extension=EXTENSION[stored_format],
        width=image.width,
        height=image.height,
    )


# ---------------------------------------------------------------- services


def store_image(model: type[Model], image: CleanImage, create: Callable[[str], T]) -> T:
    """Save a checked photo under a fresh name in `model`'s image field's folder (never
    the uploader's file name, which can say more than the photo should), then its row,
    `create(name)`; the file goes again when the row cannot be written."""
    field = model._meta.get_field("image")
    name = default_storage.save(
        field.generate_filename(None, f"{uuid.uuid4().hex}.{image.extension}"),
        ContentFile(image.content),
    )
    try:
        return create(name)
    except BaseException:
        default_storage.delete(name)
        raise


def _lock_product(product_id: int) -> Product:
    product = (
        Product.objects.select_for_update(of=("self",))
        .select_related("seller")
        .filter(pk=product_id)
        .first()
    )
    if product is None:
        raise DomainError.of(ErrorCode.NOT_FOUND, "product")
    return product


def _check_room(product_id: int) -> None:
    if ProductMedia.objects.filter(product_id=product_id).count() >= MAX_MEDIA_PER_PRODUCT:
        raise _invalid(_("A product can have at most %(n)d photos.") % {"n": MAX_MEDIA_PER_PRODUCT})


def _queue_thumbnails(media_id: int) -> None:
    from marketplace.catalog.tasks import make_thumbnails

    make_thumbnails.delay(media_id)


@transaction.atomic
def add_product_media(
    *, actor: User, product: Product, upload: Any, alt: str | None = None
) -> ProductMedia:
    """Add a photo to `product`. The upload is decoded, checked and re-encoded here; the
    thumbnails follow from a task once the row is committed."""
    permissions.require_editor(actor, product.seller, "product", product=product)
    alt_text = clean_text(alt, field="alt", max_length=MAX_ALT_LENGTH)
    # Cheap refusals first, so a full product costs no decoding; the count is checked
    # again under the lock.
    _check_room(product.pk)
    image = clean_image(read_upload(upload))
    locked = _lock_product(product.pk)
    _check_room(locked.pk)
    last = ProductMedia.objects.filter(product_id=locked.pk).aggregate(m=Max("sort_order"))["m"]
    media = store_image(
        ProductMedia,
        image,
        lambda name: ProductMedia.objects.create(
            product=locked,
            image=name,
            width=image.width,
            height=image.height,
            alt=alt_text,
            sort_order=0 if last is None else last + 1,
        ),
    )
    # Through the outbox: the job commits with the photo, so neither a broker that is down
    # nor a crash after the commit loses it; the original is served meanwhile.
    outbox.enqueue(
        "marketplace.catalog.tasks.make_thumbnails",
        kwargs={"media_id": media.pk},
        dedup_key=f"thumbnails:{media.pk}",
    )
    bump_catalog_version()
    return media


@transaction.atomic
def delete_product_media(*, actor: User, media: ProductMedia) -> ProductMedia:
    """Delete one photo and, once committed, its files. Returns the row as it was."""
    product = _lock_product(media.product_id)
    permissions.require_editor(actor, product.seller, "id", product=product)
    # Read under the product's lock: the thumbnail task records its files under the same
    # lock, so none of them can be missed here.
    current = ProductMedia.objects.filter(pk=media.pk, product_id=product.pk).first()
    if current is None:
        raise DomainError.of(ErrorCode.NOT_FOUND, "id")
    ProductMedia.objects.filter(pk=current.pk).delete()
    delete_files_on_commit(media_files(current))
    bump_catalog_version()
    return current


@transaction.atomic
def reorder_product_media(*, actor: User, product: Product, media_ids: list[int]) -> Product:
    """Put `product`'s photos in the order of `media_ids` (the first is the one the shop
    shows on cards). Every photo of the product must be named, once."""
    locked = _lock_product(product.pk)
    permissions.require_editor(actor, locked.seller, "product", product=locked)
    current = set(ProductMedia.objects.filter(product_id=locked.pk).values_list("pk", flat=True))
    if len(media_ids) != len(set(media_ids)) or set(media_ids) != current:
        raise DomainError.of(
            ErrorCode.INVALID, "media_ids", _("Name each photo of the product once.")
        )
    photos = [ProductMedia(pk=pk, sort_order=index) for index, pk in enumerate(media_ids)]
    ProductMedia.objects.bulk_update(photos, ["sort_order"])
    bump_catalog_version()
    return locked


# ---------------------------------------------------------------- thumbnails


def _thumbnail(image: Image.Image, width: int) -> bytes:
    height = max(1, round(image.height * width / image.width))
    resized = image.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=3.0)
    output = io.BytesIO()
    options: dict[str, Any] = {"quality": THUMBNAIL_QUALITY, "method": 4}
    if image.info.get("icc_profile"):
        options["icc_profile"] = image.info["icc_profile"]
    resized.save(output, format="WEBP", **options)
    return output.getvalue()


def _save_thumbnail(name: str, content: bytes, recorded: set[str]) -> str:
    """Save under `name`, or beside it when the photo's recorded thumbnails still use it
    (those stay valid until the new set is recorded). A file there that nothing records
    is left by an attempt that crashed before recording it: it is replaced."""
    if name not in recorded and default_storage.exists(name):
        default_storage.delete(name)
    return default_storage.save(name, ContentFile(content))


def delete_files_now(names: list[str]) -> None:
    """Remove stored files now. A storage hiccup must not turn a committed change into
    an error for the caller; a file left behind is found by the orphan sweeps."""
    for name in names:
        try:
            default_storage.delete(name)
        except Exception:
            logger.warning("Could not delete the stored file %s", name, exc_info=True)


def create_thumbnails(media_id: int) -> dict[str, str] | None:
    """Make the WebP thumbnails of one photo and record them; None when the photo is gone.

    Idempotent: a photo whose thumbnails are all recorded is left alone. The files are
    written first and recorded with an update that needs the row to still exist, under
    the product's lock, so a photo deleted meanwhile gets nothing back (and the files
    just written are removed)."""
    media = ProductMedia.objects.filter(pk=media_id).first()
    if media is None:
        return None
    original = media.image.name
    done = {str(w) for w in thumbnail_widths(media.width or 0)}
    if media.thumbnails and set(media.thumbnails) == done:
        return media.thumbnails
    with default_storage.open(original, "rb") as stored:
        data = stored.read()
    image = Image.open(io.BytesIO(data), formats=OPEN_FORMATS)
    widths = thumbnail_widths(image.width)
    if image.format == "JPEG":
        # Decode at a reduced scale (still at least the widest thumbnail): much faster.
        image.draft(None, (widths[-1], max(1, image.height * widths[-1] // image.width)))
    image.load()
    icc_profile = image.info.get("icc_profile")
    image = image.convert("RGBA" if image.has_transparency_data else "RGB")
    if icc_profile:
        image.info["icc_profile"] = icc_profile
    recorded = set((media.thumbnails or {}).values())
    made: dict[str, str] = {}
    try:
        for width in reversed(widths):
            made[str(width)] = _save_thumbnail(
                thumbnail_name(original, width), _thumbnail(image, width), recorded
            )
        with transaction.atomic():
            list(
                Product.objects.select_for_update()
                .filter(pk=media.product_id)
                .values_list("pk", flat=True)
            )
            current = (
                ProductMedia.objects.filter(pk=media_id, image=original)
                .values_list("thumbnails", flat=True)
                .first()
            )
            if current is not None:
                ProductMedia.objects.filter(pk=media_id).update(thumbnails=made)
    except BaseException:
        # Nothing recorded them (the update rolled back or was never reached).
        delete_files_now(list(made.values()))
        raise
    if current is None:
        delete_files_now(list(made.values()))
        return None
    # After the commit, so a failure here can no longer unrecord the files just written.
    delete_files_now(sorted(set(current.values()) - set(made.values())))
    bump_catalog_version()
    return made


def queue_missing_thumbnails(*, older_than: timedelta = timedelta(minutes=10)) -> int:
    """Queue the thumbnail task again for photos still without thumbnails (a task lost
    while the broker was down); returns how many were queued."""
    cutoff = timezone.now() - older_than
    ids = list(
        ProductMedia.objects.filter(thumbnails={}, created__lt=cutoff)
        .order_by("id")
        .values_list("id", flat=True)[:1000]
    )
    for media_id in ids:
        _queue_thumbnails(media_id)
    return len(ids)


def delete_orphaned_files(*, older_than: timedelta = timedelta(days=1), months: int = 2) -> int:
    """Delete files under products/ (in the last `months` monthly folders) that no photo
    names: left by an upload whose request was rolled back after the file was written.
    Only files older than `older_than` are touched, so an upload in flight is safe."""

    def known(folder: str) -> set[str]:
        # Thumbnails sit next to their original, so one folder's rows name all its files.
        names: set[str] = set()
        rows = ProductMedia.objects.filter(image__startswith=f"{folder}/")
        for image, thumbnails in rows.values_list("image", "thumbnails").iterator():
            names.add(image)
            names.update((thumbnails or {}).values())
        return names

    return delete_unnamed_files("products", known, older_than=older_than, months=months)


def delete_unnamed_files(
    root: str,
    known: Callable[[str], set[str]],
    *,
    older_than: timedelta,
    months: int = 2,
) -> int:
    """Delete the files in the last `months` monthly folders of `root` (upload_to's
    `<root>/%Y/%m/`) that `known(folder)` does not name and that are older than
    `older_than`; returns how many went."""
    # upload_to's %Y/%m is the local date, as here.
    today = timezone.localdate().replace(day=1)
    folders = []
    for _step in range(months):
        folders.append(today.strftime(f"{root}/%Y/%m"))
        today = (today - timedelta(days=1)).replace(day=1)
    cutoff = timezone.now() - older_than
    deleted = 0
    for folder in folders:
        names = known(folder)
        try:
            _dirs, files = default_storage.listdir(folder)
        except FileNotFoundError:
            continue
        for file_name in files:
            name = f"{folder}/{file_name}"
            if name in names or default_storage.get_modified_time(name) > cutoff:
                continue
            default_storage.delete(name)
            deleted += 1
    return deleted
