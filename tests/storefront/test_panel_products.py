"""The producers' panel end to end through Django's test client: apply, get approved by
the cooperative's staff, list a product with a phone photo and a price in toman typed
in Persian digits, publish and unpublish it, and see it (or not) in the shop's search."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from marketplace.catalog.models import Category, Product, ProductMedia, VariantChannelListing
from marketplace.inventory.models import Stock, Warehouse
from marketplace.locations.models import Village
from marketplace.sellers.models import Seller, SellerStatus
from tests.builders.accounts import make_user
from tests.builders.images import jpeg, pdf
from tests.storefront.panel_support import (
    field_errors,
    media_root,  # noqa: F401  (autouse fixture)
    public_names,
    signed_in_client,
)
from tests.support import gid

pytestmark = pytest.mark.django_db


def photo(data: bytes, name: str = "camera.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="image/jpeg")


@pytest.fixture
def village() -> Village:
    return Village.objects.select_related("county").order_by("id").first()


@pytest.fixture
def saffron() -> Category:
    return Category.objects.get(slug="saffron")


def apply_as_seller(browser, coop, village) -> Seller:
    assert browser.get("/panel/")["Location"] == "/panel/apply/"
    page = browser.get("/panel/apply/")
    assert page.status_code == 200 and coop.name in page.content.decode()
    found = browser.post("/panel/apply/", {"village_q": village.name, "find_village": "1"})
    assert found.status_code == 200
    village_id = gid("Village", village.pk)
    assert village_id in found.content.decode()
    response = browser.post(
        "/panel/apply/",
        {
            "name": "زعفران خانواده کریمی",
            "description": "سه نسل است که زعفران می‌کاریم.",
            "phone": "۰۹۱۵۱۲۳۴۵۶۷",
            "village_q": village.name,
            "village": village_id,
            "cooperative": gid("Cooperative", coop.pk),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return Seller.objects.get(name="زعفران خانواده کریمی")


def test_apply_approve_list_publish_and_unpublish(coop_a, staff_a, village, saffron):
    producer = make_user("karimi@example.com")
    browser = signed_in_client(producer)
    seller = apply_as_seller(browser, coop_a, village)
    assert seller.status == SellerStatus.PENDING
    assert seller.phone == "+989151234567" and seller.village_id == village.pk
    waiting = browser.get("/panel/").content.decode()
    assert "Waiting for approval" in waiting
    assert browser.get("/panel/products/")["Location"] == "/panel/"

    desk = signed_in_client(staff_a)
    applicants = desk.get(f"/panel/coop/{coop_a.slug}/").content.decode()
    assert "زعفران خانواده کریمی" in applicants and "۰۹۱۵۱۲۳۴۵۶۷" not in applicants
    approved = desk.post(
        f"/panel/coop/{coop_a.slug}/approve/", {"seller": gid("Seller", seller.pk)}
    )
    assert approved.status_code == 302
    seller.refresh_from_db()
    assert seller.status == SellerStatus.APPROVED
    assert "زعفران خانواده کریمی" not in desk.get(f"/panel/coop/{coop_a.slug}/").content.decode()

    form = browser.get("/panel/products/new/").content.decode()
    # Camera or gallery: no capture attribute forcing the camera.
    assert "capture=" not in form and 'accept="image/*"' in form
    response = browser.post(
        "/panel/products/new/",
        {
            "name": "زعفران سرگل کریمی",
            "description": "برداشت پاییز",
            "category": gid("Category", saffron.pk),
            "village_q": village.name,
            "village": gid("Village", village.pk),
            "price": "۲۵۰٬۰۰۰",
            "stock": "۱۲",
            "unit": "یک مثقال",
            "weight": "۰٫۰۰۵",
            "photo": photo(jpeg()),
            "is_published": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    product = Product.objects.get(name="زعفران سرگل کریمی")
    assert product.is_published and product.seller_id == seller.pk
    assert product.origin_id == village.pk
    variant = product.variants.get()
    assert variant.name == "یک مثقال" and variant.weight == Decimal("0.005")
    listing = VariantChannelListing.objects.get(variant=variant)
    assert listing.price == Decimal(2_500_000) and listing.currency == "IRR"
    stock = Stock.objects.get(variant=variant)
    assert stock.quantity == 12
    # The cooperative had no warehouse: the producer's own was made for the stock.
    assert stock.warehouse.seller_id == seller.pk
    assert ProductMedia.objects.filter(product=product).count() == 1
    assert "زعفران سرگل کریمی" in public_names("زعفران سرگل")

    listed = browser.get("/panel/products/").content.decode()
    assert "زعفران سرگل کریمی" in listed
    edit_url = f"/panel/products/{gid('Product', product.pk)}/"
    edit_page = browser.get(edit_url).content.decode()
    assert 'value="250000"' in edit_page and 'value="12"' in edit_page

    response = browser.post(
        edit_url,
        {
            "name": "زعفران سرگل ممتاز",
            "description": "برداشت پاییز ۱۴۰۳",
            "category": gid("Category", saffron.pk),
            "village": gid("Village", village.pk),
            "price": "300000",
            "stock": "8",
            "unit": "دو مثقال",
            "weight": "0.01",
            "is_published": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    product.refresh_from_db()
    assert product.name == "زعفران سرگل ممتاز"
    assert VariantChannelListing.objects.get(variant=variant).price == Decimal(3_000_000)
    assert Stock.objects.get(variant=variant).quantity == 8
    variant.refresh_from_db()
    assert variant.name == "دو مثقال" and variant.weight == Decimal("0.010")

    hidden = browser.post(f"{edit_url}publish/", {"publish": "0", "next": "/panel/products/"})
    assert hidden["Location"] == "/panel/products/"
    product.refresh_from_db()
    assert not product.is_published
    assert "زعفران سرگل ممتاز" not in public_names("زعفران سرگل")
    assert "زعفران سرگل ممتاز" in browser.get("/panel/products/").content.decode()
    browser.post(f"{edit_url}publish/", {"publish": "1"})
    assert "زعفران سرگل ممتاز" in public_names("زعفران سرگل")


def test_member_stock_goes_to_the_cooperative_warehouse(seller_a, saffron):
    warehouse = Warehouse.objects.create(name="انبار تربت", cooperative=seller_a.cooperative)
    browser = signed_in_client(seller_a.owner)
    response = browser.post(
        "/panel/products/new/",
        {
            "name": "زعفران نگین",
            "category": gid("Category", saffron.pk),
            "price": "1,200,000",
            "stock": "5",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    stock = Stock.objects.get(variant__product__name="زعفران نگین")
    assert stock.warehouse_id == warehouse.pk and stock.quantity == 5
    assert not Warehouse.objects.filter(seller=seller_a).exists()
    product = Product.objects.get(name="زعفران نگین")
    assert not product.is_published
    assert "زعفران نگین" not in public_names("زعفران نگین")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": ""}, "name"),
        ({"price": "-50000"}, "price"),
        ({"price": "ده هزار"}, "price"),
        ({"stock": "-3"}, "stock"),
        ({"weight": "-1"}, "weight"),
        ({"photo": "pdf"}, "photo"),
    ],
)
def test_bad_input_shows_field_errors_and_stores_nothing(seller_a, saffron, changes, field):
    browser = signed_in_client(seller_a.owner)
    data = {
        "name": "کشک محلی",
        "category": gid("Category", saffron.pk),
        "price": "۵۰۰۰۰",
        "stock": "3",
        "is_published": "on",
    }
    data |= changes
    if data.get("photo") == "pdf":
        data["photo"] = photo(pdf(), name="receipt.jpg")
    response = browser.post("/panel/products/new/", data)
    assert response.status_code == 400
    assert field_errors(response.content.decode(), field), response.content.decode()[:3000]
    assert not Product.objects.exists()
    assert not ProductMedia.objects.exists()
    assert not Stock.objects.exists()
