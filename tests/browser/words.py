"""The interface's words in the language a test browses in: English as written in the
templates, Persian from the project's catalogue, so a test finds a button by the text
a buyer reads (and fails when a Persian page would show an untranslated one)."""

from __future__ import annotations

from functools import cache

import polib

from tests.browser.server import ROOT

CATALOGUE = ROOT / "locale" / "fa" / "LC_MESSAGES" / "django.po"


@cache
def _persian() -> dict[str, str]:
    return {
        entry.msgid: entry.msgstr
        for entry in polib.pofile(str(CATALOGUE))
        if entry.msgstr and not entry.obsolete and "fuzzy" not in entry.flags
    }


class Words:
    def __init__(self, language: str) -> None:
        self.language = language

    def __call__(self, text: str) -> str:
        if self.language == "en":
            return text
        translated = _persian().get(text)
        assert translated, f"{text!r} has no Persian translation in {CATALOGUE.name}"
        return translated
