"""The fulfiller's papers as PDFs (WeasyPrint): packing slips, the pick list of a day's
shipments grouped by producer and village, the day's route, and a label for parcels
the fulfiller delivers itself. Persian, right to left, Jalali dates and the Vazirmatn
font; English, left to right and Gregorian dates for the `intl` channel."""

from __future__ import annotations

import io
import logging
from collections import defaultdict
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import jdatetime
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from pypdf import PdfReader, PdfWriter
from pypdf.errors import PyPdfError

from marketplace.core.pdf import html_to_pdf
from marketplace.logistics.models import PackedLine, Parcel
from marketplace.orders.models import OrderLine, Shipment

FONT_DIR = Path(settings.BASE_DIR) / "node_modules" / "vazirmatn" / "fonts" / "ttf"
PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
logger = logging.getLogger("marketplace.logistics")
TEMPLATES = {
    "slip": "logistics/packing_slip.html",
    "picklist": "logistics/pick_list.html",
    "route": "logistics/route.html",
    "label": "logistics/label.html",
}


def language_for(shipments: list[Shipment]) -> str:
    """English when every order is of the international channel."""
    slugs = {s.order.channel.slug for s in shipments}
    return "en" if slugs == {"intl"} else "fa"


class Formatter:
    def __init__(self, language: str) -> None:
        self.persian = language == "fa"

    def number(self, value) -> str:
        if isinstance(value, Decimal):
            value = value.normalize() if value == value.to_integral() else value
            text = f"{value:,.0f}" if value == value.to_integral() else f"{value:,.2f}"
        else:
            text = str(value)
        return text.translate(PERSIAN_DIGITS).replace(",", "٬") if self.persian else text

    def date(self, moment: datetime) -> str:
        moment = timezone.localtime(moment)
        if self.persian:
            return (
                jdatetime.date.fromgregorian(date=moment.date())
                .strftime("%Y/%m/%d")
                .translate(PERSIAN_DIGITS)
            )
        return moment.strftime("%Y-%m-%d")

    def money(self, amount: Decimal, currency: str) -> str:
        unit = {"IRR": "ریال"}.get(currency, currency) if self.persian else currency
        return f"{self.number(amount)} {unit}"


def _lines(shipments: list[Shipment]) -> dict[int, list[OrderLine]]:
    lines = defaultdict(list)
    rows = OrderLine.objects.filter(shipment__in=shipments).select_related(
        "seller__village__county"
    )
    packed = PackedLine.objects.filter(line__shipment__in=shipments).in_bulk()
    for line in rows.order_by("id"):
        line.packed_quantity = packed[line.pk].quantity if line.pk in packed else line.quantity
        lines[line.shipment_id].append(line)
    return lines


def _rows(shipments: list[Shipment], fmt: Formatter) -> list[dict]:
    lines = _lines(shipments)
    parcels = Parcel.objects.defer("label_pdf").in_bulk([s.pk for s in shipments])
    rows = []
    for shipment in shipments:
        order = shipment.order
        parcel = parcels.get(shipment.pk)
        rows.append(
            {
                "shipment": shipment,
                "order": order,
                "number": fmt.number(order.number),
                "date": fmt.date(order.created),
                "address": order.shipping_address,
                "postal_code": fmt.number(order.shipping_address.postal_code),
                "phone": fmt.number(order.shipping_address.phone),
                "method": shipment.delivery_method,
                "tracking": shipment.tracking_number,
                "cash": fmt.money(parcel.cash_to_collect, order.currency)
                if parcel and parcel.cash_to_collect
                else "",
                "lines": [
                    {
                        "name": " ".join(filter(None, [line.product_name, line.variant_name])),
                        "sku": line.sku,
                        "ordered": fmt.number(line.quantity),
                        "packed": fmt.number(line.packed_quantity),
                        "short": line.packed_quantity < line.quantity,
                        "seller": line.seller.name,
                        "village": line.seller.village.name if line.seller.village else "",
                    }
                    for line in lines[shipment.pk]
                ],
            }
        )
    return rows


def _pick_groups(shipments: list[Shipment], fmt: Formatter) -> list[dict]:
    """Units to collect from each producer, by village: one round of visits."""
    groups: dict[tuple[str, str], dict[str, dict]] = defaultdict(dict)
    for shipment_lines in _lines(shipments).values():
        for line in shipment_lines:
            village = line.seller.village.name if line.seller.village else ""
            key = (village, line.seller.name)
            name = " ".join(filter(None, [line.product_name, line.variant_name]))
            item = groups[key].setdefault(
                name, {"name": name, "sku": line.sku, "units": 0, "orders": set()}
            )
            item["units"] += line.packed_quantity
            item["orders"].add(shipment_lines[0].order_id)
    result = []
    for (village, producer), items in sorted(groups.items()):
        result.append(
            {
                "village": village,
                "producer": producer,
                "items": [
                    {
                        **item,
                        "units": fmt.number(item["units"]),
                        "orders": fmt.number(len(item["orders"])),
                    }
                    for item in sorted(items.values(), key=lambda i: i["name"])
                ],
            }
        )
    return result


def route_key(address) -> tuple[str, str, str]:
    return (address.city.strip(), address.street_address_1.strip(), address.last_name.strip())


def _html(kind: str, shipments: list[Shipment], language: str) -> str:
    fmt = Formatter(language)
    context = {
        "font_dir": FONT_DIR.as_uri(),
        "rtl": language == "fa",
        "today": fmt.date(timezone.now()),
        "count": fmt.number(len(shipments)),
        "rows": _rows(shipments, fmt),
        "fulfiller": (shipments[0].cooperative or shipments[0].seller).name if shipments else "",
    }
    if kind == "picklist":
        context["groups"] = _pick_groups(shipments, fmt)
    elif kind == "route":
        # The driver goes village by village, street by street, not in order of sale.
        context["rows"].sort(key=lambda row: route_key(row["address"]))
    with translation.override(language):
        return render_to_string(TEMPLATES[kind], context)


def render(kind: str, shipments: list[Shipment], *, language: str | None = None) -> bytes:
    language = language if language in ("fa", "en") else language_for(shipments)
    return html_to_pdf(_html(kind, shipments, language), base_url=str(settings.BASE_DIR))


def label_pdf(shipment: Shipment) -> bytes:
    return render("label", [shipment])


def _readable(data: bytes) -> PdfReader | None:
    try:
        return PdfReader(io.BytesIO(data))
    except PyPdfError:
        return None


def labels_pdf(shipments: list[Shipment]) -> bytes:
    """Every parcel's label in one PDF, for printing a day's parcels at once: the
    carrier's own label where the parcel was booked with one, ours for the rest (and
    for a carrier label that is not a readable PDF)."""
    stored = dict(
        Parcel.objects.filter(shipment__in=shipments, label_pdf__isnull=False).values_list(
            "shipment_id", "label_pdf"
        )
    )
    if len(shipments) == 1 and stored.get(shipments[0].pk):
        return bytes(stored[shipments[0].pk])
    booked = {}
    for shipment_id, data in stored.items():
        reader = _readable(bytes(data)) if data else None
        if reader is not None:
            booked[shipment_id] = reader
        else:
            logger.warning("the carrier's label of shipment %s is not a PDF", shipment_id)
    own = [s for s in shipments if s.pk not in booked]
    if not booked:
        return render("label", own)
    writer = PdfWriter()
    for shipment in shipments:
        if shipment.pk in booked:
            writer.append(booked[shipment.pk])
    if own:
        writer.append(PdfReader(io.BytesIO(render("label", own))))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
