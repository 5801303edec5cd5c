"""A buyer on a phone finds a product by a Persian search typed on an Arabic keyboard
layout and places a cash-on-delivery order: in Persian, in English (through the language
switcher), and with JavaScript turned off."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import expect

from tests.browser.artifacts import NewPage, Screenshots, report
from tests.browser.journeys import (
    DemoProduct,
    arabic_keyboard,
    buy,
    expect_language,
    switch_language,
)
from tests.browser.words import Words

ORDER_NUMBER = {"fa": re.compile("^[۰-۹]+$"), "en": re.compile("^[0-9]+$")}


@pytest.mark.parametrize(
    ("language", "javascript", "query", "slug"),
    [
        pytest.param("fa", True, "کشمش پیکامی", "barkuh-golden-pikami-raisins", id="persian"),
        pytest.param("en", True, "زعفران نگین ممتاز", "rezaei-negin-saffron", id="english"),
        pytest.param("fa", False, "زعفران نگین نیک", "niknam-negin-saffron", id="no-javascript"),
    ],
)
def test_buyer_orders_cash_on_delivery_from_a_phone(
    language: str,
    javascript: bool,
    query: str,
    slug: str,
    new_page: NewPage,
    screenshots: Screenshots,
    request,
):
    page = new_page(java_script_enabled=javascript)
    words = Words(language)
    product = DemoProduct.get(slug)

    page.goto("/")
    expect_language(page, "fa")
    screenshots(page, "home")
    if language == "en":
        switch_language(page, "en")
        # The whole interface follows, not only the page's direction.
        expect(page.get_by_role("searchbox", name="Search products", exact=True)).to_be_visible()
        expect(page.get_by_role("button", name="Search", exact=True)).to_be_visible()
        expect(page.get_by_role("link", name="Cart")).to_be_visible()
        screenshots(page, "home-in-english")

    number = buy(
        page,
        words,
        screenshots,
        language=language,
        typed_query=arabic_keyboard(query),
        product=product,
        email=f"buyer-{uuid.uuid4().hex[:8]}@example.com",
    )
    assert ORDER_NUMBER[language].match(number), number
    expect_language(page, language)
    report(f"{request.node.nodeid}: order number {number}")
