"""The shop's own pages (about, contact, returns, terms) show the operator's text and the
e-trust seal; the producer's photo and the cooperative's address are on their pages."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from marketplace.site.models import SiteSettings
from tests.storefront import shop_catalogue
from tests.storefront.shop_catalogue import Shop

shop = shop_catalogue.shop
fresh_cache = shop_catalogue.fresh_cache

pytestmark = pytest.mark.django_db


def page(client, url: str, lang: str = "fa") -> str:
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=lang)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.mark.parametrize("url", ["/about/", "/contact/", "/returns/", "/terms/"])
def test_every_page_links_the_shops_pages_from_the_footer(client, url):
    html = page(client, "/")
    assert f'href="{url}"' in html
    assert "<h1>" in page(client, url)


def test_contact_and_policies_with_the_trust_seal(client):
    SiteSettings.objects.create(
        phone="+985138000000",
        email="hello@bazarcheh.example",
        address="مشهد، پلاک ۱۲",
        return_policy="تا هفت روز پس از رسیدن بسته",
        return_policy_en="Up to seven days after delivery",
        enamad_id="99",
        enamad_code="abc",
    )
    cache.clear()
    contact = page(client, "/contact/")
    assert "+۹۸۵۱۳۸۰۰۰۰۰۰" in contact and 'href="tel:+985138000000"' in contact
    assert "مشهد، پلاک ۱۲" in contact and "hello@bazarcheh.example" in contact
    assert 'href="https://trustseal.enamad.ir/?id=99&amp;Code=abc"' in contact
    assert "تا هفت روز پس از رسیدن بسته" in page(client, "/returns/")
    assert "Up to seven days after delivery" in page(client, "/returns/", "en")


def test_the_producers_photo_and_the_cooperatives_address(client, shop: Shop, media_root):
    seller = shop.saffron_seller
    seller.photo.save("zahra.jpg", _tiny_jpeg())
    shop.saffron_coop.address = "تربت حیدریه، خیابان فردوسی، پلاک ۷"
    shop.saffron_coop.phone = "+985152220000"
    shop.saffron_coop.save()
    cache.clear()
    html = page(client, f"/s/{seller.slug}/")
    assert f'src="{seller.photo.url}"' in html and 'class="portrait"' in html
    html = page(client, f"/coop/{shop.saffron_coop.slug}/")
    assert "تربت حیدریه، خیابان فردوسی، پلاک ۷" in html and "+۹۸۵۱۵۲۲۲۰۰۰۰" in html


def _tiny_jpeg():
    from io import BytesIO

    from django.core.files.base import ContentFile
    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", (8, 8), "brown").save(buffer, "JPEG")
    return ContentFile(buffer.getvalue())
