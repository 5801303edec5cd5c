"""What the panel tests share: signing a test client in through the API's tokens, and
the public catalogue as an anonymous buyer sees it."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.test import Client

from marketplace.accounts.models import User
from marketplace.accounts.tokens import create_access_token
from marketplace.api.inprocess import execute
from storefront import client as api_client

PUBLIC_SEARCH = """
query Search($q: String!) {
  products(search: $q, first: 20) { edges { node { id name isPublished } } }
}
"""


@pytest.fixture(autouse=True)
def media_root(tmp_path, settings):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    settings.API_RESPONSE_CACHE_SECONDS = 0
    cache.clear()
    yield
    cache.clear()


def signed_in_client(user: User, language: str = "en") -> Client:
    browser = Client(HTTP_ACCEPT_LANGUAGE=language)
    browser.cookies["django_language"] = language
    session = browser.session
    api_client.store_tokens(session, access=create_access_token(user))
    session.save()
    return browser


def public_names(search: str) -> list[str]:
    """Product names an anonymous buyer finds with `products(search:)`."""
    body = execute(PUBLIC_SEARCH, {"q": search}, language="fa")
    assert "errors" not in body, body
    return [edge["node"]["name"] for edge in body["data"]["products"]["edges"]]


def field_errors(html: str, field: str) -> list[str]:
    match = re.search(rf'<ul class="errorlist" id="{field}-errors">(.*?)</ul>', html, re.S)
    return re.findall(r"<li>(.*?)</li>", match.group(1)) if match else []
