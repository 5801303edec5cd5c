"""Checks on the Persian (fa) translation catalogue, locale/fa/LC_MESSAGES/django.po.

Every entry must be translated (not fuzzy, no empty msgstr, every plural form filled), keep the
same interpolation placeholders as its msgid, and read as Persian (Persian letters, with the
Persian ی and ک rather than the Arabic ي and ك).
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[2]
PO_PATH = ROOT / "locale" / "fa" / "LC_MESSAGES" / "django.po"

# printf-style placeholders as used by Django: %(name)s, %(limit)d, %s, %d, %.2f ...
# ("%%" is a literal percent sign and is removed before matching).
PLACEHOLDER = re.compile(r"%(?:\([^)]+\))?[-#0 +]*(?:\d+|\*)?(?:\.\d+)?[sdifeEgGxXor]")
PERSIAN_LETTER = re.compile("[آاأإءئؤبپتثجچحخدذرزژسشصضطظعغفقکگلمنوهیۀة]")
ARABIC_ONLY_LETTERS = {"\u064a": "ي (Arabic yeh)", "\u0643": "ك (Arabic kaf)"}

CATALOGUE = polib.pofile(str(PO_PATH))
ENTRIES = [entry for entry in CATALOGUE if not entry.obsolete]


def entry_id(entry: polib.POEntry) -> str:
    text = entry.msgid if not entry.msgctxt else f"{entry.msgctxt}|{entry.msgid}"
    return text[:60]


def placeholders(text: str) -> Counter[str]:
    return Counter(PLACEHOLDER.findall(text.replace("%%", "")))


def translations(entry: polib.POEntry) -> list[tuple[str, str]]:
    """(source, translation) pairs: msgstr[0] follows msgid, the other forms msgid_plural."""
    if not entry.msgid_plural:
        return [(entry.msgid, entry.msgstr)]
    return [
        (entry.msgid if index == 0 else entry.msgid_plural, text)
        for index, text in sorted(entry.msgstr_plural.items())
    ]


entries = pytest.mark.parametrize("entry", ENTRIES, ids=entry_id)


def test_header() -> None:
    assert not CATALOGUE.metadata_is_fuzzy, "the header must not be marked fuzzy"
    assert CATALOGUE.metadata.get("Language") == "fa"
    assert "charset=UTF-8" in CATALOGUE.metadata.get("Content-Type", "")
    plural_forms = CATALOGUE.metadata.get("Plural-Forms", "").replace(" ", "")
    assert plural_forms.startswith("nplurals=2;plural=(n>1);")


def test_catalogue_is_not_empty() -> None:
    assert len(ENTRIES) > 0
    assert CATALOGUE.percent_translated() == 100


@entries
def test_entry_is_translated(entry: polib.POEntry) -> None:
    assert not entry.fuzzy, "entry is marked fuzzy"
    if entry.msgid_plural:
        assert sorted(entry.msgstr_plural) == [0, 1], "Persian has exactly two plural forms"
        for index, text in entry.msgstr_plural.items():
            assert text.strip(), f"msgstr[{index}] is empty"
    else:
        assert entry.msgstr.strip(), "msgstr is empty"


@entries
def test_placeholders_match(entry: polib.POEntry) -> None:
    for source, text in translations(entry):
        assert placeholders(text) == placeholders(source), (
            f"placeholders differ: {source!r} -> {text!r}"
        )


@entries
def test_newlines_match(entry: polib.POEntry) -> None:
    for source, text in translations(entry):
        assert source.startswith("\n") == text.startswith("\n")
        assert source.endswith("\n") == text.endswith("\n")


@entries
def test_translation_is_persian(entry: polib.POEntry) -> None:
    for source, text in translations(entry):
        if not source:
            continue
        assert PERSIAN_LETTER.search(text), f"no Persian letter in {text!r}"
        for char, name in ARABIC_ONLY_LETTERS.items():
            assert char not in text, f"use the Persian letter instead of {name} in {text!r}"
