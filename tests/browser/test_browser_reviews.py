"""The demo buyer reviews a product of a delivered order from the order page, in Persian
on a phone, and the product page then shows the review and the rating."""

from __future__ import annotations

import re
import uuid

from playwright.sync_api import Page, expect

from marketplace.demo.accounts import BUYER_EMAIL, DEMO_PASSWORD
from tests.browser.artifacts import NewPage, Screenshots
from tests.browser.journeys import open_product, password_box, search, textbox
from tests.browser.words import Words

MAX_ORDERS_TRIED = 12


def sign_in(page: Page, words: Words, next_path: str) -> None:
    page.goto(f"/account/signin/?next={next_path}")
    textbox(page, words("Email or mobile number")).fill(BUYER_EMAIL)
    password_box(page, words("Password")).fill(DEMO_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name=words("Sign in"), exact=True).click()


def open_a_reviewable_order(page: Page, words: Words) -> None:
    """An order of the demo buyer with a delivered line not reviewed yet."""
    delivered = page.locator("main li.card").filter(has_text=words("Delivered"))
    links = [
        delivered.nth(i).get_by_role("link").first.get_attribute("href")
        for i in range(min(delivered.count(), MAX_ORDERS_TRIED))
    ]
    for href in links:
        page.goto(href)
        if page.get_by_text(words("Review this product"), exact=True).count():
            return
    raise AssertionError("no delivered order with a line to review")


def test_the_buyer_reviews_a_delivered_line_and_the_product_page_shows_it(
    new_page: NewPage, screenshots: Screenshots
):
    words = Words("fa")
    page = new_page()
    sign_in(page, words, "/account/orders/")
    expect(page.get_by_role("heading", level=1)).to_have_text(words("Your orders"))
    open_a_reviewable_order(page, words)

    form = page.locator("details.review-form").first
    row = page.locator("tr").filter(has=form)
    product_name = row.locator("td").first.inner_text().split("\n")[0].split(" — ")[0].strip()
    form.get_by_text(words("Review this product"), exact=True).click()
    form.get_by_role("radio").first.check()  # five stars come first
    text = f"عسل و زعفرانش تازه بود {uuid.uuid4().hex[:6]}"
    form.get_by_role("textbox").fill(text)
    screenshots(page, "review-form")
    with page.expect_navigation():
        form.get_by_role("button", name=words("Send the review"), exact=True).click()
    expect(page.get_by_role("status")).to_contain_text(words("Thank you for your review."))
    expect(page.get_by_text(text)).to_be_visible()

    search(page, words, product_name)
    open_product(page, product_name)
    reviews = page.locator("#reviews")
    expect(reviews.get_by_text(text)).to_be_visible()
    expect(page.locator(".buy .rating")).to_contain_text(re.compile("از ۵"))
    screenshots(page, "product-with-review")
