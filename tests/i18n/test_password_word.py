"""One word for the password in Persian: «رمز عبور», never also «گذرواژه»."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OTHER_WORD = "گذرواژه"


def test_the_translations_and_templates_use_one_word_for_the_password():
    catalogue = (ROOT / "locale" / "fa" / "LC_MESSAGES" / "django.po").read_text("utf-8")
    assert OTHER_WORD not in catalogue
    assert 'msgid "Password"\nmsgstr "رمز عبور"' in catalogue
    sources = [
        *ROOT.joinpath("storefront").rglob("*.html"),
        *ROOT.joinpath("marketplace").rglob("*.py"),
    ]
    assert [str(path) for path in sources if OTHER_WORD in path.read_text("utf-8")] == []
