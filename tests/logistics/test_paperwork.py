"""Packing slips, pick lists, route and labels as PDFs: Persian (RTL, Jalali dates,
Vazirmatn) or English for the intl channel; their text is read back from the PDF."""

from __future__ import annotations

import io
import unicodedata

import jdatetime
from django.utils import timezone
from pypdf import PdfReader

from marketplace.logistics import documents, paperwork, services
from tests.builders.catalog import make_variant
from tests.logistics.fixtures import place

PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    text = "\n".join(page.extract_text() for page in reader.pages)
    # Shaped Arabic letters come back as presentation forms; compare base letters.
    return unicodedata.normalize("NFKC", text)


def fonts(data: bytes) -> set[str]:
    reader = PdfReader(io.BytesIO(data))
    names = set()
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            names.add(str(font.get_object()["/BaseFont"]))
    return names


def squeeze(text: str) -> str:
    return "".join(text.replace("\u200c", "").split())


def has_words(text: str, *words: str) -> bool:
    """Every word is in the text, ignoring spaces and zero-width joiners."""
    flat = squeeze(text)
    return all(squeeze(word) in flat for word in words)


def test_packing_slip_in_persian(two_coop_order, staff_a):
    order, first, _second, _v = two_coop_order
    services.pack_shipment(actor=staff_a, shipment=first, quantities={first.lines.get().pk: 2})
    first.refresh_from_db()
    data = paperwork.render("slip", [first])
    assert data.startswith(b"%PDF")
    assert any("Vazirmatn" in name for name in fonts(data))
    text = pdf_text(data)
    today = jdatetime.date.fromgregorian(date=timezone.localdate(order.created)).strftime(
        "%Y/%m/%d"
    )
    assert has_words(text, str(order.number).translate(PERSIAN_DIGITS))
    assert has_words(text, today.translate(PERSIAN_DIGITS))
    assert has_words(text, "برگه بسته‌بندی", "گیرنده", "کسری")
    assert has_words(text, "Sara", "Ahmadi")


def test_pick_list_groups_by_producer_and_village(seeded, buyer, seller_a, staff_a):
    saffron = make_variant(seller_a, quantity=20, name="زعفران نگین")
    orders = [place(buyer, [(saffron, 2)]) for _ in range(3)]
    shipments = [o.shipments.get() for o in orders]
    text = pdf_text(paperwork.render("picklist", shipments))
    assert has_words(text, seller_a.name.split()[0])
    assert has_words(text, "۶")  # 3 orders × 2 units, one line of the list
    assert has_words(text, "زعفران")


def test_pick_list_is_one_round_village_by_village(seeded, buyer, seller_a, coop_a):
    from marketplace.locations.models import Village
    from tests.builders.sellers import make_seller

    villages = list(Village.objects.order_by("name")[:2])
    neighbour = make_seller("neighbour@example.com", "انار ساوه‌ی کریمی", coop_a)
    # The first village's producer sold later: the list still starts with that village.
    seller_a.village, neighbour.village = villages[1], villages[0]
    seller_a.save()
    neighbour.save()
    saffron = make_variant(seller_a, quantity=20, name="زعفران نگین")
    pomegranate = make_variant(neighbour, quantity=20, name="انار")
    shipments = [
        place(buyer, lines).shipments.get()
        for lines in ([(saffron, 2)], [(saffron, 1), (pomegranate, 4)])
    ]
    text = squeeze(pdf_text(paperwork.render("picklist", shipments)))
    first, second = (text.index(squeeze(v.name)) for v in villages)
    producer = squeeze(seller_a.name)
    assert first < text.index(squeeze("انار ساوه")) < second < text.index(producer)
    # Saffron of both orders on one line: three units to collect from that producer.
    assert "۳" in text[text.index(producer) :]


def test_english_for_the_intl_channel(two_coop_order):
    order, first, _second, _v = two_coop_order
    text = pdf_text(paperwork.render("slip", [first], language="en"))
    assert "Packing slip" in text and f"Order {order.number}" in text
    assert timezone.localdate(order.created).isoformat() in text


def test_the_intl_channels_papers_are_in_english_without_asking(two_coop_order):
    from marketplace.channels.models import Channel

    order, first, _second, saffron = two_coop_order
    order.channel = Channel.objects.get(slug="intl")
    order.save(update_fields=["channel"])
    first.refresh_from_db()
    assert "Packing slip" in pdf_text(paperwork.render("slip", [first]))
    # One Persian order among them: the papers stay in Persian for the clerk.
    persian = place(order.user, [(saffron, 1)]).shipments.get()
    mixed = pdf_text(paperwork.render("slip", [first, persian]))
    assert "Packing slip" not in mixed and has_words(mixed, "برگه بسته‌بندی")


def test_label_and_route(two_coop_order, staff_a):
    _order, first, _second, _v = two_coop_order
    services.pack_shipment(actor=staff_a, shipment=first)
    first.refresh_from_db()
    label = pdf_text(paperwork.label_pdf(first))
    assert has_words(label, "Sara")
    route = pdf_text(paperwork.render("route", [first], language="en"))
    assert "Delivery route" in route and "Cash to collect" in route


def test_document_links_are_signed_and_checked(client, two_coop_order, staff_a, staff_b):
    _order, first, _second, _v = two_coop_order
    url = documents.url(kind="slip", shipment_ids=[first.pk], user_id=staff_a.pk)
    answer = client.get(url)
    assert answer.status_code == 200 and answer["Content-Type"] == "application/pdf"
    assert answer.content.startswith(b"%PDF")
    assert client.get(url[:-3] + "xx/").status_code == 403
    other = documents.url(kind="slip", shipment_ids=[first.pk], user_id=staff_b.pk)
    assert client.get(other).status_code == 403


def test_printing_many_labels_gives_every_parcels_label(
    client, two_coop_order, staff_a, seller_a, carrier_servers
):
    from tests.logistics.carrier_server import MINIMAL_PDF

    order, first, _second, saffron = two_coop_order
    other = place(order.user, [(saffron, 1)]).shipments.get()
    for shipment in (first, other):
        services.pack_shipment(actor=staff_a, shipment=shipment)
    # One booked with the post (its own label), one sent with a number typed in (ours).
    services.ship_shipment(actor=staff_a, shipment=first)
    services.ship_shipment(actor=staff_a, shipment=other, tracking_number="1" * 24)
    url = documents.url(kind="label", shipment_ids=[first.pk, other.pk], user_id=staff_a.pk)
    answer = client.get(url)
    assert answer.status_code == 200 and answer["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(answer.content))
    assert len(reader.pages) == 2
    assert (
        reader.pages[0].mediabox.height
        == PdfReader(io.BytesIO(MINIMAL_PDF)).pages[0].mediabox.height
    )
    ours = unicodedata.normalize("NFKC", reader.pages[1].extract_text())
    assert has_words(ours, "Sara", "1" * 24)

    alone = client.get(documents.url(kind="label", shipment_ids=[first.pk], user_id=staff_a.pk))
    assert alone.content == MINIMAL_PDF
