"""Every SMS text fits in one or two SMS parts, in Persian and in English, however long
the names and reasons in it."""

import math

import pytest
from django.utils import translation

from marketplace.notifications.templates_text import TEMPLATES

# The GSM 03.38 basic alphabet; anything else makes the message UCS-2.
GSM = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    "ÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)


def sms_parts(text: str) -> int:
    if set(text) <= GSM:
        return 1 if len(text) <= 160 else math.ceil(len(text) / 153)
    return 1 if len(text) <= 70 else math.ceil(len(text) / 67)


def test_part_counting():
    assert sms_parts("a" * 160) == 1 and sms_parts("a" * 161) == 2
    assert sms_parts("س" * 70) == 1 and sms_parts("س" * 71) == 2 and sms_parts("س" * 135) == 3


@pytest.mark.parametrize("language", ["fa", "en"])
@pytest.mark.parametrize("name", sorted(TEMPLATES))
def test_every_sms_fits_in_two_parts(name, language):
    template = TEMPLATES[name]
    with translation.override(language):
        text = str(template.sms) % template.sample
        subject = str(template.subject) % template.sample
        body = str(template.body) % template.sample
    assert sms_parts(text) <= 2, (len(text), text)
    assert subject and body and "\n" not in subject


def test_persian_texts_are_translated():
    untranslated = []
    for name, template in TEMPLATES.items():
        for part in ("subject", "sms", "body"):
            with translation.override("fa"):
                persian = str(getattr(template, part))
            with translation.override("en"):
                english = str(getattr(template, part))
            if persian == english:
                untranslated.append((name, part))
    assert untranslated == []


LONG = {
    "seller": "زعفران " * 28,  # a shop's name may have 200 characters
    "fulfiller": "تعاونی " * 28,
    "cooperative": "Cooperative " * 16,
    "reason": "عکس‌ها کافی نیست و " * 100,  # a reason up to 2000
    "decision": "پذیرفته شد " * 10,
}


@pytest.mark.parametrize("language", ["fa", "en"])
@pytest.mark.parametrize("name", sorted(TEMPLATES))
def test_long_names_and_reasons_are_cut_to_two_parts_and_nothing_else(name, language):
    from marketplace.notifications.models import Notification
    from marketplace.notifications.services import render

    template = TEMPLATES[name]
    context = {key: LONG.get(key, value) for key, value in template.sample.items()}
    row = Notification(template=name, channel="SMS", language=language, context=context)
    text = render(row)[1]
    assert sms_parts(text) <= 2, (len(text), text)
    for key, value in context.items():
        if key not in LONG:
            assert value in text  # numbers, amounts, codes and links stay whole
    with translation.override(language):
        uncut = str(template.sms) % context
    if sms_parts(uncut) > 2:
        assert "…" in text or "..." in text
    else:
        assert text == uncut


def test_a_short_sms_is_not_touched():
    from marketplace.notifications.templates_text import fit_sms

    assert fit_sms("Bazarcheh: %(seller)s is approved.", {"seller": "Honey"}) == (
        "Bazarcheh: Honey is approved."
    )
    cut = fit_sms("Bazarcheh: %(seller)s is approved.", {"seller": "H" * 400})
    assert len(cut) == 306 and cut.endswith("... is approved.")
