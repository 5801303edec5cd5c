"""Statement downloads as short-lived signed links: the API hands a reader a link for a
statement it may read; the link names the reader, the payee, the period and the format,
and the download checks the reader's right again."""

from __future__ import annotations

from datetime import date

from django.core import signing
from django.urls import reverse

SALT = "ledger.statement"
MAX_AGE_SECONDS = 600
FORMATS = ("csv", "pdf")


def statement_link(*, user, kind: str, pk: int, start: date, end: date, fmt: str, currency: str):
    token = signing.dumps(
        {
            "u": user.pk,
            "k": kind,
            "id": pk,
            "s": start.isoformat(),
            "e": end.isoformat(),
            "f": fmt,
            "c": currency,
        },
        salt=SALT,
        compress=True,
    )
    return reverse("ledger_statement", args=[token])


def read_link(token: str) -> dict | None:
    try:
        data = signing.loads(token, salt=SALT, max_age=MAX_AGE_SECONDS)
    except signing.BadSignature:
        return None
    try:
        data["s"], data["e"] = date.fromisoformat(data["s"]), date.fromisoformat(data["e"])
    except (KeyError, TypeError, ValueError):
        return None
    return data if data.get("f") in FORMATS and data.get("k") in ("seller", "cooperative") else None
