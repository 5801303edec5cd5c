"""The channel switch in the header: in the international channel the shop's pages show
the products sold there in US dollars; back in rial, toman again."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.builders.catalog import make_product
from tests.storefront import shop_catalogue
from tests.storefront.shop_catalogue import Shop

shop = shop_catalogue.shop
fresh_cache = shop_catalogue.fresh_cache

pytestmark = pytest.mark.django_db


@pytest.fixture
def abroad(shop: Shop):
    return make_product(
        shop.saffron_seller,
        "زعفران نگین",
        shop.saffron,
        price=14_000_000,
        intl=12.5,
        name_en="Negin saffron",
    )


def switch(client: Client, to: str, back: str = "/") -> None:
    response = client.post("/cart/channel/", {"channel": to, "next": back})
    assert response.status_code == 302 and response["Location"] == back


def test_pages_show_dollar_prices_in_the_international_channel(client, shop: Shop, abroad):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    pages = ["/", f"/p/{abroad.slug}/", "/s/zahra/", "/coop/torbat-saffron/", "/search/?q=saffron"]
    for url in pages:
        assert "12.50 USD" not in client.get(url).content.decode(), url
    switch(client, "intl")
    for url in pages:
        html = client.get(url).content.decode()
        assert "12.50 USD" in html and "1,400,000 toman" not in html, url
    assert "Prices in toman" in html
    switch(client, "ir")
    assert "1,400,000 toman" in client.get(f"/p/{abroad.slug}/").content.decode()


def test_an_unknown_channel_changes_nothing(client, shop: Shop, abroad):
    client.post("/cart/channel/", {"channel": "mars", "next": "/"})
    assert "12.50 USD" not in client.get(f"/p/{abroad.slug}/").content.decode()


def test_a_product_not_sold_abroad_is_shown_without_a_price_or_cart(client, shop: Shop):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    switch(client, "intl")
    response = client.get(f"/p/{shop.products['raisin'].slug}/")
    html = response.content.decode()
    assert response.status_code == 200 and "<h1>Green raisins</h1>" in html
    assert "This product is not sold in US dollars" in html
    assert "toman</p>" not in html and 'action="/cart/add/"' not in html
