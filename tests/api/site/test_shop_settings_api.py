"""`shop`: the operator's contact details, policies and e-trust seal, in the asked
language, editable only in the admin."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from marketplace.api.inprocess import execute
from marketplace.site.models import SiteSettings

pytestmark = pytest.mark.django_db

SHOP = "{ shop { phone email address about returnPolicy terms trustSeal { url imageUrl } } }"


def test_before_the_operator_saves_anything_the_shop_is_blank():
    shop = execute(SHOP, language="fa")["data"]["shop"]
    assert shop == {
        "phone": "",
        "email": "",
        "address": "",
        "about": "",
        "returnPolicy": "",
        "terms": "",
        "trustSeal": None,
    }


def test_the_shop_in_persian_and_english_with_its_trust_seal():
    SiteSettings.objects.create(
        phone="+985138000000",
        address="مشهد، بلوار وکیل‌آباد، پلاک ۱۲",
        address_en="No. 12, Vakilabad Blvd, Mashhad",
        about="بازارچه",
        return_policy="هفت روز",
        return_policy_en="Seven days",
        enamad_id="123456",
        enamad_code="AbC&1",
    )
    shop = execute(SHOP, language="fa")["data"]["shop"]
    assert shop["address"] == "مشهد، بلوار وکیل‌آباد، پلاک ۱۲"
    assert shop["returnPolicy"] == "هفت روز"
    assert shop["trustSeal"] == {
        "url": "https://trustseal.enamad.ir/?id=123456&Code=AbC%261",
        "imageUrl": "https://trustseal.enamad.ir/logo.aspx?id=123456&Code=AbC%261",
    }
    english = execute(SHOP, language="en")["data"]["shop"]
    assert english["address"] == "No. 12, Vakilabad Blvd, Mashhad"
    assert english["returnPolicy"] == "Seven days"
    assert english["about"] == "بازارچه"  # no English text yet: the Persian one


def test_there_is_one_settings_row():
    SiteSettings.objects.create()
    with transaction.atomic(), pytest.raises(IntegrityError):
        SiteSettings.objects.create(pk=2)
    with transaction.atomic(), pytest.raises(IntegrityError):
        SiteSettings.objects.create()


def test_the_operator_edits_the_settings_in_the_admin(client, operator):
    client.force_login(operator)
    response = client.post(
        "/admin/site/sitesettings/add/",
        {"phone": "+985138000000", "enamad_id": "1", "enamad_code": "x", "terms": "قوانین"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert SiteSettings.objects.get().terms == "قوانین"
    assert client.get("/admin/site/sitesettings/add/").status_code == 403
    assert execute(SHOP, language="fa")["data"]["shop"]["terms"] == "قوانین"
