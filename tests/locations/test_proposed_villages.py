"""A producer names a village the list lacks: it is kept as proposed (out of the village
search) until a cooperative clerk or the operator confirms it or merges it into the
village it turns out to be."""

from __future__ import annotations

import pytest

from marketplace.locations import selectors
from marketplace.locations.models import County, Village
from marketplace.sellers.models import Seller
from tests.support import gid

pytestmark = pytest.mark.django_db

PROPOSE = """mutation ($name: String!, $county: String!) {
  villagePropose(name: $name, county: $county) {
    village { id name county isConfirmed } errors { field code }
  }
}"""


@pytest.fixture
def county(seeded) -> County:
    return Village.objects.select_related("county").order_by("id").first().county


def propose(api, user, name: str, county: str) -> dict:
    return api(PROPOSE, {"name": name, "county": county}, user=user)["data"]["villagePropose"]


def test_a_producer_names_a_village_that_stays_proposed(api, seller_a, county):
    result = propose(api, seller_a.owner, "کاریزک", county.name)
    assert result["errors"] == []
    assert result["village"]["name"] == "کاریزک" and not result["village"]["isConfirmed"]
    village = Village.objects.get(name="کاریزک")
    assert village.county == county and village.proposed_by == seller_a.owner
    assert "کاریزک" not in [v.name for v in selectors.search_villages("کاریزک")]
    # Named again (Arabic keyboard): the same village, not a second one.
    again = propose(api, seller_a.owner, "كاريزك", county.name_en or county.name)
    assert again["village"]["id"] == result["village"]["id"]


def test_a_known_village_is_found_not_proposed(api, seller_a, county):
    known = county.villages.first()
    before = Village.objects.count()
    result = propose(api, seller_a.owner, known.name, county.name)
    assert result["village"]["id"] == gid("Village", known.pk)
    assert result["village"]["isConfirmed"] is True
    assert Village.objects.count() == before


def test_bad_proposals_are_refused(api, seller_a, county):
    assert propose(api, seller_a.owner, "ده", "ناکجاآباد")["errors"] == [
        {"field": "county", "code": "INVALID"}
    ]
    assert propose(api, seller_a.owner, " ", county.name)["errors"][0]["field"] == "name"
    anonymous = api(PROPOSE, {"name": "ده", "county": county.name})["data"]["villagePropose"]
    assert anonymous["errors"][0]["code"] == "PERMISSION_DENIED"
    assert not Village.objects.filter(is_confirmed=False).exists()


def test_the_operator_confirms_or_merges_in_the_admin(api, seller_a, county, operator, client):
    propose(api, seller_a.owner, "کدکن", county.name)
    first = Village.objects.get(name="کدکن")
    Seller.objects.filter(pk=seller_a.pk).update(village=first)
    propose(api, seller_a.owner, "کاریزک", county.name)
    second = Village.objects.get(name="کاریزک")
    known = county.villages.filter(is_confirmed=True).first()
    client.force_login(operator)
    listed = client.get("/admin/locations/village/", {"is_confirmed__exact": "0"})
    assert "کدکن" in listed.content.decode() and known.name not in listed.content.decode()

    client.post(
        "/admin/locations/village/",
        {"action": "confirm", "_selected_action": [second.pk]},
    )
    second.refresh_from_db()
    assert second.is_confirmed

    response = client.post(
        "/admin/locations/village/",
        {"action": "merge", "_selected_action": [first.pk, known.pk]},
    )
    assert response.status_code == 302
    assert not Village.objects.filter(pk=first.pk).exists()
    seller_a.refresh_from_db()
    assert seller_a.village_id == known.pk
