"""The storefront's only way to the marketplace: its public GraphQL API, run in process
(default) or over HTTP when the STOREFRONT_API_URL setting names an endpoint.

Signing in stores the API's access and refresh tokens in the session, encrypted: a copy
of the session table alone gives no usable token. An expired access token is refreshed
once, a refused refresh signs the visitor out, and signing out revokes the tokens."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from typing import Any

import requests
from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.crypto import salted_hmac
from django.utils.translation import get_language

ACCESS = "api_access_token"
REFRESH = "api_refresh_token"
TIMEOUT_SECONDS = 15

REVOKE_MUTATION = """
mutation Revoke($token: String) { tokenRevoke(refreshToken: $token) { errors { code } } }
"""
REFRESH_MUTATION = """
mutation Refresh($token: String!) {
  tokenRefresh(refreshToken: $token) { token errors { field code message } }
}
"""


class APIError(Exception):
    """The API answered with errors outside a mutation's `errors` list."""

    def __init__(self, errors: list[dict[str, Any]]):
        super().__init__("; ".join(str(e.get("message", e)) for e in errors))
        self.errors = errors

    @property
    def codes(self) -> set[str]:
        return {(e.get("extensions") or {}).get("code", "") for e in self.errors}


@dataclass
class FormErrors:
    """A mutation's `errors { field code message }`, by input field for the templates."""

    items: list[dict[str, Any]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.items)

    @property
    def by_field(self) -> dict[str, list[str]]:
        grouped: dict[str, list[str]] = {}
        for item in self.items:
            grouped.setdefault(item.get("field") or "__all__", []).append(item["message"])
        return grouped

    @property
    def general(self) -> list[str]:
        return self.by_field.get("__all__", [])

    @property
    def codes(self) -> set[str]:
        return {item["code"] for item in self.items}


def _split_files(variables: dict[str, Any]) -> tuple[dict[str, Any], dict[str, UploadedFile]]:
    """Variables with each upload replaced by null, and the uploads by their dotted path
    (graphql-multipart-request-spec)."""
    files: dict[str, UploadedFile] = {}

    def walk(value: Any, path: str) -> Any:
        if isinstance(value, UploadedFile):
            files[path] = value
            return None
        if isinstance(value, dict):
            return {k: walk(v, f"{path}.{k}") for k, v in value.items()}
        if isinstance(value, list):
            return [walk(v, f"{path}.{i}") for i, v in enumerate(value)]
        return value

    return walk(variables, "variables"), files


def _over_http(query: str, variables: dict, token: str | None, language: str) -> dict:
    headers = {"Accept-Language": language}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    plain, files = _split_files(variables)
    if files:
        operations = json.dumps({"query": query, "variables": plain})
        mapping = json.dumps({str(i): [path] for i, path in enumerate(files)})
        uploads = {str(i): (f.name, f.read(), f.content_type) for i, f in enumerate(files.values())}
        response = requests.post(
            settings.STOREFRONT_API_URL,
            data={"operations": operations, "map": mapping},
            files=uploads,
            headers=headers,
            timeout=TIMEOUT_SECONDS,
        )
    else:
        response = requests.post(
            settings.STOREFRONT_API_URL,
            json={"query": query, "variables": plain},
            headers=headers,
            timeout=TIMEOUT_SECONDS,
        )
    try:
        return response.json()
    except ValueError:
        return {"data": None, "errors": [{"message": response.text[:200]}]}


def _send(
    query: str, variables: dict, token: str | None, language: str, client: str | None = None
) -> dict:
    if getattr(settings, "STOREFRONT_API_URL", ""):
        return _over_http(query, variables, token, language)
    from marketplace.api.inprocess import execute

    return execute(query, variables, token=token, language=language, client_address=client)


def _token_rejected(body: dict) -> bool:
    return any(
        (e.get("extensions") or {}).get("code") == "INVALID_TOKEN" for e in body.get("errors") or []
    )


def _fernet() -> Fernet:
    key = salted_hmac("storefront.client.tokens", "session", algorithm="sha256").digest()
    return Fernet(base64.urlsafe_b64encode(key))


def _seal(token: str) -> str:
    return _fernet().encrypt(token.encode()).decode()


def session_token(request, key: str = ACCESS) -> str | None:
    """The API token stored under `key` in the session, or None (none stored, or stored
    under another secret key)."""
    sealed = request.session.get(key) if hasattr(request, "session") else None
    if not isinstance(sealed, str) or not sealed:
        return None
    try:
        return _fernet().decrypt(sealed.encode()).decode()
    except (InvalidToken, ValueError):
        return None


def store_tokens(session, *, access: str, refresh: str | None = None) -> None:
    session[ACCESS] = _seal(access)
    if refresh:
        session[REFRESH] = _seal(refresh)


def _refresh(request) -> str | None:
    refresh = session_token(request, REFRESH)
    if not refresh:
        return None
    body = _send(REFRESH_MUTATION, {"token": refresh}, None, _language(request))
    token = ((body.get("data") or {}).get("tokenRefresh") or {}).get("token")
    if token:
        store_tokens(request.session, access=token)
    return token


def _language(request) -> str:
    return getattr(request, "LANGUAGE_CODE", None) or get_language() or "fa"


def raw(request, query: str, variables: dict | None = None) -> dict:
    """The response body, signed in as the session's user when there is one."""
    variables = variables or {}
    language = _language(request)
    token = session_token(request)
    client = getattr(request, "META", {}).get("REMOTE_ADDR")
    body = _send(query, variables, token, language, client)
    if token and _token_rejected(body):
        token = _refresh(request)
        if token is None:
            sign_out(request)
        body = _send(query, variables, token, language, client)
    return body


def query(request, document: str, variables: dict | None = None) -> dict[str, Any]:
    """The data of a query; APIError when the API reports errors."""
    body = raw(request, document, variables)
    if body.get("errors"):
        raise APIError(body["errors"])
    return body.get("data") or {}


def mutate(
    request, document: str, variables: dict | None = None, *, root: str
) -> tuple[dict[str, Any], FormErrors]:
    """The payload of mutation `root` and its field errors. Errors outside the payload
    (permission refused to an anonymous caller, invalid IDs) come back as a general
    FormErrors item, never as an exception, so every form can show them."""
    body = raw(request, document, variables)
    payload = (body.get("data") or {}).get(root) or {}
    items = list(payload.get("errors") or [])
    for error in body.get("errors") or []:
        code = (error.get("extensions") or {}).get("code") or "INVALID"
        items.append({"field": None, "code": code, "message": error.get("message", "")})
    return payload, FormErrors(items)


def sign_in(request, *, access: str, refresh: str | None) -> None:
    request.session.cycle_key()
    store_tokens(request.session, access=access, refresh=refresh)


def sign_out(request, *, revoke: bool = False) -> None:
    """Forget the tokens; with `revoke`, the API refuses them (and every other token of
    the user) from now on, so a copy kept elsewhere stops working too."""
    if revoke:
        refresh = session_token(request, REFRESH)
        access = session_token(request)
        if refresh or access:
            _send(REVOKE_MUTATION, {"token": refresh}, access, _language(request))
    for key in (ACCESS, REFRESH):
        request.session.pop(key, None)


def signed_in(request) -> bool:
    return session_token(request) is not None
