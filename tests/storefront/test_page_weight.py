"""The weight of a listing page as a phone on a weak connection downloads it: the HTML
and every stylesheet, script and font it uses, collected and served as in production
(hashed names, compressed by WhiteNoise, cached for a year), at most 100 KB without the
product photos."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import brotli
import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.test import Client

from storefront import assets
from storefront.templatetags import shop_assets
from tests.storefront import shop_catalogue
from tests.storefront.shop_catalogue import Shop, add_products

shop = shop_catalogue.shop
fresh_cache = shop_catalogue.fresh_cache

pytestmark = pytest.mark.django_db

BUDGET_BYTES = 100 * 1024
YEAR_SECONDS = 365 * 24 * 3600
ASSET = re.compile(
    r'<link rel="(?:stylesheet|preload)" href="([^"]+)"|<script [^>]*src="([^"]+)"|url\(([^)]+)\)'
)


@pytest.fixture
def collected(settings, tmp_path: Path) -> Path:
    """Static files collected as a production image collects them."""
    assets.build()
    settings.DEBUG = False
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STATICFILES_DIRS = [assets.OUTPUT]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    finders.get_finder.cache_clear()
    shop_assets._available.cache_clear()
    call_command("collectstatic", "--noinput", verbosity=0)
    yield settings.STATIC_ROOT
    finders.get_finder.cache_clear()
    shop_assets._available.cache_clear()


def fetch(client: Client, url: str) -> tuple[bytes, dict]:
    response = client.get(url, HTTP_ACCEPT_ENCODING="gzip, br")
    assert response.status_code == 200, url
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return body, response.headers


def decompressed(body: bytes, headers) -> str:
    if headers.get("Content-Encoding") == "br":
        return brotli.decompress(body).decode()
    return gzip.decompress(body).decode()


def linked(text: str) -> set[str]:
    return {next(group for group in match if group) for match in ASSET.findall(text)}


def test_a_listing_page_weighs_at_most_100_kb(collected, shop: Shop, capsys):
    add_products(shop, 30)
    client = Client()
    response = client.get(
        "/search/?q=" + "کشمش", HTTP_ACCEPT_LANGUAGE="fa", HTTP_ACCEPT_ENCODING="gzip"
    )
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == "gzip"
    html = gzip.decompress(response.content).decode()
    assert html.count('class="product-card"') == 24
    weights = {"page.html": len(response.content)}
    pending = linked(html)
    assert any(url.endswith(".css") for url in pending)
    assert sum(".woff2" in url for url in pending) == 2, "the font subset must be built"
    seen: set[str] = set()
    while pending:
        url = pending.pop()
        seen.add(url)
        body, headers = fetch(client, url)
        name = url.rsplit("/", 1)[-1]
        # Hashed names, cached for a year: a returning visitor downloads none of them.
        assert re.search(r"\.[0-9a-f]{12}\.(css|js|woff2)$", name), name
        assert f"max-age={10 * YEAR_SECONDS}" in headers["Cache-Control"]
        if name.endswith((".css", ".js")):
            assert headers.get("Content-Encoding") in {"br", "gzip"}
            pending |= {u for u in linked(decompressed(body, headers)) if u not in seen}
        weights[name] = len(body)
    total = sum(weights.values())
    with capsys.disabled():
        print(f"\nlisting page weight (bytes over the wire, photos excluded): {weights} = {total}")
    assert total <= BUDGET_BYTES
