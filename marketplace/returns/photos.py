"""Return photos are evidence between a buyer, a fulfiller and platform staff, never
public (the media bucket makes only product photos public): they are shown through
short-lived signed links handed to whoever may read the return. A photo's file is
written before its row; one whose row never committed is swept away."""

from __future__ import annotations

from datetime import timedelta

from django.core import signing
from django.urls import reverse

from marketplace.catalog.media import delete_unnamed_files
from marketplace.returns.models import ReturnPhoto

SALT = "returns.photo"
MAX_AGE_SECONDS = 3600


def photo_url(photo: ReturnPhoto) -> str:
    return reverse("return_photo", args=[signing.dumps(photo.pk, salt=SALT)])


def photo_of_link(token: str) -> ReturnPhoto | None:
    try:
        pk = signing.loads(token, salt=SALT, max_age=MAX_AGE_SECONDS)
    except signing.BadSignature:
        return None
    if not isinstance(pk, int):
        return None
    return ReturnPhoto.objects.filter(pk=pk).first()


def delete_orphaned_photos(*, older_than: timedelta = timedelta(hours=6)) -> int:
    """Delete return photo files no ReturnPhoto names, older than `older_than` (so an
    upload in flight is safe): left by a return whose transaction rolled back after its
    photos were stored, where create_return could not remove them itself."""

    def known(folder: str) -> set[str]:
        rows = ReturnPhoto.objects.filter(image__startswith=f"{folder}/")
        return set(rows.values_list("image", flat=True))

    return delete_unnamed_files("returns", known, older_than=older_than)
