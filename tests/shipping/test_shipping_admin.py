"""Operators manage zones and methods, with their rates inline, in the admin."""

from __future__ import annotations

import pytest
from django.test import Client

from marketplace.shipping.models import DeliveryMethod, ShippingZone


@pytest.fixture
def operator_client(client: Client, operator) -> Client:
    client.force_login(operator)
    return client


@pytest.mark.parametrize("model", ["shippingzone", "deliverymethod"])
def test_lists_and_forms_render(operator_client, seeded, model):
    assert operator_client.get(f"/admin/shipping/{model}/").status_code == 200
    assert operator_client.get(f"/admin/shipping/{model}/add/").status_code == 200


def test_change_pages_render_with_rates_inline(operator_client, seeded):
    express = DeliveryMethod.objects.get(name="پست پیشتاز")
    page = operator_client.get(f"/admin/shipping/deliverymethod/{express.pk}/change/")
    assert page.status_code == 200
    assert page.context["inline_admin_formsets"][0].formset.queryset.count() == 4
    zone = ShippingZone.objects.get(name="International")
    assert operator_client.get(f"/admin/shipping/shippingzone/{zone.pk}/change/").status_code == 200


def test_filter_platform_methods(operator_client, seeded, coop_a):
    DeliveryMethod.objects.create(name="پیک تعاونی", kind="COURIER", cooperative=coop_a)
    page = operator_client.get("/admin/shipping/deliverymethod/", {"owner": "platform"})
    names = {m.name for m in page.context["cl"].result_list}
    assert "پست پیشتاز" in names and "پیک تعاونی" not in names


def test_pickup_point_of_someone_else_is_refused(operator_client, seeded, coop_a, warehouse_b):
    zone = ShippingZone.objects.get(name="ایران")
    response = operator_client.post(
        "/admin/shipping/deliverymethod/add/",
        {
            "name": "تحویل حضوری",
            "name_en": "",
            "kind": "PICKUP",
            "is_active": "on",
            "cooperative": coop_a.pk,
            "seller": "",
            "zones": [zone.pk],
            "pickup_warehouse": warehouse_b.pk,
            "min_days": "",
            "max_days": "",
            "rates-TOTAL_FORMS": "0",
            "rates-INITIAL_FORMS": "0",
            "rates-MIN_NUM_FORMS": "0",
            "rates-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 200
    assert "pickup_warehouse" in response.context["adminform"].form.errors
    assert not DeliveryMethod.objects.filter(name="تحویل حضوری").exists()
