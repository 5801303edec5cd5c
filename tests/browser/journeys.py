"""Steps a person takes in the shop, shared by the browser tests. Fields and buttons are
found by their labels and roles, as a screen reader or a person would find them."""

from __future__ import annotations

import re
from dataclasses import dataclass

from playwright.sync_api import Locator, Page, expect

from marketplace.demo.catalog import load_catalog_data
from tests.browser.artifacts import Screenshots
from tests.browser.words import Words

ARABIC_KEYBOARD = str.maketrans("یک", "يك")
TO_PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
PROVINCE = {"fa": "خراسان رضوی", "en": "Razavi Khorasan"}


def arabic_keyboard(text: str) -> str:
    """What a Persian word looks like typed on an Arabic keyboard layout (ي and ك)."""
    typed = text.translate(ARABIC_KEYBOARD)
    assert typed != text, f"{text!r} has no letter that an Arabic keyboard types differently"
    return typed


def persian_digits(text: str) -> str:
    return text.translate(TO_PERSIAN_DIGITS)


@dataclass(frozen=True)
class DemoProduct:
    slug: str
    name: str
    name_en: str

    def name_in(self, language: str) -> str:
        return self.name_en if language == "en" else self.name

    @classmethod
    def get(cls, slug: str) -> DemoProduct:
        for item in load_catalog_data()["products"]:
            if item["slug"] == slug:
                return cls(slug=slug, name=item["name"], name_en=item["name_en"])
        raise LookupError(slug)


def expect_language(page: Page, language: str) -> None:
    html = page.locator("html")
    expect(html).to_have_attribute("lang", language)
    expect(html).to_have_attribute("dir", "ltr" if language == "en" else "rtl")


def switch_language(page: Page, to: str) -> None:
    """Press the header's language switcher (a form posting to Django's set_language),
    which shows the language's own name."""
    label = {"en": "English", "fa": "فارسی"}[to]
    switcher = page.locator("form[action$='/i18n/setlang/']").get_by_role("button")
    expect(switcher).to_have_text(label)
    path = page.url
    with page.expect_navigation():
        switcher.click()
    expect_language(page, to)
    assert page.url == path, "the switcher keeps the page"


def search(page: Page, words: Words, typed: str) -> None:
    box = page.get_by_role("searchbox", name=words("Search products"), exact=True)
    box.click()
    box.press_sequentially(typed)
    with page.expect_navigation():
        box.press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?"))


def open_product(page: Page, name: str) -> None:
    link = page.locator("main").get_by_role("link", name=name).first
    expect(link).to_be_visible()
    with page.expect_navigation():
        link.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(name)


def add_to_cart(page: Page, words: Words) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=words("Add to cart"), exact=True).click()
    expect(page.get_by_role("status")).to_contain_text(words("Added to your cart."))


def open_cart(page: Page, words: Words) -> None:
    with page.expect_navigation():
        page.get_by_role("navigation").get_by_role("link", name=words("Cart")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(words("Your cart"))


def textbox(page: Page, label: str) -> Locator:
    """The text field named `label` exactly (a required field's marker is not read out)."""
    return page.get_by_role("textbox", name=label, exact=True)


def submit_in_cart(page: Page, button: Locator) -> None:
    """Press a cart form's button: with JavaScript the page's sections are replaced in
    place (no navigation; the checkout counts its updates), without it the page reloads."""
    checkout = page.locator("#checkout")
    if checkout.count() and checkout.get_attribute("data-live") is not None:
        done = int(checkout.get_attribute("data-updates") or 0)
        button.click()
        expect(checkout).to_have_attribute("data-updates", str(done + 1))
        expect(checkout).not_to_have_attribute("aria-busy", "true")
    else:
        with page.expect_navigation():
            button.click()


def expect_no_field_errors(page: Page) -> None:
    """The form was accepted: no field is marked invalid and no error list is shown."""
    expect(page.locator("main [aria-invalid='true']")).to_have_count(0)
    expect(page.locator("main .errorlist")).to_have_count(0)


def password_box(page: Page, label: str) -> Locator:
    """A password field by its label (password fields have no ARIA role to find them by)."""
    return page.get_by_label(re.compile(rf"^{re.escape(label)}(\s*\*)?$"))


def enter_address(page: Page, words: Words, language: str, email: str | None) -> None:
    """An Iranian address typed as people type it: Persian digits in the mobile number
    and the postal code; an anonymous buyer gives the email with it."""
    if email is not None:
        textbox(page, words("Your email")).fill(email)
    textbox(page, words("First name")).fill("سارا")
    textbox(page, words("Last name")).fill("احمدی")
    textbox(page, words("Mobile number")).fill(persian_digits("09151234567"))
    page.get_by_role("combobox", name=words("Province"), exact=True).select_option(
        label=PROVINCE[language]
    )
    textbox(page, words("City")).fill("مشهد")
    textbox(page, words("Street address")).fill("بلوار وکیل‌آباد، کوچه‌ی گلستان ۱۲، پلاک ۷")
    textbox(page, words("Postal code")).fill(persian_digits("9177948974"))
    submit_in_cart(page, page.get_by_role("button", name=words("Save the address"), exact=True))
    expect_no_field_errors(page)


# The platform's express post: offered to every parcel, beside the cooperatives' own van
# and pickup methods (the demo gives each cooperative both).
EXPRESS_POST = re.compile("پست پیشتاز|Express post")


def choose_deliveries(page: Page, words: Words) -> int:
    """Choose the express post for each parcel; the number of parcels."""
    choose = page.get_by_role("button", name=words("Choose this delivery"), exact=True)
    expect(choose.first).to_be_visible()
    parcels = 0
    while choose.count():
        form = page.locator("form").filter(has=choose.first).first
        form.get_by_label(EXPRESS_POST).check()
        submit_in_cart(page, choose.first)
        parcels += 1
    return parcels


def place_order(page: Page, words: Words) -> str:
    """Place the cash-on-delivery order; the order number the confirmation shows."""
    with page.expect_navigation():
        page.get_by_role("button", name=words("Place the order"), exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        words("Thank you, your order is placed")
    )
    return order_number(page, words)


def order_number(page: Page, words: Words) -> str:
    """The order number the confirmation page shows, in the digits it shows."""
    label = words("Order number: <strong>%(number)s</strong>").split("<strong>")[0].strip()
    line = page.locator("main p").filter(has_text=label)
    return line.locator("strong").inner_text().strip()


def buy(
    page: Page,
    words: Words,
    shots: Screenshots,
    *,
    language: str,
    typed_query: str,
    product: DemoProduct,
    email: str,
) -> str:
    """Search, add to cart, address, delivery, cash-on-delivery order; the order number."""
    search(page, words, typed_query)
    shots(page, "search-results")
    open_product(page, product.name_in(language))
    shots(page, "product")
    add_to_cart(page, words)
    shots(page, "added")
    open_cart(page, words)
    shots(page, "cart")
    enter_address(page, words, language, email)
    shots(page, "address-saved")
    assert choose_deliveries(page, words) >= 1
    shots(page, "delivery-chosen")
    number = place_order(page, words)
    shots(page, "order-placed")
    return number
