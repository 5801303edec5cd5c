"""A buyer receives a two-line order from the saffron cooperative, returns one damaged
unit with a photo from the phone, the cooperative's staff accept it on their returns
page, and the refund shows on the buyer's order page and in the ledger; the buyer then
reviews the other line and its product page shows the review and the rating."""

from __future__ import annotations

import io
import random
import re
import uuid

import psycopg
from PIL import Image
from playwright.sync_api import Page, expect

from tests.browser.artifacts import NewPage, Screenshots
from tests.browser.journeys import (
    DemoProduct,
    add_to_cart,
    choose_deliveries,
    enter_address,
    open_cart,
    password_box,
    place_order,
    submit_in_cart,
    textbox,
)
from tests.browser.server import Shop
from tests.browser.words import Words

DEMO_PASSWORD = "Roosta-Bazar-1405"
BUYER = "buyer@demo.bazarcheh.ir"
STAFF = "saffron.staff@demo.bazarcheh.ir"
COOPERATIVE = "torbat-heydarieh-saffron"
PRODUCTS = ("rezaei-negin-saffron", "niknam-negin-saffron")
LATIN = str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789")


def broken_jar_photo() -> bytes:
    image = Image.new("RGB", (1200, 900), (200, 150, 60))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85, exif=exif)
    return out.getvalue()


def sign_in(page: Page, words: Words, login: str, next_path: str) -> None:
    page.goto(f"/account/signin/?next={next_path}")
    textbox(page, words("Email or mobile number")).fill(login)
    password_box(page, words("Password")).fill(DEMO_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name=words("Sign in"), exact=True).click()


def click(page: Page, name: str, scope=None) -> None:
    with page.expect_navigation():
        (scope or page).get_by_role("button", name=name, exact=True).first.click()


def deliver_on_the_desk(page: Page, words: Words, number: str) -> None:
    page.goto(f"/panel/coop/{COOPERATIVE}/shipments/")
    row = lambda: page.locator("tr[id^=parcel-]").filter(has_text=number)  # noqa: E731
    click(page, words("Pack"), row())
    tracking = "".join(random.choice("0123456789") for _ in range(24))
    row().locator("input[name^=tracking]").fill(tracking)
    row().locator("select[name^=carrier]").select_option("post")
    click(page, words("Send"), row())
    click(page, words("Delivered"), row())
    expect(row()).to_have_attribute("data-status", "DELIVERED")


def test_buyer_returns_a_damaged_unit_and_the_cooperative_refunds_it(
    new_page: NewPage, screenshots: Screenshots, shop: Shop
):
    words = Words("fa")
    buyer = new_page()
    sign_in(buyer, words, BUYER, "/")
    for slug in PRODUCTS:
        buyer.goto(f"/p/{slug}/")
        add_to_cart(buyer, words)
    open_cart(buyer, words)
    saved = buyer.get_by_role("button", name=words("Send to this address"), exact=True)
    if saved.count():
        submit_in_cart(buyer, saved.first)
    else:
        enter_address(buyer, words, "fa", None)
    assert choose_deliveries(buyer, words) == 1
    number = place_order(buyer, words)
    screenshots(buyer, "order-placed")

    staff = new_page()
    sign_in(staff, words, STAFF, f"/panel/coop/{COOPERATIVE}/shipments/")
    deliver_on_the_desk(staff, words, number)
    screenshots(staff, "delivered")

    buyer.goto("/account/orders/")
    with buyer.expect_navigation():
        buyer.get_by_role("link").filter(has_text=number).first.click()
    buyer.get_by_text(words("Return items of this parcel")).click()
    first_name = DemoProduct.get(PRODUCTS[0]).name
    buyer.get_by_role("spinbutton", name=re.compile(re.escape(first_name))).fill("1")
    buyer.get_by_label(words("Reason"), exact=True).select_option("DAMAGED")
    buyer.get_by_label(words("What happened?"), exact=True).fill("در شیشه شکسته بود")
    buyer.get_by_label(words("Photos (up to 3)"), exact=True).set_input_files(
        [{"name": "jar.jpg", "mimeType": "image/jpeg", "buffer": broken_jar_photo()}]
    )
    screenshots(buyer, "return-form")
    click(buyer, words("Send the return request"))
    expect(buyer.get_by_role("status")).to_contain_text(
        words("Your return request was sent to the seller.")
    )
    expect(buyer.locator(".return")).to_contain_text(words("Waiting for a decision"))
    screenshots(buyer, "return-requested")

    staff.goto(f"/panel/coop/{COOPERATIVE}/returns/")
    card = staff.locator("article.return").filter(has_text="در شیشه شکسته بود")
    expect(card.locator("img")).to_have_count(1)
    photo = card.locator("img")
    photo.scroll_into_view_if_needed()
    staff.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=photo.element_handle()
    )
    screenshots(staff, "returns-to-decide")
    click(staff, words("Accept and refund"), card)
    expect(staff.get_by_role("status")).to_contain_text(words("The return is accepted."))

    buyer.reload()
    refund = buyer.locator(".return-refund")
    expect(refund).to_contain_text(words("Refunded"))
    screenshots(buyer, "refunded")
    with psycopg.connect(shop.database_url) as conn:
        row = conn.execute(
            "SELECT p.amount, r.refunded FROM ledger_posting p "
            "JOIN orders_order o ON o.id = p.order_id "
            "JOIN returns_returnrequest r ON r.order_id = o.id "
            "WHERE o.number = %s AND p.cause_kind = 'REFUND'",
            [int(number.translate(LATIN))],
        ).fetchone()
    assert row is not None and row[0] == row[1] and row[0] > 0

    other = DemoProduct.get(PRODUCTS[1]).name
    form = buyer.locator("tr").filter(has_text=other).locator("details.review-form")
    form.get_by_text(words("Review this product"), exact=True).click()
    form.get_by_role("radio").first.check()  # five stars come first
    review = f"زعفران خوش‌رنگ و معطر {uuid.uuid4().hex[:6]}"
    form.get_by_role("textbox").fill(review)
    with buyer.expect_navigation():
        form.get_by_role("button", name=words("Send the review"), exact=True).click()
    expect(buyer.get_by_role("status")).to_contain_text(words("Thank you for your review."))
    buyer.goto(f"/p/{PRODUCTS[1]}/")
    expect(buyer.locator("#reviews").get_by_text(review)).to_be_visible()
    expect(buyer.locator(".buy .rating")).to_contain_text(re.compile("از ۵"))
    screenshots(buyer, "product-with-review")
