"""Answers while PostgreSQL cannot be reached: a 503 that says so, with Retry-After,
instead of an HTML 500 or a GraphQL "internal error". The API and the health check
answer JSON; the shop and the admin a plain page in the visitor's language."""

from __future__ import annotations

import json
import logging

from django.http import HttpRequest, HttpResponse
from django.utils.html import format_html
from django.utils.translation import get_language, get_language_bidi
from django.utils.translation import gettext as _

from config.health import describe_error
from marketplace.core.outage import is_connection_failure

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30
ERROR_CODE = "DATABASE_UNAVAILABLE"
# URL names (config/urls.py) whose clients are programs.
JSON_VIEWS = {"api", "health"}

PAGE = """<!doctype html>
<html lang="{}" dir="{}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{}</title></head>
<body style="font-family: sans-serif; max-width: 36rem; margin: 3rem auto; padding: 0 1rem">
<h1>{}</h1>
<p>{}</p>
</body>
</html>
"""


def wants_json(request: HttpRequest) -> bool:
    match = getattr(request, "resolver_match", None)
    if match is not None and match.url_name in JSON_VIEWS:
        return True
    return request.accepts("application/json") and not request.accepts("text/html")


def unavailable_response(request: HttpRequest) -> HttpResponse:
    message = _("The marketplace cannot reach its database right now. Try again in a minute.")
    if wants_json(request):
        body = {"errors": [{"message": message, "extensions": {"code": ERROR_CODE}}]}
        response = HttpResponse(
            json.dumps(body, ensure_ascii=False),
            status=503,
            content_type="application/json",
        )
    else:
        title = _("Temporarily unavailable")
        page = format_html(
            PAGE,
            get_language() or "fa",
            "rtl" if get_language_bidi() else "ltr",
            title,
            title,
            message,
        )
        response = HttpResponse(page, status=503, content_type="text/html; charset=utf-8")
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    """Turns a view's (or the API's) failure to reach the database into a 503."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not is_connection_failure(exception):
            return None
        logger.error(
            "Database unavailable while serving %s %s: %s",
            request.method,
            request.path,
            describe_error(exception),
        )
        return unavailable_response(request)
