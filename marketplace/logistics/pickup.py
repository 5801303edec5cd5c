"""The 6-digit code a buyer shows at the pickup point.

The code is derived from the shipment and the site's secret key, so the buyer's order
page can show it again, while the database keeps only its hash: reading the table does
not reveal it. Five wrong codes lock the parcel."""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password

from marketplace.orders.models import Shipment

MAX_TRIES = 5


def code_for(shipment: Shipment) -> str:
    digest = hmac.new(
        settings.SECRET_KEY.encode(),
        f"pickup:{shipment.pk}:{shipment.created.isoformat()}".encode(),
        hashlib.sha256,
    ).digest()
    return f"{int.from_bytes(digest[:8], 'big') % 1_000_000:06d}"


def code_hash(shipment: Shipment) -> str:
    return make_password(code_for(shipment))


def matches(parcel, code: str) -> bool:
    # Persian and Arabic-Indic digits count as digits.
    code = "".join(str(int(ch)) for ch in code if ch.isdecimal())
    return (
        len(code) == 6
        and bool(parcel.pickup_code_hash)
        and check_password(code, parcel.pickup_code_hash)
    )
