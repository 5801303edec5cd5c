"""The API for callers in the same process (the storefront): the same schema, document
cache, bearer-token sign-in and one-transaction mutations as /graphql/, without HTTP.

Files are passed as Django UploadedFile objects inside `variables`, where a multipart
request would have placed them."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.utils.translation import get_language, override

from marketplace.accounts.tokens import user_from_token
from marketplace.api.core.view import APIView
from marketplace.api.schema import schema

_view = APIView(schema=schema)


def execute(
    query: str,
    variables: dict[str, Any] | None = None,
    *,
    token: str | None = None,
    language: str | None = None,
    client_address: str | None = None,
) -> dict[str, Any]:
    """The response body /graphql/ would send: {"data": ..., "errors": [...]} where an
    invalid or expired token answers like the HTTP endpoint's 401, with INVALID_TOKEN."""
    request = HttpRequest()
    request.method = "POST"
    request.LANGUAGE_CODE = language or get_language() or "fa"
    request.META["HTTP_ACCEPT_LANGUAGE"] = request.LANGUAGE_CODE
    if client_address:
        # Throttles count per client: the browser's address, not the storefront's.
        request.META["REMOTE_ADDR"] = client_address
    request.user = AnonymousUser()
    if token:
        user = user_from_token(token)
        if user is None:
            rejected = {"message": "", "extensions": {"code": "INVALID_TOKEN"}}
            return {"data": None, "errors": [rejected]}
        request.user = user
    with override(request.LANGUAGE_CODE):
        result = _view.execute_graphql_request(request, {}, query, variables or {}, None)
        body: dict[str, Any] = {"data": result.data}
        if result.errors:
            body["errors"] = [_view.format_error(error) for error in result.errors]
    return body
