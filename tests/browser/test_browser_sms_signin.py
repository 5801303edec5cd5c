"""A producer with no email signs in on a phone with a code by SMS (read from the
development SMS outbox, as a new user of `make run` would), applies, is approved, adds a
product, and later adds a password on the account page."""

from __future__ import annotations

import re
import time
import uuid
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.browser.artifacts import NewPage, Screenshots
from tests.browser.journeys import expect_no_field_errors, password_box, persian_digits, textbox
from tests.browser.server import Shop
from tests.browser.test_browser_producer import COOPERATIVE, DEMO_PASSWORD, STAFF_EMAIL, sign_in
from tests.browser.words import Words

CODE = re.compile(r"\b(\d{6})\b")


def submit(page: Page, button: str) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=button, exact=True).click()


def code_from_outbox(shop: Shop, phone: str, timeout: float = 240) -> str:
    """The newest code the worker wrote for `phone` to the development SMS outbox (it may
    wait behind the demo catalogue's thumbnails in the one queue)."""
    folder = Path(shop.workdir) / "data" / "outbox" / "sms"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        files = sorted(folder.glob(f"*-{phone.lstrip('+')}-*.txt")) if folder.exists() else []
        if files:
            found = CODE.search(files[-1].read_text(encoding="utf-8"))
            if found:
                return found.group(1)
        time.sleep(0.5)
    raise AssertionError(f"No SMS for {phone} in {folder}")


def test_a_producer_signs_in_by_sms_code_and_adds_a_product(
    new_page: NewPage, shop: Shop, screenshots: Screenshots
):
    words = Words("fa")
    token = uuid.uuid4().int % 10_000_000
    phone = f"+98915{token:07d}"
    local = "0" + phone[3:]
    producer_name = f"کشک محلی {persian_digits(str(token))}"
    product_name = f"کشک دست‌ساز کاریزک {persian_digits(str(token))}"

    producer = new_page()
    producer.goto("/panel/apply/")
    assert "/account/signin/" in producer.url
    expect(producer.get_by_role("heading", level=1)).to_have_text(
        words("Sign in with a code by SMS")
    )
    textbox(producer, words("Mobile number")).fill(persian_digits(local))
    screenshots(producer, "phone")
    submit(producer, words("Send me a code"))
    expect(producer.get_by_role("heading", level=1)).to_have_text(words("Enter your code"))
    code = code_from_outbox(shop, phone)
    textbox(producer, words("Code")).fill(persian_digits(code))
    screenshots(producer, "code")
    submit(producer, words("Sign in"))
    assert "/panel/apply/" in producer.url, producer.url

    textbox(producer, words("Your name or your workshop's name")).fill(producer_name)
    textbox(producer, words("Your story: what you make and how")).fill(
        "کشک را از دوغ گوسفندان خودمان در خانه می‌سازیم."
    )
    textbox(producer, words("Mobile number")).fill(persian_digits(local))
    producer.get_by_role("combobox", name=words("Cooperative"), exact=True).select_option(
        label=COOPERATIVE
    )
    submit(producer, words("Send my application"))
    expect_no_field_errors(producer)

    staff = new_page(
        viewport={"width": 1280, "height": 900},
        is_mobile=False,
        has_touch=False,
        device_scale_factor=1,
    )
    sign_in(staff, words, login=STAFF_EMAIL, password=DEMO_PASSWORD, next_path="/panel/")
    with staff.expect_navigation():
        staff.get_by_role("link", name=words("Applicants")).first.click()
    applicant = staff.locator("li").filter(has_text=producer_name)
    with staff.expect_navigation():
        applicant.get_by_role("button", name=words("Approve")).click()

    producer.goto("/panel/")
    with producer.expect_navigation():
        producer.get_by_role("link", name=words("Add a product")).first.click()
    textbox(producer, words("Product name")).fill(product_name)
    textbox(producer, words("Description")).fill("کشک ساییده، بسته‌ی ۲۵۰ گرمی.")
    category = producer.get_by_role("combobox", name=words("Category"), exact=True)
    option = category.locator("option").filter(has_text="خشکبار").first
    category.select_option(value=option.get_attribute("value"))
    textbox(producer, words("Price in toman")).fill("۱۸۰٬۰۰۰")
    textbox(producer, words("How many you have")).fill("۱۵")
    textbox(producer, words("Unit (for example: 1 kg bag)")).fill("بسته‌ی ۲۵۰ گرمی")
    textbox(producer, words("Weight of one unit in kilograms")).fill("۰٫۲۵")
    submit(producer, words("Save"))
    expect_no_field_errors(producer)
    producer.goto("/panel/products/")
    expect(producer.locator("li").filter(has_text=product_name)).to_have_count(1)
    screenshots(producer, "product-added")

    # Later: a password, so the producer can also sign in without a code.
    producer.goto("/account/")
    password = f"Kashk-{token}-1405"
    password_box(producer, words("Password")).fill(password)
    submit(producer, words("Save the password"))
    expect(producer.get_by_role("heading", name=words("Add a password"))).to_have_count(0)
    again = new_page()
    sign_in(again, words, login=local, password=password, next_path="/panel/products/")
    expect(again.locator("li").filter(has_text=product_name)).to_have_count(1)
