"""What the payout batch needs from the outside: a bank transfer file and a money-transfer
provider. The adapters live in integrations/payouts/ (Paya CSV, Stripe Connect)."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from django.conf import settings


@dataclass(frozen=True)
class BankTransfer:
    iban: str
    holder: str
    amount: Decimal
    reference: str


@dataclass(frozen=True)
class TransferResult:
    ok: bool
    reference: str = ""
    error: str = ""


class TransferProvider(Protocol):
    def transfer(
        self, *, amount: Decimal, currency: str, destination: str, idempotency_key: str
    ) -> TransferResult: ...


class BankFileWriter(Protocol):
    def __call__(self, transfers: list[BankTransfer]) -> str: ...


def _load(path: str):
    module, _dot, name = path.rpartition(".")
    return getattr(importlib.import_module(module), name)


def transfer_provider() -> TransferProvider:
    return _load(settings.PAYOUT_TRANSFER_PROVIDER)()


def bank_file_writer() -> BankFileWriter:
    return _load(settings.PAYOUT_BANK_FILE_WRITER)
