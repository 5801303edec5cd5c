"""Names are one visible line: bidi controls and control characters never reach the
database, CR/LF become spaces, and a name of only invisible characters is empty."""

from __future__ import annotations

import pytest

from marketplace.core.errors import DomainError
from marketplace.core.normalize import multi_line, single_line
from marketplace.core.validators import clean_text
from tests.support import codes


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        ("زعفران\u202eکاظمی", "زعفرانکاظمی"),
        ("\u2066Kazemi\u2069 Saffron", "Kazemi Saffron"),
        ("Kazemi\r\nBcc: all@example.com", "Kazemi Bcc: all@example.com"),
        ("Kazemi\nSaffron\u2028Co", "Kazemi Saffron Co"),
        ("  \u200bزعفران  کاظمی\ufeff ", "زعفران کاظمی"),
        ("نان\u200cسنگک", "نان\u200cسنگک"),
        ("\u200b\u200c\u200d\u2060\ufeff", ""),
        ("\u200b \u202e \u200b", ""),
        ("a\x07b", "a b"),
    ],
)
def test_a_name_is_one_visible_line(raw, stored):
    assert single_line(raw) == stored


def test_free_text_keeps_its_lines():
    assert multi_line("یک\r\nدو\rسه\u202e\x07") == "یک\nدو\nسه"
    assert multi_line("\u200b\n\u200c") == ""


def test_a_name_of_invisible_characters_is_required():
    with pytest.raises(DomainError) as exc:
        clean_text("\u200b\u200c\u200d", field="name", max_length=50, required=True)
    assert codes(exc) == [("name", "REQUIRED")]
