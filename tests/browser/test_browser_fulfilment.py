"""From order to doorstep: a buyer pays for a two-cooperative order; each cooperative's
clerk packs the parcel on the desk (the saffron one a unit short, at a desk screen; the
raisin one on a phone), books the national post, and downloads the packing slip and the
carrier's label; the post's own server then sends its signed tracking webhook; the buyer
sees both parcels delivered with their tracking numbers and steps, confirms receipt,
and gets the short unit back."""

from __future__ import annotations

import io
import re
import unicodedata
import uuid
from dataclasses import dataclass

from playwright.sync_api import Locator, Page, expect
from pypdf import PdfReader

from tests.browser.artifacts import NewPage, Screenshots, report
from tests.browser.journeys import (
    DemoProduct,
    add_to_cart,
    choose_deliveries,
    enter_address,
    open_cart,
    order_number,
    persian_digits,
    textbox,
)
from tests.browser.server import Shop
from tests.browser.test_browser_payment import on_gateway, place_with_sandbox
from tests.browser.test_browser_producer import DEMO_PASSWORD, sign_in, sign_up
from tests.browser.words import Words
from tests.waiting import wait_until

PASSWORD = "Anar-Saveh-1405-Post"
POST_TRACKING = re.compile(r"^\d{24}$")


@dataclass(frozen=True)
class Parcel:
    product: str
    units: int
    cooperative: str
    clerk: str
    packed: int
    # The desk on the clerk's phone rather than at a desk screen.
    phone: bool = False


PARCELS = (
    Parcel(
        "rezaei-negin-saffron",
        2,
        "torbat-heydarieh-saffron",
        "saffron.staff@demo.bazarcheh.ir",
        packed=1,
    ),
    Parcel(
        "hosseini-long-green-raisins",
        1,
        "kashmar-raisin",
        "raisin.staff@demo.bazarcheh.ir",
        packed=1,
        phone=True,
    ),
)


def desk_page(new_page: NewPage) -> Page:
    return new_page(
        viewport={"width": 1280, "height": 900},
        is_mobile=False,
        has_touch=False,
        device_scale_factor=1,
    )


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return unicodedata.normalize("NFKC", "\n".join(p.extract_text() for p in reader.pages))


def download_pdf(page: Page, link: Locator) -> bytes:
    """What the browser gets for a paper's link: a PDF for this clerk only."""
    href = link.get_attribute("href")
    assert href, "the paper has a link"
    response = page.request.get(href)
    assert response.status == 200, (href, response.status)
    assert response.headers["content-type"] == "application/pdf"
    body = response.body()
    assert body.startswith(b"%PDF"), body[:20]
    return body


def parcel_row(page: Page, number: str) -> Locator:
    row = page.locator("table.desk-table tbody tr").filter(has_text=number)
    expect(row).to_have_count(1)
    return row


def press(page: Page, row: Locator, name: str) -> None:
    with page.expect_navigation():
        row.get_by_role("button", name=name, exact=True).click()
    expect(page.locator(".messages .message.error")).to_have_count(0)


def clerk_sends(clerk: Page, words: Words, shots: Screenshots, parcel: Parcel, number: str) -> str:
    """Pack (short when the parcel says so), book the post, print; the tracking number."""
    desk = f"/panel/coop/{parcel.cooperative}/shipments/"
    sign_in(clerk, words, login=parcel.clerk, password=DEMO_PASSWORD, next_path=desk)
    expect(clerk.get_by_role("heading", level=1)).to_have_text(words("Parcels"))
    row = parcel_row(clerk, number)
    product = DemoProduct.get(parcel.product)
    quantity = row.get_by_role("spinbutton", name=re.compile(re.escape(product.name)))
    expect(quantity).to_have_value(str(parcel.units))
    quantity.fill(str(parcel.packed))
    shots(clerk, f"{parcel.cooperative}-to-pack")
    press(clerk, row, words("Pack"))

    row = parcel_row(clerk, number)
    expect(row).to_have_attribute("data-status", "PACKED")
    if parcel.packed < parcel.units:
        expect(row).to_contain_text(words("Short"))
    slip = pdf_text(download_pdf(clerk, row.get_by_role("link", name=words("Packing slip"))))
    assert number in persian_digits(slip) or number in slip, slip[:400]
    # Empty tracking number: the desk books the parcel with the method's carrier.
    expect(row.get_by_role("textbox")).to_have_value("")
    press(clerk, row, words("Send"))

    row = parcel_row(clerk, number)
    expect(row).to_have_attribute("data-status", "SHIPPED")
    tracking = row.locator("a[dir='ltr']").inner_text().strip()
    assert POST_TRACKING.match(tracking), tracking
    download_pdf(clerk, row.get_by_role("link", name=words("Label")))
    shots(clerk, f"{parcel.cooperative}-shipped")
    return tracking


def wait_for_refund(page: Page, words: Words) -> None:
    """The refund goes to the gateway after the packing commits, in the worker."""
    expected = words("Partially refunded")

    def refunded() -> bool:
        if expected in page.locator("main").inner_text():
            return True
        page.reload()
        return False

    wait_until(refunded, what="the short unit's refund", pause=1)


def test_two_cooperatives_pack_book_the_post_and_the_buyer_confirms_receipt(
    new_page: NewPage, shop: Shop, screenshots: Screenshots, request
):
    words = Words("fa")
    buyer = new_page(java_script_enabled=False)
    sign_up(buyer, words, email=f"parcels-{uuid.uuid4().hex[:8]}@example.com", password=PASSWORD)
    for parcel in PARCELS:
        buyer.goto(f"/p/{parcel.product}/")
        textbox(buyer, words("Quantity")).fill(persian_digits(str(parcel.units)))
        add_to_cart(buyer, words)
    open_cart(buyer, words)
    enter_address(buyer, words, "fa", None)
    assert choose_deliveries(buyer, words) == 2
    place_with_sandbox(buyer, words)
    on_gateway(buyer, words, "Pay")
    expect(buyer.get_by_role("heading", level=1)).to_have_text(
        words("Thank you, your order is placed")
    )
    number = order_number(buyer, words)
    screenshots(buyer, "paid")

    post = shop.carriers["post"]
    tracking = {}
    for parcel in PARCELS:
        clerk = new_page() if parcel.phone else desk_page(new_page)
        tracking[parcel.product] = clerk_sends(clerk, words, screenshots, parcel, number)
    assert len(set(tracking.values())) == 2
    assert set(tracking.values()) <= set(post.state.parcels), "each parcel was booked with the post"

    # The post scans both parcels and tells the shop; a forged copy changes nothing.
    events = [post.scan(n, "ACCEPTED", location="مشهد") for n in tracking.values()]
    events += [post.scan(n, "DELIVERED", location="مشهد") for n in tracking.values()]
    assert post.push(shop.url, events, secret="not-the-secret").status_code == 403
    assert post.push(shop.url, events, signed=False).status_code == 401
    answer = post.push(shop.url, events)
    assert answer.status_code == 200, answer.text
    assert answer.json()["applied"] == len(events)
    again = post.push(shop.url, events)
    assert again.json()["applied"] == 0, "a replayed report has no second effect"

    buyer.goto("/account/orders/")
    with buyer.expect_navigation():
        buyer.get_by_role("link", name=re.compile(re.escape(number))).click()
    for parcel in PARCELS:
        card = buyer.locator("main section.card").filter(has_text=tracking[parcel.product])
        expect(card).to_have_count(1)
        expect(card.get_by_role("link", name=tracking[parcel.product])).to_be_visible()
        expect(card.locator("p strong").first).to_have_text(words("Delivered"))
        expect(card.locator(".parcel-events li")).not_to_have_count(0)
        if parcel.packed < parcel.units:
            expect(card).to_contain_text(
                words("Some items were not available and were left out; this is given back to you")
            )
    screenshots(buyer, "delivered")
    with buyer.expect_navigation():
        buyer.get_by_role("button", name=words("I received it"), exact=True).click()
    expect(buyer.get_by_role("status")).to_contain_text(words("Thank you: your order is complete."))
    expect(buyer.locator("main section.card").first.locator("p strong").first).to_have_text(
        words("Completed")
    )
    wait_for_refund(buyer, words)
    screenshots(buyer, "completed")
    report(f"{request.node.nodeid}: order {number} delivered by post {sorted(tracking.values())}")
