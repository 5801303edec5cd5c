"""Statements as files: CSV (for spreadsheets and the cooperative's accountant) and a
Persian, right-to-left PDF set in Vazirmatn (WeasyPrint)."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from marketplace.channels.money import quantize
from marketplace.core.pdf import html_to_pdf
from marketplace.ledger.statements import Statement

COLUMNS = ("sold", "cooperative_fee", "commission", "voucher", "refunds", "net")


def _headers() -> list[str]:
    return [
        _("Producer or order"),
        _("Sold"),
        _("Cooperative fee"),
        _("Platform commission"),
        _("Vouchers"),
        _("Refunds"),
        _("Net"),
    ]


def _amount(value: Decimal, currency: str) -> str:
    return f"{quantize(value, currency):f}"


def statement_csv(statement: Statement) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([statement.title, str(statement.start), str(statement.end), statement.currency])
    writer.writerow(_headers())
    for row in statement.rows:
        label = "'" + row.label if row.label[:1] in ("=", "+", "-", "@") else row.label
        writer.writerow([label, *(_amount(getattr(row, c), statement.currency) for c in COLUMNS)])
    writer.writerow(
        [_("Total"), *(_amount(statement.total(c), statement.currency) for c in COLUMNS)]
    )
    if statement.cash_held:
        writer.writerow(
            [_("Cash held by the cooperative"), _amount(statement.cash_held, statement.currency)]
        )
    return out.getvalue()


def font_path() -> Path:
    return Path(settings.LEDGER_PDF_FONT)


def statement_html(statement: Statement) -> str:
    return render_to_string(
        "ledger/statement.html",
        {
            "statement": statement,
            "headers": _headers(),
            "rows": [
                (row.label, [_amount(getattr(row, c), statement.currency) for c in COLUMNS])
                for row in statement.rows
            ],
            "totals": [_amount(statement.total(c), statement.currency) for c in COLUMNS],
            "font_url": font_path().resolve().as_uri(),
        },
    )


def statement_pdf(statement: Statement) -> bytes:
    return html_to_pdf(statement_html(statement))
