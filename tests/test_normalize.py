import pytest

from marketplace.core.normalize import digits_only, normalize_digits, normalize_text


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
