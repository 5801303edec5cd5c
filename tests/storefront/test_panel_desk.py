# ruff: noqa: F811 - pytest fixtures are imported by name
"""The fulfilment desk pages: a cooperative's clerk packs short, sends, prints and hands
over; an independent producer has the same for their own parcels; nobody else sees any."""

from __future__ import annotations

import re

from graphql_relay import to_global_id

from marketplace.logistics.models import Parcel
from marketplace.orders.models import ShipmentStatus
from tests.builders.catalog import make_variant
from tests.builders.sellers import make_seller
from tests.logistics.fixtures import fresh_carriers, place, seeded, two_coop_order  # noqa: F401
from tests.storefront.panel_support import signed_in_client

DESK = "/panel/coop/torbat-saffron/shipments/"
ACT = "/panel/coop/torbat-saffron/shipments/act/"


def gid(shipment) -> str:
    return to_global_id("Shipment", shipment.pk)


def test_the_clerk_packs_short_sends_and_delivers(two_coop_order, staff_a):
    order, first, _second, _v = two_coop_order
    desk = signed_in_client(staff_a)
    page = desk.get(DESK).content.decode()
    assert str(order.number) in page and 'data-status="UNFULFILLED"' in page
    assert re.search(r"Being prepared <span class=\"count\">\(1\)</span>", page)
    line = to_global_id("OrderLine", first.lines.get().pk)
    answer = desk.post(
        ACT, {"one": f"pack:{gid(first)}", f"qty:{gid(first)}:{line}": "2", "back": DESK}
    )
    assert answer.status_code == 302
    first.refresh_from_db()
    assert first.status == ShipmentStatus.PACKED
    assert Parcel.objects.get(shipment=first).short_amount == 250_000

    wrong = desk.post(
        ACT, {"one": f"ship:{gid(first)}", f"tracking:{gid(first)}": "12"}, follow=True
    )
    assert "not a tracking number" in wrong.content.decode()
    number = "۱۲۳۴۵۶۷۸۹۰۱۲۳۴۵۶۷۸۹۰۱۲۳۴"
    desk.post(ACT, {"one": f"ship:{gid(first)}", f"tracking:{gid(first)}": number})
    first.refresh_from_db()
    assert (first.status, first.tracking_number) == (
        ShipmentStatus.SHIPPED,
        "123456789012345678901234",
    )

    due = Parcel.objects.get(shipment=first).cash_to_collect
    desk.post(ACT, {"one": f"deliver:{gid(first)}", f"cash:{gid(first)}": str(int(due))})
    first.refresh_from_db()
    assert first.status == ShipmentStatus.DELIVERED
    assert Parcel.objects.get(shipment=first).cash_collected == due


def test_bulk_printing_gives_a_signed_pdf(two_coop_order, staff_a):
    _order, first, _second, _v = two_coop_order
    desk = signed_in_client(staff_a)
    for kind in ("slip", "picklist", "route"):
        answer = desk.post(ACT, {"action": f"print:{kind}", "shipment": [gid(first)]})
        assert answer.status_code == 302 and "/logistics/documents/" in answer["Location"]
        pdf = desk.get(answer["Location"])
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    nothing = desk.post(ACT, {"action": "print:slip"}, follow=True)
    assert "Choose at least one parcel" in nothing.content.decode()


def test_bulk_pack(two_coop_order, staff_a, seller_a):
    order, first, _second, _v = two_coop_order
    other = place(order.user, [(make_variant(seller_a, quantity=3), 1)])
    second_a = other.shipments.get()
    desk = signed_in_client(staff_a)
    desk.post(ACT, {"action": "pack", "shipment": [gid(first), gid(second_a)]})
    first.refresh_from_db()
    second_a.refresh_from_db()
    assert {first.status, second_a.status} == {ShipmentStatus.PACKED}
    packed = desk.get(f"{DESK}?status=PACKED").content.decode()
    assert str(order.number) in packed and str(other.number) in packed
    posted = desk.get(f"{DESK}?kind=PICKUP").content.decode()
    assert str(order.number) not in posted


def test_another_cooperative_sees_and_moves_nothing(two_coop_order, staff_b):
    _order, first, _second, _v = two_coop_order
    other = signed_in_client(staff_b)
    assert other.get(DESK).status_code == 404
    assert other.post(ACT, {"one": f"pack:{gid(first)}"}).status_code == 404
    own = other.post(
        "/panel/coop/kashmar-raisin/shipments/act/", {"one": f"pack:{gid(first)}"}, follow=True
    )
    assert own.status_code == 200
    first.refresh_from_db()
    assert first.status == ShipmentStatus.UNFULFILLED


def test_independent_producers_have_their_own_desk(seeded, buyer):
    producer = make_seller("solo@example.com", "عسل کوهستان", None)
    order = place(buyer, [(make_variant(producer, quantity=4), 2)])
    shipment = order.shipments.get()
    desk = signed_in_client(producer.owner)
    assert str(order.number) in desk.get("/panel/shipments/").content.decode()
    desk.post("/panel/shipments/act/", {"one": f"pack:{gid(shipment)}"})
    shipment.refresh_from_db()
    assert shipment.status == ShipmentStatus.PACKED


def test_the_days_route_goes_village_by_village_with_the_cash(
    two_coop_order, staff_a, seller_a, coop_a
):
    from marketplace.logistics import paperwork, services
    from marketplace.shipping.models import DeliveryKind, DeliveryMethod
    from tests.logistics.test_paperwork import pdf_text

    van = DeliveryMethod.objects.create(
        name="وانت تعاونی", kind=DeliveryKind.COOP_DELIVERY, cooperative=coop_a
    )
    order, first, _second, _v = two_coop_order
    later = place(order.user, [(make_variant(seller_a, quantity=3), 1)]).shipments.get()
    # Sold first to the farther village: the route still starts with Kadkan.
    for shipment, village in ((first, "Robat"), (later, "Kadkan")):
        address = shipment.order.shipping_address
        address.city = village
        address.save()
        shipment.delivery_method = van
        shipment.save()
        services.pack_shipment(actor=staff_a, shipment=shipment)
        services.ship_shipment(actor=staff_a, shipment=shipment)

    page = signed_in_client(staff_a).get("/panel/coop/torbat-saffron/route/").content.decode()
    assert page.index("Kadkan") < page.index("Robat")
    due = Parcel.objects.get(shipment=first).cash_to_collect
    assert f'name="cash:{gid(first)}" value="{int(due)}' in page

    first.refresh_from_db()
    later.refresh_from_db()
    printed = pdf_text(paperwork.render("route", [first, later], language="en"))
    assert printed.index("Kadkan") < printed.index("Robat")


def test_the_desk_filters_by_the_day_of_the_order(two_coop_order, staff_a):
    from datetime import timedelta

    from django.utils import timezone

    order, _first, _second, _v = two_coop_order
    desk = signed_in_client(staff_a)
    day = timezone.localdate(order.created)
    typed = day.isoformat().translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    assert str(order.number) in desk.get(f"{DESK}?day={typed}").content.decode()
    before = (day - timedelta(days=1)).isoformat()
    page = desk.get(f"{DESK}?day={before}").content.decode()
    assert str(order.number) not in page and "No parcels here." in page
    # A day that is no date shows every day, not an error.
    assert str(order.number) in desk.get(f"{DESK}?day=yesterday").content.decode()
