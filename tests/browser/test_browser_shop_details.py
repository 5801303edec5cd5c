"""On a phone: header controls big enough for a thumb, the add-to-cart bar at hand while
reading a product, a way to the cart after adding; on a desk the bar stays away. The
shop's own pages (about, contact, returns, terms) are a tap away from every footer."""

from __future__ import annotations

from urllib.parse import quote

from playwright.sync_api import expect

from tests.browser.artifacts import NewPage, Screenshots
from tests.browser.journeys import DemoProduct
from tests.browser.words import Words

MIN_TARGET_PX = 44
SLUG = "barkuh-golden-pikami-raisins"


def test_phone_header_targets_and_the_sticky_buy_bar(new_page: NewPage, screenshots: Screenshots):
    page = new_page()
    words = Words("fa")
    product = DemoProduct.get(SLUG)
    page.goto(f"/p/{quote(product.slug)}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(product.name)

    header = page.locator("header.site-header")
    targets = header.locator("a, button, input:not([type=hidden])")
    for index in range(targets.count()):
        box = targets.nth(index).bounding_box()
        assert box is not None
        assert box["height"] >= MIN_TARGET_PX and box["width"] >= MIN_TARGET_PX, (
            targets.nth(index).evaluate("e => e.outerHTML"),
            box,
        )

    bar = page.locator(".buy-bar")
    expect(bar).to_be_visible()
    page.mouse.wheel(0, 2000)
    viewport = page.viewport_size
    box = bar.bounding_box()
    assert box is not None and abs(box["y"] + box["height"] - viewport["height"]) <= 1
    screenshots(page, "product-with-buy-bar")

    with page.expect_navigation():
        bar.get_by_role("button", name=words("Add to cart"), exact=True).click()
    expect(page.get_by_role("status")).to_contain_text(words("Added to your cart."))
    go = page.get_by_role("link", name=words("Go to cart"), exact=True)
    expect(go).to_be_visible()
    screenshots(page, "added-with-go-to-cart")
    with page.expect_navigation():
        go.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(words("Your cart"))


def test_on_a_desk_the_buy_bar_stays_away_and_the_footer_links_the_shop_pages(
    new_page: NewPage, screenshots: Screenshots
):
    page = new_page(viewport={"width": 1366, "height": 768}, is_mobile=False, has_touch=False)
    words = Words("fa")
    page.goto(f"/p/{quote(SLUG)}/")
    expect(page.locator(".buy-bar")).to_be_hidden()
    expect(
        page.locator("form.add-to-cart").get_by_role("button", name=words("Add to cart"))
    ).to_be_visible()
    with page.expect_navigation():
        page.locator("footer").get_by_role("link", name=words("Return policy")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(words("Return policy"))
    screenshots(page, "return-policy")
