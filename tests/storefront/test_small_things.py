"""Small things with big effects: the not-found page in the shop's layout (under DEBUG
too), a quantity field that takes Persian digits, a sticky add-to-cart bar for phones and
a way to the cart once something is in it."""

from __future__ import annotations

import re
from urllib.parse import unquote

import pytest

from tests.storefront import shop_catalogue
from tests.storefront.shop_catalogue import Shop

shop = shop_catalogue.shop
fresh_cache = shop_catalogue.fresh_cache

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("debug", [False, True])
def test_the_not_found_page_has_the_shops_layout(client, settings, debug):
    settings.DEBUG = debug
    response = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="fa")
    assert response.status_code == 404
    html = response.content.decode()
    assert 'class="site-header"' in html and 'class="site-footer"' in html
    assert 'lang="fa"' in html and 'href="/search/"' in html
    assert "Using the URLconf" not in html


def test_under_debug_the_admin_keeps_djangos_not_found_page(client, settings):
    settings.DEBUG = True
    response = client.get("/admin/no-such/")
    assert response.status_code in (302, 404)
    assert 'class="site-header"' not in response.content.decode()


def test_the_product_page_takes_persian_digits_and_has_a_phone_buy_bar(client, shop: Shop):
    url = f"/p/{shop.products['saffron'].slug}/"
    html = client.get(url, HTTP_ACCEPT_LANGUAGE="fa").content.decode()
    quantity = re.search(r'<input id="quantity"[^>]*>', html).group()
    assert 'type="text"' in quantity and 'inputmode="numeric"' in quantity
    assert 'value="۱"' in quantity
    bar = re.search(r'<div class="buy-bar">(.*?)</div>', html, re.S).group(1)
    assert 'form="add-to-cart"' in bar and 'id="add-to-cart"' in html
    assert 'href="/cart/"' not in bar  # nothing in the cart yet

    form = re.search(
        r'<form class="add-to-cart[^"]*" id="add-to-cart".*?</form>', html, re.S
    ).group()
    variant = re.search(r'name="variant" id="v-1" value="([^"]+)"', form).group(1)
    added = client.post(
        "/cart/add/",
        {"variant": variant, "quantity": "۲", "next": url},
        HTTP_ACCEPT_LANGUAGE="fa",
    )
    assert added.status_code == 302 and unquote(added["Location"]) == url
    assert client.session["cart_size"] == 2
    html = client.get(url, HTTP_ACCEPT_LANGUAGE="fa").content.decode()
    assert html.count('class="go-to-cart" href="/cart/"') == 2
