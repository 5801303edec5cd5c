# ruff: noqa: F811 - pytest fixtures are imported by name
"""The buyer's order page follows each parcel: steps, tracking link, events in plain
words, the pickup code, and "I received it" once everything is delivered."""

from __future__ import annotations

from django.urls import reverse
from graphql_relay import to_global_id

from marketplace.inventory.models import Warehouse
from marketplace.logistics import pickup, services
from marketplace.logistics.models import Parcel
from marketplace.orders.models import OrderStatus
from marketplace.shipping.models import DeliveryKind, DeliveryMethod
from tests.logistics.fixtures import fresh_carriers, seeded, two_coop_order  # noqa: F401
from tests.storefront.panel_support import signed_in_client


def page(buyer, order, language="en") -> str:
    browser = signed_in_client(buyer, language)
    return browser.get(
        reverse("account:order", args=[to_global_id("Order", order.pk)])
    ).content.decode()


def test_steps_tracking_events_and_receipt(two_coop_order, staff_a, staff_b, buyer):
    order, first, second, _v = two_coop_order
    line = first.lines.get()
    services.pack_shipment(actor=staff_a, shipment=first, quantities={line.pk: 2})
    services.ship_shipment(actor=staff_a, shipment=first, tracking_number="1" * 24)
    html = page(buyer, order)
    assert 'aria-current="step"' in html
    assert f'href="https://tracking.post.ir/?id={"1" * 24}"' in html
    assert "Some items were not available" in html and "The parcel is on its way." in html
    assert "I received it" not in html
    persian = page(buyer, order, "fa")
    assert "بسته در راه است." in persian

    for staff, shipment in ((staff_a, first), (staff_b, second)):
        if shipment is second:
            services.pack_shipment(actor=staff, shipment=shipment)
            services.ship_shipment(actor=staff, shipment=shipment, tracking_number="2" * 24)
        due = Parcel.objects.get(shipment=shipment).cash_to_collect
        services.deliver_shipment(actor=staff, shipment=shipment, cash_collected=due)
    assert "I received it" in page(buyer, order)
    browser = signed_in_client(buyer)
    order_id = to_global_id("Order", order.pk)
    answer = browser.post(reverse("account:order_received", args=[order_id]), follow=True)
    assert "your order is complete" in answer.content.decode()
    order.refresh_from_db()
    assert order.status == OrderStatus.COMPLETED


def test_the_pickup_code_is_shown_to_the_buyer_and_checked(two_coop_order, staff_a, buyer, coop_a):
    order, first, _second, _v = two_coop_order
    point = Warehouse.objects.create(name="انبار مرکزی", cooperative=coop_a)
    first.delivery_method = DeliveryMethod.objects.create(
        name="تحویل حضوری", kind=DeliveryKind.PICKUP, cooperative=coop_a, pickup_warehouse=point
    )
    first.save()
    services.pack_shipment(actor=staff_a, shipment=first)
    services.ship_shipment(actor=staff_a, shipment=first)
    code = pickup.code_for(first)
    assert code in page(buyer, order)
    assert Parcel.objects.get(shipment=first).pickup_code_hash != code
    desk = signed_in_client(staff_a)
    act = "/panel/coop/torbat-saffron/shipments/act/"
    shipment_id = to_global_id("Shipment", first.pk)
    wrong = desk.post(
        act, {"one": f"pickup:{shipment_id}", f"code:{shipment_id}": "000000"}, follow=True
    )
    assert "pickup code is wrong" in wrong.content.decode()
    persian_code = code.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    desk.post(act, {"one": f"pickup:{shipment_id}", f"code:{shipment_id}": persian_code})
    first.refresh_from_db()
    assert first.status == "DELIVERED"


def test_five_wrong_codes_lock_the_parcel(two_coop_order, staff_a, coop_a):
    from marketplace.core.errors import DomainError

    _order, first, _second, _v = two_coop_order
    point = Warehouse.objects.create(name="انبار مرکزی", cooperative=coop_a)
    first.delivery_method = DeliveryMethod.objects.create(
        name="تحویل حضوری", kind=DeliveryKind.PICKUP, cooperative=coop_a, pickup_warehouse=point
    )
    first.save()
    services.pack_shipment(actor=staff_a, shipment=first)
    services.ship_shipment(actor=staff_a, shipment=first)
    wrong = "000000" if pickup.code_for(first) != "000000" else "111111"
    codes = []
    for _ in range(6):
        try:
            services.check_pickup(actor=staff_a, shipment=first, code=wrong)
        except DomainError as exc:
            codes.append(exc.errors[0].code)
    assert codes == ["INVALID"] * 5 + ["INVALID_STATUS"]
    try:
        services.check_pickup(actor=staff_a, shipment=first, code=pickup.code_for(first))
    except DomainError as exc:
        assert exc.errors[0].code == "INVALID_STATUS"
    first.refresh_from_db()
    assert first.status == "SHIPPED"
    assert Parcel.objects.get(shipment=first).pickup_tries == 5


def _toman(rial) -> str:
    return f"{int(rial) // 10:,}"


def test_cash_on_delivery_says_what_each_courier_collects(two_coop_order, staff_a, buyer):
    order, first, second, _v = two_coop_order
    html = page(buyer, order)
    assert "Payment: Cash on delivery" in html
    assert "Not charged" not in html
    expected = {
        shipment.pk: sum(line.total_price for line in shipment.lines.all())
        + shipment.shipping_price
        for shipment in (first, second)
    }
    assert sum(expected.values()) == order.total
    for due in expected.values():
        assert f"Pay the courier of this parcel: <strong>{_toman(due)}" in html

    line = first.lines.get()
    services.pack_shipment(actor=staff_a, shipment=first, quantities={line.pk: 2})
    packed = Parcel.objects.get(shipment=first).cash_to_collect
    assert packed == expected[first.pk] - line.unit_price
    html = page(buyer, order)
    assert f"Pay the courier of this parcel: <strong>{_toman(packed)}" in html
    assert f"Pay the courier of this parcel: <strong>{_toman(expected[second.pk])}" in html
    assert "پرداخت در محل" in page(buyer, order, "fa")
