"""The storefront's one digits helper, and the places that read and show numbers with it."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.http import QueryDict
from django.utils import translation

from storefront.digits import latin_digits, persian_digits, plain_number, whole_number
from storefront.panel import forms
from storefront.shop.listing import parse_toman
from storefront.templatetags.bazar import digits, toman


def test_persian_and_arabic_digits_read_as_latin():
    assert latin_digits("۰۱۲۳۴۵۶۷۸۹") == "0123456789"
    assert latin_digits("٠١٢٣٤٥٦٧٨٩") == "0123456789"
    assert latin_digits("۱۲٫۵ kg") == "12.5 kg"
    assert latin_digits(None) == ""


def test_latin_digits_and_separators_shown_in_persian():
    assert persian_digits("1,250,000.5") == "۱٬۲۵۰٬۰۰۰٫۵"
    assert persian_digits("abc") == "abc"
    assert latin_digits(persian_digits("9876543210")) == "9876543210"


@pytest.mark.parametrize(
    "typed",
    [
        "1250000",
        "۱٬۲۵۰٬۰۰۰",
        "١,٢٥٠,٠٠٠",
        "1 250 000",
        "1\u00a0250\u00a0000",
        "۱\u200c۲۵۰۰۰۰",
        "1_250'000",
        "١،٢٥٠،٠٠٠",
    ],
)
def test_a_whole_number_typed_any_way(typed):
    assert plain_number(typed) == "1250000"
    assert whole_number(typed) == 1_250_000


@pytest.mark.parametrize(
    "typed", ["", None, "-5", "+5", "1.5", "۱٫۵", "12a", "²", "١٢٣" + "٤" * 5000]
)
def test_anything_else_is_not_a_whole_number(typed):
    assert whole_number(typed) is None


def test_listing_prices_and_panel_forms_read_numbers_alike():
    assert parse_toman("۱۲٬۰۰۰") == Decimal(12_000)
    assert parse_toman("١٢.٥") is None
    assert parse_toman("9" * 13) is None

    form = forms.Form()
    data = QueryDict(mutable=True)
    data.update({"price": "۱۲,۰۰۰", "stock": "١٬٢٠٠", "weight": "۰٫۲۵"})
    assert forms.price_in_rial(form, data) == 120_000
    assert forms.quantity(form, data) == 1_200
    assert forms.weight_kg(form, data) == 0.25
    assert form.valid

    data.update({"stock": "²"})
    assert forms.quantity(form, data) is None
    assert form.errors.keys() == {"stock"}


def test_numbers_are_shown_with_persian_digits_only_in_persian():
    with translation.override("fa"):
        assert digits(1403) == "۱۴۰۳"
        assert toman(12_500_000) == "۱٬۲۵۰٬۰۰۰ تومان"
    with translation.override("en"):
        assert digits(1403) == "1403"
        assert toman(12_500_000) == "1,250,000 toman"
