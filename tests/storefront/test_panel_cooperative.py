"""The cooperatives' desk and who may do what in the panel: staff edit their members'
products, nobody edits another seller's, warehouses, the shipments to prepare and the
producer's orders; junk requests never give a server error."""

from __future__ import annotations

from decimal import Decimal

import pytest

from marketplace.catalog.models import Product, VariantChannelListing
from marketplace.catalog.services import refresh_price_ranges
from marketplace.inventory.models import Stock, Warehouse
from marketplace.orders import services as order_services
from marketplace.sellers.models import SellerStatus
from tests.builders.catalog import make_variant
from tests.builders.checkout import make_checkout
from tests.builders.seed import ensure_seeded
from tests.builders.sellers import make_seller
from tests.storefront.panel_support import (
    field_errors,
    media_root,  # noqa: F401  (autouse fixture)
    signed_in_client,
)
from tests.support import gid

pytestmark = pytest.mark.django_db
DENIED = "You do not have permission to do this."


def edit_data(product: Product, **changes) -> dict:
    data = {
        "name": product.name,
        "description": "",
        "category": gid("Category", product.category_id),
        "price": "300000",
        "stock": "4",
        "is_published": "on",
    }
    return data | changes


@pytest.fixture
def member_product(seller_a) -> Product:
    ensure_seeded()
    product = make_variant(seller_a, name="زعفران دسته", published=False).product
    refresh_price_ranges([product.pk])
    return product


def test_staff_list_and_edit_a_members_product(staff_a, seller_a, member_product):
    desk = signed_in_client(staff_a, "fa")
    listed = desk.get("/panel/coop/torbat-saffron/products/").content.decode()
    assert "زعفران دسته" in listed and seller_a.name in listed
    url = f"/panel/products/{gid('Product', member_product.pk)}/"
    form = desk.get(url)
    assert form.status_code == 200 and seller_a.name in form.content.decode()
    response = desk.post(url, edit_data(member_product, name="زعفران دسته ممتاز"))
    assert response.status_code == 302
    assert response["Location"] == "/panel/coop/torbat-saffron/products/"
    member_product.refresh_from_db()
    assert member_product.name == "زعفران دسته ممتاز" and member_product.is_published
    variant = member_product.variants.get()
    assert VariantChannelListing.objects.get(variant=variant, channel__slug="ir").price == Decimal(
        3_000_000
    )
    assert Stock.objects.get(variant=variant).quantity == 4


def test_staff_add_a_product_for_a_member(staff_a, seller_a):
    ensure_seeded()
    desk = signed_in_client(staff_a)
    seller_id = gid("Seller", seller_a.pk)
    assert desk.get(f"/panel/products/new/?seller={seller_id}").status_code == 200
    category = make_variant(seller_a).product.category
    response = desk.post(
        "/panel/products/new/",
        {
            "seller": seller_id,
            "name": "زعفران رشته",
            "category": gid("Category", category.pk),
            "price": "۹۰۰۰۰",
            "stock": "2",
        },
    )
    assert response.status_code == 302
    assert Product.objects.get(name="زعفران رشته").seller_id == seller_a.pk


def test_a_seller_cannot_edit_another_sellers_product(seller_b, member_product):
    intruder = signed_in_client(seller_b.owner)
    url = f"/panel/products/{gid('Product', member_product.pk)}/"
    # Unpublished, it does not exist for them; published, it is not theirs to change.
    assert intruder.get(url).status_code == 404
    assert intruder.post(url, edit_data(member_product, name="دزدیده")).status_code == 404
    member_product.is_published = True
    member_product.save()
    page = intruder.get(url)
    assert page.status_code == 403 and DENIED in page.content.decode()
    response = intruder.post(url, edit_data(member_product, name="دزدیده"))
    assert response.status_code == 400 and DENIED in response.content.decode()
    member_product.refresh_from_db()
    assert member_product.name == "زعفران دسته"
    published = intruder.post(f"{url}publish/", {"publish": "0"})
    assert published.status_code == 302
    member_product.refresh_from_db()
    assert member_product.is_published
    new_for_other = intruder.get(
        f"/panel/products/new/?seller={gid('Seller', member_product.seller_id)}"
    )
    assert new_for_other.status_code == 403


def test_staff_of_another_cooperative_see_nothing(staff_b, seller_a, coop_a):
    make_seller("waiting@example.com", "دامداری نو", coop_a, status=SellerStatus.PENDING)
    other = signed_in_client(staff_b)
    for page in ("", "products/", "warehouses/", "shipments/"):
        assert other.get(f"/panel/coop/torbat-saffron/{page}").status_code == 404
    assert other.post("/panel/coop/torbat-saffron/approve/", {"seller": "x"}).status_code == 404


def test_warehouses_list_and_add(staff_a, coop_a):
    desk = signed_in_client(staff_a)
    Warehouse.objects.create(name="انبار مرکزی", cooperative=coop_a)
    assert "انبار مرکزی" in desk.get("/panel/coop/torbat-saffron/warehouses/").content.decode()
    empty = desk.post("/panel/coop/torbat-saffron/warehouses/", {"name": "  "})
    assert empty.status_code == 400 and field_errors(empty.content.decode(), "name")
    added = desk.post("/panel/coop/torbat-saffron/warehouses/", {"name": "انبار کدکن"})
    assert added.status_code == 302
    assert Warehouse.objects.filter(cooperative=coop_a, name="انبار کدکن").exists()
    assert Warehouse.objects.filter(cooperative=coop_a).count() == 2


def test_shipments_to_prepare_and_the_producers_orders(staff_a, seller_a, buyer):
    ensure_seeded()
    variant = make_variant(seller_a, name="زعفران پوشال")
    checkout = make_checkout([(variant, 2)], user=buyer)
    order, _payment = order_services.complete_checkout(
        actor=buyer, checkout=checkout, gateway="cod"
    )
    desk = signed_in_client(staff_a).get("/panel/coop/torbat-saffron/shipments/")
    html = desk.content.decode()
    assert desk.status_code == 200
    assert str(order.number) in html and "زعفران پوشال" in html and "Being prepared" in html
    producer = signed_in_client(seller_a.owner).get("/panel/orders/").content.decode()
    assert str(order.number) in producer and "زعفران پوشال" in producer
    assert "Being prepared" in producer


JUNK = [
    ("/panel/apply/", {"name": "x" * 5000, "phone": "abc", "village": "!!", "cooperative": "z"}),
    ("/panel/products/new/", {"seller": "not-an-id", "name": "a"}),
    ("/panel/products/new/", {"name": "a", "category": "Q2F0ZWdvcnk6OTk5OTk5", "price": "1e9"}),
    ("/panel/products/UHJvZHVjdDo5OTk5OTk5/", {"name": "a"}),
    ("/panel/products/%00%00/", {}),
    ("/panel/products/x/publish/", {"publish": "1"}),
    ("/panel/coop/torbat-saffron/approve/", {"seller": "U2VsbGVyOjk5OTk5OQ=="}),
    ("/panel/coop/torbat-saffron/approve/", {}),
    ("/panel/coop/torbat-saffron/warehouses/", {"name": "x" * 999}),
    ("/panel/orders/?after=junk", None),
    ("/panel/products/?after=junk", None),
    ("/panel/coop/torbat-saffron/shipments/?after=%%%", None),
]


@pytest.mark.parametrize(("url", "data"), JUNK)
def test_junk_requests_never_fail_on_the_server(staff_a, seller_a, url, data):
    ensure_seeded()
    for user in (staff_a, seller_a.owner):
        browser = signed_in_client(user)
        response = browser.get(url) if data is None else browser.post(url, data)
        assert response.status_code < 500, (url, response.status_code)


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get("/panel/products/")
    assert response.status_code == 302 and "next=%2Fpanel%2Fproducts%2F" in response["Location"]
