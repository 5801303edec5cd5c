"""The not-found page in the shop's layout, in production and under `make run` (DEBUG)
alike: Django's own debug page would otherwise greet a buyer who follows a stale link."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseNotFound
from django.template import loader

# Paths whose not-found answers are not shop pages.
NOT_SHOP = ("/graphql/", "/admin/", "/static/", "/media/", "/health/")


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """handler404: the shop's page, with the shop's header and footer."""
    return HttpResponseNotFound(loader.render_to_string("404.html", request=request))


class ShopNotFoundMiddleware:
    """Under DEBUG Django answers a missing page with its technical page and skips
    handler404; the shop's pages get the shop's not-found page there too."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            settings.DEBUG
            and response.status_code == 404
            and not request.path.startswith(NOT_SHOP)
            and "text/html" in response.get("Content-Type", "")
        ):
            return not_found(request)
        return response
