"""The bulk transfer file Iranian banks accept for Paya (inter-bank ACH) uploads: one row
per transfer, Sheba, holder, amount in rial (digits only) and a reference the bank echoes
on the statement."""

from __future__ import annotations

import csv
import io

from marketplace.ledger.transfers import BankTransfer

HEADER = ["sheba", "holder", "amount_rial", "reference"]


def _cell(value: str) -> str:
    # Spreadsheets run cells starting like a formula; a bank portal may open the file in one.
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


def write(transfers: list[BankTransfer]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    for t in transfers:
        writer.writerow([t.iban, _cell(t.holder), f"{t.amount:.0f}", t.reference])
    return out.getvalue()
