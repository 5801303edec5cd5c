"""The demo marketplace as data: cooperatives, their staff and the producers who sell."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import TypedDict

DATA_FILE = Path(__file__).resolve().parent / "data" / "marketplace.json"


class PersonData(TypedDict):
    first_name: str
    last_name: str
    phone: str


class StaffData(PersonData):
    email: str


class WarehouseData(TypedDict):
    name: str
    village: str | None
    address: str


class CooperativeData(TypedDict):
    slug: str
    name: str
    county: str
    fee_rate: str
    phone: str
    description: str
    warehouse: WarehouseData
    staff: list[StaffData]


class SellerData(PersonData):
    email: str
    name: str
    village: str | None
    county: str | None
    cooperative: str | None
    status: str
    payout_iban: str
    story: str


class Dataset(TypedDict):
    operator: PersonData
    buyer: PersonData
    cooperatives: list[CooperativeData]
    sellers: list[SellerData]


@cache
def load_dataset() -> Dataset:
    with DATA_FILE.open(encoding="utf-8") as handle:
        return json.load(handle)
