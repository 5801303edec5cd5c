"""Persian pages echo numbers typed into forms with Persian digits (whole numbers
grouped), and error messages carry Persian digits; free text keeps what was typed."""

from __future__ import annotations

import re

import pytest
from django.utils import translation

from marketplace.accounts.tokens import create_access_token
from marketplace.api.inprocess import execute
from marketplace.catalog.models import Category, Product
from storefront.digits import persian_numerals
from storefront.templatetags.bazar import number_echo, numerals
from tests.storefront.panel_support import (
    field_errors,
    media_root,  # noqa: F401  (autouse fixture)
    signed_in_client,
)
from tests.support import gid

LATIN_DIGIT = re.compile(r"[0-9]")


def test_numerals_change_digits_and_leave_punctuation():
    assert persian_numerals("At most 1,500.5 items. Done.") == "At most ۱٬۵۰۰٫۵ items. Done."
    assert persian_numerals("+989121234567") == "+۹۸۹۱۲۱۲۳۴۵۶۷"
    with translation.override("fa"):
        assert numerals("دقیقاً 10 رقم.") == "دقیقاً ۱۰ رقم."
        assert number_echo("1250000") == "۱٬۲۵۰٬۰۰۰"
        assert number_echo("١٢٥٠") == "۱٬۲۵۰"
        assert number_echo("0.25") == "۰٫۲۵"
        assert number_echo("ده هزار") == "ده هزار"
    with translation.override("en"):
        assert number_echo("1250000") == "1250000"
        assert numerals("10 digits") == "10 digits"


@pytest.mark.django_db
def test_a_persian_product_form_echoes_numbers_in_persian_digits(seller_a):
    saffron = Category.objects.get(slug="saffron")
    browser = signed_in_client(seller_a.owner, "fa")
    response = browser.post(
        "/panel/products/new/",
        {
            "name": "ز" * 300,
            "category": gid("Category", saffron.pk),
            "price": "1250000",
            "stock": "١٢",
            "weight": "0.5",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'value="۱٬۲۵۰٬۰۰۰"' in page
    assert 'value="۱۲"' in page
    assert 'value="۰٫۵"' in page
    [error] = field_errors(page, "name")
    assert re.search("[۰-۹]", error) and not LATIN_DIGIT.search(error), error
    assert not Product.objects.exists()


@pytest.mark.django_db
def test_a_persian_error_message_has_persian_digits(buyer):
    body = execute(
        """mutation { accountAddressCreate(input: {firstName: "سارا", lastName: "احمدی",
        phone: "09121234567", countryArea: "خراسان رضوی", city: "مشهد",
        streetAddress1: "پلاک ۱۲", postalCode: "123"}) { errors { field message } } }""",
        {},
        language="fa",
        token=create_access_token(buyer),
    )
    [error] = body["data"]["accountAddressCreate"]["errors"]
    assert "۱۰" in error["message"] and not LATIN_DIGIT.search(error["message"]), error
