"""SQL queries per shop page: pinned, and the same with many more products on the page."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from storefront import client as client_module
from tests.storefront import shop_catalogue
from tests.storefront.shop_catalogue import Shop, add_products

shop = shop_catalogue.shop
fresh_cache = shop_catalogue.fresh_cache

pytestmark = pytest.mark.django_db

# The most SQL queries each page may run (the API's batched loaders: one per relation).
PINNED = {
    "home": 8,
    "search": 14,
    "search-filtered": 8,
    "category": 9,
    "product": 10,  # the page of reviews is one of them
    "seller": 7,
    "cooperative": 7,
}


def urls(shop: Shop) -> dict[str, str]:
    return {
        "home": "/",
        "search": "/search/?q=" + "کشمش",
        "search-filtered": "/search/?cooperative=kashmar-raisin&min=1000&max=900000&stock=1&sort=price",
        "category": "/c/dried-fruit-nuts/",
        "product": reverse("shop:product", args=[shop.products["raisin"].slug]),
        "seller": "/s/hosseini/",
        "cooperative": "/coop/kashmar-raisin/",
    }


def queries(client: Client, url: str, lang: str = "fa") -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, HTTP_ACCEPT_LANGUAGE=lang)
    assert response.status_code == 200, url
    return len(context.captured_queries)


@pytest.mark.parametrize("lang", ["fa", "en"])
def test_queries_per_page_are_pinned_and_do_not_grow_with_products(client, shop: Shop, lang):
    add_products(shop, 3)
    few = {name: queries(client, url, lang) for name, url in urls(shop).items()}
    add_products(shop, 25, prefix="کشمش تازه")
    many = {name: queries(client, url, lang) for name, url in urls(shop).items()}
    # A search with few hits tries looser forms of its words (more queries), never more
    # with more products.
    assert all(many[name] <= few[name] for name in few), (few, many)
    assert {name: many[name] for name in many if name != "search"} == {
        name: few[name] for name in few if name != "search"
    }
    assert all(few[name] <= PINNED[name] for name in PINNED), few


# API requests per page: one, except where a slug must become an ID first.
API_CALLS = {
    "home": 1,
    "search": 1,
    "search-filtered": 2,
    "category": 2,
    "product": 1,
    "seller": 1,
    "cooperative": 2,
}


def test_api_requests_per_page(client, shop: Shop, monkeypatch):
    calls: list[str] = []
    send = client_module._send

    def counting(query: str, *args, **kwargs):
        calls.append(query)
        return send(query, *args, **kwargs)

    monkeypatch.setattr(client_module, "_send", counting)
    counted = {}
    for name, url in urls(shop).items():
        calls.clear()
        assert client.get(url).status_code == 200
        counted[name] = len(calls)
    assert counted == API_CALLS
