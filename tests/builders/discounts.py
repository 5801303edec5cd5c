"""Vouchers."""

from __future__ import annotations

from decimal import Decimal

from marketplace.channels.models import Channel
from marketplace.discounts.models import Voucher
from tests.builders import serial


def make_voucher(channel: str = "ir", **fields) -> Voucher:
    values = {
        "code": f"NOROOZ{next(serial)}",
        "kind": "PERCENTAGE",
        "value": Decimal(10),
        "channel": Channel.objects.get(slug=channel),
    }
    values.update(fields)
    return Voucher.objects.create(**values)
