from __future__ import annotations

from django.core.files.storage import default_storage
from django.db import transaction


def delete_files_on_commit(names: list[str]) -> None:
    """Remove stored files once the rows that named them are gone for good."""

    def delete() -> None:
        for name in names:
            if name:
                default_storage.delete(name)

    transaction.on_commit(delete)


THUMBNAIL_SIZES = (120, 240, 480, 960)


def media_url(media, size: int | None = None) -> str:
    """The URL of the smallest thumbnail at least `size` wide, or of the original until
    the thumbnails exist (or when no size is asked)."""
    if size and media.thumbnails:
        fitting = sorted(int(s) for s in media.thumbnails if int(s) >= size)
        chosen = fitting[0] if fitting else max(int(s) for s in media.thumbnails)
        return default_storage.url(media.thumbnails[str(chosen)])
    return default_storage.url(media.image.name)
