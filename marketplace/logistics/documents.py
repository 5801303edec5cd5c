"""Signed links to a shipment's papers (packing slip, label, pick list).

A link names the paper, the shipments and the user it was made for, and expires after
DOCUMENT_LINK_SECONDS; the view checks the signature and then that the user may still
see every shipment in it."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.urls import reverse

SALT = "marketplace.logistics.documents"
KINDS = frozenset({"slip", "label", "picklist", "route"})


def _max_age() -> int:
    return getattr(settings, "DOCUMENT_LINK_SECONDS", 3600)


def make_token(*, kind: str, shipment_ids: list[int], user_id: int) -> str:
    return signing.dumps(
        {"k": kind, "s": list(shipment_ids), "u": user_id}, salt=SALT, compress=True
    )


def read_token(token: str) -> dict | None:
    try:
        data = signing.loads(token, salt=SALT, max_age=_max_age())
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("k") not in KINDS:
        return None
    return data


def url(*, kind: str, shipment_ids: list[int], user_id: int) -> str:
    token = make_token(kind=kind, shipment_ids=shipment_ids, user_id=user_id)
    return reverse("logistics:document", kwargs={"token": token})
