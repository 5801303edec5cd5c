"""A buyer pays online through the built-in sandbox gateway: a two-cooperative order
paid on the gateway's page and confirmed; then a payment canceled on that page and paid
again from the return page. JavaScript off: redirect gateways need none.

An English buyer abroad shops in US dollars and pays by card through Stripe (localstripe
in the test stack): the order is confirmed when localstripe's signed webhook reaches the
shop, while the return page waits for it."""

from __future__ import annotations

import uuid

from playwright.sync_api import Page, expect

from tests.browser.artifacts import NewPage, Screenshots, report
from tests.browser.journeys import (
    DemoProduct,
    add_to_cart,
    choose_deliveries,
    enter_address,
    expect_no_field_errors,
    open_cart,
    submit_in_cart,
    switch_language,
    textbox,
)
from tests.browser.test_browser_producer import sign_up
from tests.browser.words import Words

# Two producers of two cooperatives: two parcels.
PRODUCTS = ("rezaei-negin-saffron", "hosseini-long-green-raisins")
SANDBOX = "Test payment (sandbox, no real money)"
PASSWORD = "Zafaran-1405-Torbat"


def fill_cart(page: Page, words: Words) -> None:
    sign_up(page, words, email=f"payer-{uuid.uuid4().hex[:8]}@example.com", password=PASSWORD)
    for slug in PRODUCTS:
        DemoProduct.get(slug)
        page.goto(f"/p/{slug}/")
        add_to_cart(page, words)
    open_cart(page, words)
    enter_address(page, words, "fa", None)
    assert choose_deliveries(page, words) == 2


def place_with_sandbox(page: Page, words: Words) -> None:
    page.get_by_role("radio", name=words(SANDBOX)).check()
    with page.expect_navigation():
        page.get_by_role("button", name=words("Place the order"), exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(words("Sandbox payment gateway"))


def on_gateway(page: Page, words: Words, button: str) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=words(button), exact=True).click()


def expect_paid(page: Page, words: Words) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text(
        words("Thank you, your order is placed")
    )
    label = words("Paid online: %(total)s").split("%(total)s")[0].strip()
    expect(page.locator("main").get_by_text(label)).to_be_visible()


def test_buyer_pays_a_two_cooperative_order_on_the_sandbox(
    new_page: NewPage, screenshots: Screenshots, request
):
    page = new_page(java_script_enabled=False)
    words = Words("fa")
    fill_cart(page, words)
    place_with_sandbox(page, words)
    screenshots(page, "sandbox-page")
    on_gateway(page, words, "Pay")
    expect_paid(page, words)
    screenshots(page, "paid")
    report(f"{request.node.nodeid}: paid through the sandbox")


def test_buyer_cancels_on_the_sandbox_then_pays_again(
    new_page: NewPage, screenshots: Screenshots, request
):
    page = new_page(java_script_enabled=False)
    words = Words("fa")
    fill_cart(page, words)
    place_with_sandbox(page, words)
    on_gateway(page, words, "Cancel")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        words("The payment was not completed")
    )
    screenshots(page, "canceled")
    page.get_by_role("radio", name=words(SANDBOX)).check()
    with page.expect_navigation():
        page.get_by_role("button", name=words("Try again"), exact=True).click()
    on_gateway(page, words, "Pay")
    expect_paid(page, words)
    report(f"{request.node.nodeid}: paid on the second attempt")


def enter_address_abroad(page: Page, words: Words) -> None:
    page.get_by_role("combobox", name=words("Country"), exact=True).select_option(label="Germany")
    textbox(page, words("First name")).fill("Anna")
    textbox(page, words("Last name")).fill("Berg")
    textbox(page, words("Mobile number")).fill("+4915112345678")
    textbox(page, words("State or region")).fill("Berlin")
    textbox(page, words("City")).fill("Berlin")
    textbox(page, words("Street address")).fill("Torstraße 1")
    textbox(page, words("Postal code")).fill("10119")
    submit_in_cart(page, page.get_by_role("button", name=words("Save the address"), exact=True))
    expect_no_field_errors(page)


def test_english_buyer_pays_a_dollar_order_by_card(
    new_page: NewPage, screenshots: Screenshots, request
):
    page = new_page()
    words = Words("en")
    page.goto("/")
    switch_language(page, "en")
    sign_up(page, words, email=f"abroad-{uuid.uuid4().hex[:8]}@example.com", password=PASSWORD)
    page.goto(f"/p/{PRODUCTS[0]}/")
    with page.expect_navigation():
        page.get_by_role("button", name=words("Prices in US dollars"), exact=True).click()
    expect(page.locator("main .price").first).to_contain_text("USD")
    add_to_cart(page, words)
    open_cart(page, words)
    enter_address_abroad(page, words)
    page.get_by_label("International post").check()
    submit_in_cart(page, page.get_by_role("button", name=words("Choose this delivery"), exact=True))
    page.get_by_role("radio", name=words("Card payment (Visa, Mastercard)")).check()
    screenshots(page, "dollar-cart")
    with page.expect_navigation():
        page.get_by_role("button", name=words("Place the order"), exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(words("Pay by card"))
    with page.expect_navigation():
        page.get_by_role("button", name=words("Pay"), exact=True).click()
    # The return page waits (reloading itself) until the webhook has confirmed the order.
    expect(page.get_by_role("heading", level=1)).to_have_text(
        words("Thank you, your order is placed"), timeout=60_000
    )
    label = words("Paid online: %(total)s").split("%(total)s")[0].strip()
    expect(page.locator("main").get_by_text(label)).to_contain_text("USD")
    screenshots(page, "paid-by-card")
    report(f"{request.node.nodeid}: paid in dollars through localstripe's webhook")
