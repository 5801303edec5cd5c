"""A listing page is light: at most 100 KB over the wire without the product photos
(HTML, CSS, JS, fonts), measured in chromium on a phone with an empty cache."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from tests.browser.artifacts import NewPage, Screenshots, report
from tests.browser.network import NetworkLog
from tests.browser.server import Shop

BUDGET_BYTES = 100 * 1024
LOOPBACK = "http://127.0.0.1:"
LISTINGS = {
    "search": f"/search/?q={quote('زعفران')}",
    "category": "/c/dried-fruit-nuts/",
}


@pytest.mark.parametrize("listing", sorted(LISTINGS))
def test_listing_page_weight(listing: str, new_page: NewPage, shop: Shop, screenshots: Screenshots):
    page = new_page()
    log = NetworkLog.attach(page)
    response = page.goto(LISTINGS[listing], wait_until="networkidle")
    assert response is not None and response.status == 200
    cards = page.locator("main li").filter(has=page.locator("img"))
    assert cards.count() >= 4, "the listing shows products with photos"
    first_view = log.total()

    # Photos load lazily: scroll through the page to count every one of them too.
    height = page.evaluate("document.body.scrollHeight")
    for _ in range(0, height + 844, 600):
        page.mouse.wheel(0, 600)
        page.wait_for_timeout(50)
    page.wait_for_function("[...document.images].every(image => image.complete)")
    page.wait_for_load_state("networkidle")
    everything = log.total()
    # Whatever scrolling fetched besides photos (a late font, a script) counts too.
    without_photos = log.total(excluding_prefix=shop.s3_url)
    screenshots(page, listing)

    parts = log.by_type(excluding_prefix=shop.s3_url)
    report(
        f"page weight of {listing} listing {LISTINGS[listing]}: "
        f"{without_photos / 1024:.1f} KB without photos, {first_view / 1024:.1f} KB "
        f"with the photos of the first screen, {everything / 1024:.1f} KB with every photo "
        f"({', '.join(f'{kind} {size / 1024:.1f} KB' for kind, size in parts.items())})",
    )
    assert without_photos <= BUDGET_BYTES, log.table()
    # Everything comes from the shop and its photo store: no CDN, font or analytics host.
    assert all(t.url.startswith(LOOPBACK) for t in log.transfers.values()), log.table()
