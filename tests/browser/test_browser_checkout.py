"""The one-page checkout on a 390×844 phone with JavaScript: a signed-in buyer with two
parcels gives the address, chooses each parcel's delivery and opens the folded promo
code without the page reloading once; the new address is kept in the account and
offered, already chosen, on the next order."""

from __future__ import annotations

import uuid

from playwright.sync_api import Page, expect

from tests.browser.artifacts import NewPage, Screenshots, report
from tests.browser.journeys import (
    add_to_cart,
    choose_deliveries,
    enter_address,
    open_cart,
    place_order,
    submit_in_cart,
)
from tests.browser.test_browser_payment import PASSWORD, PRODUCTS
from tests.browser.test_browser_producer import sign_up
from tests.browser.words import Words

PHONE = {"width": 390, "height": 844}


def _fill_cart(page: Page, words: Words) -> None:
    for slug in PRODUCTS:
        page.goto(f"/p/{slug}/")
        add_to_cart(page, words)
    open_cart(page, words)


def _section_order(page: Page) -> list[str]:
    return page.locator("#checkout [data-section]").evaluate_all("(all) => all.map(s => s.id)")


def test_one_page_checkout_on_a_phone_updates_in_place(
    new_page: NewPage, screenshots: Screenshots, request
):
    page = new_page()
    assert page.viewport_size == PHONE
    words = Words("fa")
    sign_up(page, words, email=f"phone-{uuid.uuid4().hex[:8]}@example.com", password=PASSWORD)
    _fill_cart(page, words)
    expect(page.locator("#checkout")).to_have_attribute("data-live", "")
    assert _section_order(page) == ["items", "address", "delivery", "place"]
    # Nothing is charged for delivery before a choice, and the total says so.
    place = page.locator("#place")
    expect(place).to_contain_text(words("not chosen yet"))
    expect(place).to_contain_text(words("Total without delivery"))
    screenshots(page, "cart-before-address")

    # A mark on the window survives only if the page never reloads.
    page.evaluate("window.stillHere = true")
    quantity = page.locator("#items").get_by_role("spinbutton").first
    quantity.fill("2")
    submit_in_cart(page, page.locator("#items").get_by_role("button", name=words("Update")).first)
    expect(page.locator(".account-nav .badge")).to_have_text("۳")
    expect(page.locator("#items").get_by_role("spinbutton").first).to_have_value("2")
    enter_address(page, words, "fa", None)
    expect(page.get_by_role("status")).to_contain_text(
        words("The address is saved to your account too.")
    )
    # The buyer is taken on to the delivery step.
    expect(page.locator("#delivery-title")).to_be_focused()
    assert choose_deliveries(page, words) == 2
    expect(place).not_to_contain_text(words("not chosen yet"))
    page.get_by_text(words("Have a promo code?")).click()
    code = page.get_by_role("textbox", name=words("Promo code"), exact=True)
    expect(code).to_be_visible()
    code.fill("NO-SUCH-CODE")
    submit_in_cart(page, page.locator("#promo").get_by_role("button", name=words("Apply")))
    expect(page.locator("#promo-code-error")).to_be_visible()
    expect(page.locator("#promo-code")).to_be_focused()
    assert page.evaluate("window.stillHere === true"), "the page reloaded"
    screenshots(page, "one-page-checkout")

    number = place_order(page, words)
    screenshots(page, "placed")

    # The next order offers the saved address, chosen already; delivery comes first.
    page.goto(f"/p/{PRODUCTS[0]}/")
    add_to_cart(page, words)
    open_cart(page, words)
    saved = page.locator("#address input[name='saved']")
    expect(saved).to_have_count(1)
    expect(saved).to_be_checked()
    expect(saved).to_be_visible()
    screenshots(page, "next-cart-with-saved-address")
    report(f"{request.node.nodeid}: order {number} placed without a reload on a phone")
