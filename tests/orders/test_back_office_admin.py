"""The operator's back office: orders, shipments, payments and vouchers listed with
filters and search, read-only where services own the changes, Jalali dates with Persian
digits in Persian; the login page has a heading and the filter links a usable size."""

from __future__ import annotations

import re
from datetime import datetime

import pytest
from django.utils import translation

from marketplace.core.admin_dates import admin_date
from marketplace.orders import services
from tests.builders.catalog import make_variant
from tests.builders.checkout import make_checkout

pytestmark = pytest.mark.django_db


@pytest.fixture
def placed(ir, buyer, seller_a):
    checkout = make_checkout([(make_variant(seller_a), 2)], user=buyer)
    order, payment = services.complete_checkout(actor=buyer, checkout=checkout, gateway="cod")
    return order, payment


@pytest.fixture
def office(client, operator):
    client.force_login(operator)
    return client


def test_jalali_dates_with_persian_digits_in_persian():
    moment = datetime(2026, 12, 2, 9, 30)
    with translation.override("fa"):
        assert admin_date(moment) == "۱۱ آذر ۱۴۰۵، ۰۹:۳۰"
    with translation.override("en"):
        assert admin_date(moment) == "02 Dec 2026, 09:30"
    assert admin_date(None) == "—"


@pytest.mark.parametrize(
    ("url", "filters"),
    [
        ("/admin/orders/order/", ["status", "payment_status"]),
        ("/admin/orders/shipment/", ["status"]),
        ("/admin/payments/payment/", ["status", "gateway"]),
        ("/admin/discounts/voucher/", ["is_active", "kind"]),
    ],
)
def test_lists_have_filters_search_and_usable_filter_links(office, placed, url, filters):
    page = office.get(url, HTTP_ACCEPT_LANGUAGE="fa").content.decode()
    assert 'id="changelist-filter"' in page and 'id="searchbar"' in page
    for name in filters:
        assert f"?{name}__exact=" in page or f"?{name}=" in page, name
    assert "admin/bazarcheh/filters.css" in page


def test_an_order_is_found_by_number_and_shown_read_only_with_a_jalali_date(office, placed):
    order, payment = placed
    page = office.get(
        "/admin/orders/order/", {"q": str(order.number)}, HTTP_ACCEPT_LANGUAGE="fa"
    ).content.decode()
    assert f"/admin/orders/order/{order.pk}/change/" in page
    assert re.search("[۰-۹]{2} [آ-ی]+ [۰-۹]{4}، [۰-۹]{2}:[۰-۹]{2}", page)
    assert office.get("/admin/orders/order/add/").status_code == 403
    detail = office.get(f"/admin/orders/order/{order.pk}/change/")
    assert detail.status_code == 200 and 'type="submit" value="Save"' not in detail.content.decode()
    found = office.get("/admin/payments/payment/", {"q": str(order.number)}).content.decode()
    assert f"/admin/payments/payment/{payment.pk}/change/" in found


def test_the_login_page_has_a_first_level_heading(client):
    page = client.get("/admin/login/", HTTP_ACCEPT_LANGUAGE="fa").content.decode()
    assert re.search(r"<h1>[^<]+</h1>", page)
