"""Every message the storefront's templates translate has a Persian translation in the
catalogue, so no English string leaks into a Persian page."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import polib
import pytest
from django.utils.translation.template import templatize

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = sorted((ROOT / "storefront" / "templates").rglob("*.html"))
CATALOGUE = ROOT / "locale" / "fa" / "LC_MESSAGES" / "django.po"
# templatize() turns each {% translate %} / {% blocktranslate %} into a gettext call, its
# strings in single quotes, or in double quotes when they hold an apostrophe.
CALL = re.compile(r"""\b(n?p?gettext)\(((?:u(?:'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")(?:, )?)+)""")


def messages(template: Path) -> list[tuple[str | None, str, str | None]]:
    """(context, msgid, msgid_plural) of each translated message in the template."""
    found = []
    for function, arguments in CALL.findall(templatize(template.read_text(encoding="utf-8"))):
        strings = list(ast.literal_eval(f"({arguments.rstrip(', ')},)"))
        context = strings.pop(0) if function.startswith(("pgettext", "npgettext")) else None
        plural = strings[1] if function.startswith(("ngettext", "npgettext")) else None
        found.append((context, strings[0], plural))
    return found


def test_the_extraction_sees_both_tags():
    shop_templates = [t for t in TEMPLATES if t.parent.name == "shop"]
    found = {msgid for t in shop_templates for _, msgid, _ in messages(t)}
    assert "Add to cart" in found  # {% translate %}
    assert "More from %(seller)s" in found  # {% blocktranslate with %}
    assert "%(shown)s product" in found  # {% blocktranslate count %}
    assert "The producer's answer" in found  # an apostrophe: in double quotes


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda t: str(t.relative_to(ROOT)))
def test_every_template_message_is_translated(template: Path):
    catalogue = {
        (entry.msgctxt, entry.msgid): entry
        for entry in polib.pofile(str(CATALOGUE))
        if not entry.obsolete and "fuzzy" not in entry.flags
    }
    missing = []
    for context, msgid, plural in messages(template):
        entry = catalogue.get((context, msgid))
        if entry is None:
            missing.append(msgid)
        elif plural is not None:
            if entry.msgid_plural != plural or not all(entry.msgstr_plural.get(i) for i in (0, 1)):
                missing.append(f"{msgid} (plural)")
        elif not entry.msgstr:
            missing.append(msgid)
    assert not missing, f"untranslated in {template.name}: {missing}"
