"""The one Persian text normaliser, used for stored search text and for queries,
phone numbers and postal codes alike."""

import re
import unicodedata

_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")
_LETTERS = str.maketrans(
    {
        "ي": "ی",  # Arabic yeh
        "ى": "ی",  # alef maksura
        "ئ": "ی",
        "ك": "ک",  # Arabic kaf
        "ة": "ه",  # teh marbuta
        "ۀ": "ه",
        "أ": "ا",
        "إ": "ا",
        "ٱ": "ا",
        "ؤ": "و",
        "ـ": None,  # tatweel
    }
)
# Arabic diacritics (harakat, tanween, shadda, sukun, superscript alef).
_DIACRITICS = re.compile("[\u064b-\u065f\u0670\u06d6-\u06ed]")
# ZWNJ, ZWJ, ZWSP, word joiner, soft hyphen, BOM and every Unicode space become one space.
_JOINERS = re.compile("[\u200b-\u200f\u2060\u00ad\ufeff]")
_SPACES = re.compile(r"\s+")
# Bidi embeddings, overrides and isolates: they reorder the text around them, so a name
# could show as something else (or turn the rest of a page or an email around).
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
# Characters that show nothing; a name of only these looks empty.
_INVISIBLE = "\u200b\u200c\u200d\u200e\u200f\u2060\u00ad\ufeff"
# Control characters and line or paragraph separators; CR/LF in a name would break the
# header lines of an email that names it.
_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_LINE_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_EDGES = re.compile(f"^[\\s{_INVISIBLE}]+|[\\s{_INVISIBLE}]+$")


def _visible_or_empty(value: str) -> str:
    return _EDGES.sub("", value)


def single_line(value: str) -> str:
    """A name as stored: no bidi controls, control characters or line breaks (each
    break a space), single spaces, no invisible characters at either end; "" when
    nothing visible is left."""
    value = _BIDI_CONTROLS.sub("", value)
    value = _CONTROLS.sub(" ", value)
    value = _SPACES.sub(" ", value)
    return _visible_or_empty(value)


def multi_line(value: str) -> str:
    """Free text as stored: line breaks kept (as LF), no bidi controls or other control
    characters; "" when nothing visible is left."""
    value = _BIDI_CONTROLS.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))
    value = _LINE_CONTROLS.sub("", value.replace("\t", " ")).replace("\u2028", "\n")
    return _visible_or_empty(value.replace("\u2029", "\n"))


def normalize_digits(value: str) -> str:
    """Persian and Arabic-Indic digits to ASCII."""
    return value.translate(_DIGITS)


def normalize_text(value: str) -> str:
    """Canonical form for search and comparison: Persian letters, no diacritics,
    ASCII digits, single spaces, lower-case Latin."""
    if not value:
        return ""
    value = unicodedata.normalize("NFKC", value)
    value = normalize_digits(value).translate(_LETTERS)
    value = _DIACRITICS.sub("", value)
    value = _JOINERS.sub(" ", value)
    return _SPACES.sub(" ", value).strip().lower()


def digits_only(value: str) -> str:
    """Keep only the digits (after normalising them): for postal codes and the like."""
    return "".join(ch for ch in normalize_digits(value) if ch.isascii() and ch.isdigit())


# Providers that deliver mail for any dots in the local part to the same mailbox.
_DOTLESS_DOMAINS = {"gmail.com": "gmail.com", "googlemail.com": "gmail.com"}


def email_for_limits(email: str | None) -> str:
    """One spelling for every address that reaches the same mailbox, for counting a
    buyer's uses of something limited (never for sending): lower case, no "+tag", and
    for Gmail no dots and one domain. "" when there is no address."""
    value = (email or "").strip().lower()
    local, at, domain = value.rpartition("@")
    if not at or not local:
        return value
    local = local.split("+", 1)[0]
    if domain in _DOTLESS_DOMAINS:
        local = local.replace(".", "")
        domain = _DOTLESS_DOMAINS[domain]
    return f"{local}@{domain}"


# Arabic-keyboard letters, not the joiners: a half-space is part of a Persian word as shown.
_SHOWN_LETTERS = str.maketrans({"ي": "ی", "ى": "ی", "ك": "ک"})


def has_bidi_controls(value: str) -> bool:
    return bool(_BIDI_CONTROLS.search(value or ""))


def normalize_shown_text(value: str) -> str:
    """Canonical form for text people write for others to read (a review): composed
    characters, Persian letters, no trailing spaces or runs of blank lines; half-spaces
    and line breaks kept."""
    if not value:
        return ""
    value = unicodedata.normalize("NFC", value).translate(_SHOWN_LETTERS)
    lines = [" ".join(line.split()) for line in value.replace("\r\n", "\n").split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
