"""The web font's @font-face rules, inlined in the page head (one request fewer than a
stylesheet). The font files are built from an npm package at install time; where they
were not built (an image made without Node), pages fall back to system fonts instead of
failing on a static file the manifest does not know."""

from __future__ import annotations

from functools import cache

from django import template
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.templatetags.static import static
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

register = template.Library()

FONT_FAMILY = "Vazirmatn"
# (static path, CSS font-weight)
FONT_FILES = (
    ("storefront/fonts/vazirmatn-regular.woff2", 400),
    ("storefront/fonts/vazirmatn-bold.woff2", 700),
)


@cache
def _available(path: str) -> bool:
    if finders.find(path):
        return True
    try:
        return staticfiles_storage.exists(path)
    except (OSError, ValueError):
        return False


def font_urls() -> list[tuple[str, int]]:
    """The built font files' URLs (hashed once collected) and weights."""
    return [(static(path), weight) for path, weight in FONT_FILES if _available(path)]


@register.simple_tag
def font_faces() -> SafeString:
    fonts = font_urls()
    if not fonts:
        return SafeString("")
    rules = format_html_join(
        "",
        "@font-face{{font-family:{};src:url({}) format('woff2');font-weight:{};font-display:swap}}",
        ((FONT_FAMILY, url, weight) for url, weight in fonts),
    )
    preload = format_html(
        '<link rel="preload" href="{}" as="font" type="font/woff2" crossorigin>', fonts[0][0]
    )
    return format_html("{}<style>{}</style>", preload, rules)
