"""The locations admin: lists, filters, and search that understands Arabic-keyboard names."""

import pytest
from django.test import Client

from marketplace.accounts.models import User
from marketplace.locations.models import County

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client: Client) -> Client:
    user = User.objects.create_superuser(email="geo-admin@example.com", password="Saffron-1405")
    client.force_login(user)
    return client


def listed(response) -> list[str]:
    assert response.status_code == 200
    return [str(row) for row in response.context["cl"].result_list]


@pytest.mark.parametrize("model", ["province", "county", "village"])
def test_lists_and_add_forms_render(staff_client, model):
    assert staff_client.get(f"/admin/locations/{model}/").status_code == 200
    assert staff_client.get(f"/admin/locations/{model}/add/").status_code == 200


def test_village_search_matches_arabic_letters_and_english_names(staff_client):
    assert listed(staff_client.get("/admin/locations/village/", {"q": "كالو"})) == ["کالو"]
    assert listed(staff_client.get("/admin/locations/village/", {"q": "Bozhan"})) == ["بوژان"]


def test_villages_filter_by_province(staff_client):
    province = County.objects.get(name="کلات").province
    rows = listed(
        staff_client.get("/admin/locations/village/", {"county__province__id__exact": province.pk})
    )
    assert "کالو" in rows and len(rows) >= 40


def test_the_county_autocomplete_finds_counties(staff_client):
    response = staff_client.get(
        "/admin/autocomplete/",
        {
            "app_label": "locations",
            "model_name": "village",
            "field_name": "county",
            "term": "Kalat",
        },
    )
    assert response.status_code == 200
    assert [result["text"] for result in response.json()["results"]] == ["کلات"]
