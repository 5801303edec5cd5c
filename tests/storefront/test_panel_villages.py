"""A producer names a village the list lacks, in the product form or when applying: it
is kept as proposed (out of the village search) for a clerk or the operator to confirm
or merge. Finding a village is also a small page of its own, so the form can refresh
its list without a reload."""

from __future__ import annotations

import pytest
from django.test import Client

from marketplace.catalog.models import Category, Product
from marketplace.locations.models import County, Village
from marketplace.sellers.models import Seller
from tests.builders.accounts import make_user
from tests.storefront.panel_support import (
    field_errors,
    media_root,  # noqa: F401  (autouse fixture)
    signed_in_client,
)
from tests.support import gid

pytestmark = pytest.mark.django_db


@pytest.fixture
def county() -> County:
    return Village.objects.select_related("county").order_by("id").first().county


def product_form(category: Category, **extra: str) -> dict[str, str]:
    return {
        "name": "کشک محلی",
        "category": gid("Category", category.pk),
        "price": "۱۲۰٬۰۰۰",
        "stock": "۵",
        **extra,
    }


def test_a_product_from_a_village_the_list_lacks(seller_a, county):
    browser = signed_in_client(seller_a.owner)
    category = Category.objects.get(slug="saffron")
    form = browser.get("/panel/products/new/").content.decode()
    assert 'name="new_village"' in form and 'name="new_village_county"' in form
    assert "capture" not in form

    response = browser.post(
        "/panel/products/new/",
        product_form(category, new_village="کاریزک", new_village_county=county.name),
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    village = Village.objects.get(name="کاریزک")
    assert not village.is_confirmed and village.proposed_by == seller_a.owner
    assert Product.objects.get(name="کشک محلی").origin == village


def test_a_proposal_needs_its_county_and_a_bad_form_proposes_nothing(seller_a, county):
    browser = signed_in_client(seller_a.owner)
    category = Category.objects.get(slug="saffron")

    half = browser.post("/panel/products/new/", product_form(category, new_village="کاریزک"))
    assert half.status_code == 400
    assert field_errors(half.content.decode(), "new_village_county")
    unknown = browser.post(
        "/panel/products/new/",
        product_form(category, new_village="کاریزک", new_village_county="ناکجاآباد"),
    )
    assert unknown.status_code == 400
    assert field_errors(unknown.content.decode(), "new_village_county")
    nameless = browser.post(
        "/panel/products/new/",
        {
            **product_form(category, new_village="کاریزک", new_village_county=county.name),
            "name": "",
        },
    )
    assert nameless.status_code == 400
    assert not Village.objects.filter(name="کاریزک").exists()
    assert not Product.objects.filter(name="کشک محلی").exists()


def test_applying_from_a_proposed_village(county):
    producer = make_user("kadkani@example.com")
    browser = signed_in_client(producer)
    response = browser.post(
        "/panel/apply/",
        {
            "name": "کشک کدکنی",
            "phone": "۰۹۱۵۱۲۳۴۵۶۸",
            "new_village": "كدكن",
            "new_village_county": county.name,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    seller = Seller.objects.get(name="کشک کدکنی")
    assert seller.village.name == "کدکن" and not seller.village.is_confirmed


def test_the_village_list_without_a_reload(seller_a):
    village = Village.objects.order_by("id").first()
    browser = signed_in_client(seller_a.owner)
    found = browser.get("/panel/villages/", {"q": village.name}).content.decode()
    assert f'value="{gid("Village", village.pk)}"' in found and "<html" not in found
    none = browser.get("/panel/villages/", {"q": "ناکجاآباد"}).content.decode()
    assert 'id="village"' not in none
    assert Client().get("/panel/villages/", {"q": "ده"}).status_code == 302


def test_the_cooperatives_staff_confirm_their_members_proposed_villages(
    seller_a, seller_b, staff_a, staff_b, county
):
    category = Category.objects.get(slug="saffron")
    producer = signed_in_client(seller_a.owner)
    producer.post(
        "/panel/products/new/",
        product_form(category, new_village="کاریزک", new_village_county=county.name),
    )
    Village.objects.create(
        county=county, name="ده دیگر", is_confirmed=False, proposed_by=seller_b.owner
    )
    village = Village.objects.get(name="کاریزک")
    url = f"/panel/coop/{seller_a.cooperative.slug}/villages/"
    desk = signed_in_client(staff_a)
    page = desk.get(url).content.decode()
    assert "کاریزک" in page and "ده دیگر" not in page

    other = signed_in_client(staff_b)
    assert (
        "کاریزک"
        not in other.get(f"/panel/coop/{seller_b.cooperative.slug}/villages/").content.decode()
    )
    confirmed = desk.post(url, {"village": gid("Village", village.pk)})
    assert confirmed.status_code == 302
    village.refresh_from_db()
    assert village.is_confirmed
    assert "کاریزک" not in desk.get(url).content.decode()
    refused = producer.post(url, {"village": gid("Village", village.pk)})
    assert refused.status_code in (302, 403, 404)
