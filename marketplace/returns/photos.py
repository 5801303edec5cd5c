"""Return photos are evidence between a buyer, a fulfiller and platform staff, never
public (the media bucket makes only product photos public): they are shown through
short-lived signed links handed to whoever may read the return."""

from __future__ import annotations

from django.core import signing
from django.urls import reverse

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
