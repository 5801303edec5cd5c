"""A return photo behind its signed link (photos.py)."""

from __future__ import annotations

import mimetypes

from django.http import FileResponse, Http404, HttpRequest
from django.views.decorators.http import require_GET

from marketplace.returns.photos import MAX_AGE_SECONDS, photo_of_link


@require_GET
def photo(request: HttpRequest, token: str) -> FileResponse:
    found = photo_of_link(token)
    if found is None:
        raise Http404
    try:
        handle = found.image.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    content_type = mimetypes.guess_type(found.image.name)[0] or "application/octet-stream"
    response = FileResponse(handle, content_type=content_type)
    response["Cache-Control"] = f"private, max-age={MAX_AGE_SECONDS}"
    response["X-Content-Type-Options"] = "nosniff"
    return response
