import pytest

from marketplace.core.normalize import (
    digits_only,
    has_bidi_controls,
    normalize_digits,
    normalize_shown_text,
    normalize_text,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("زعفران كشمش", "زعفران کشمش"),  # Arabic kaf
        ("پسته علي", "پسته علی"),  # Arabic yeh
        ("نان\u200cهای محلی", "نان های محلی"),  # ZWNJ
        ("نان‌ها", "نان ها"),
        ("زَعفَرانِ", "زعفران"),  # diacritics
        ("کـشـمـش", "کشمش"),  # tatweel
        ("۱۴۰۵ و ١٤٠٥", "1405 و 1405"),
        ("  Saffron\u00a0 SARGOL ", "saffron sargol"),
        ("مدرسة", "مدرسه"),  # teh marbuta
        ("أصل إيران", "اصل ایران"),
        ("", ""),
    ],
)
def test_normalize_text(raw, expected):
    assert normalize_text(raw) == expected


def test_digits():
    assert normalize_digits("۰۹۱۵-١٢٣") == "0915-123"
    assert digits_only("۹۱۷۷۶-۵۴۳۲۱") == "9177654321"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  عسل علي   خوب بود  ", "عسل علی خوب بود"),  # Arabic yeh, runs of spaces
        ("مي‌خرم كه", "می‌خرم که"),  # the half-space stays
        ("خط یک\r\n\r\n\r\n\r\nخط دو", "خط یک\n\nخط دو"),
        ("Good HONEY ۱۰/۱۰", "Good HONEY ۱۰/۱۰"),  # shown as written: case and digits
        ("", ""),
    ],
)
def test_normalize_shown_text(raw, expected):
    assert normalize_shown_text(raw) == expected


@pytest.mark.parametrize(
    "char", ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2069"]
)
def test_direction_overrides_and_isolates_are_found(char):
    assert has_bidi_controls(f"خوب{char}بود")


def test_marks_and_joiners_are_not_direction_overrides():
    assert not has_bidi_controls("می\u200cخرم \u200f\u200e")
