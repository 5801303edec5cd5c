"""The search and category listings: search words (typed with Arabic-keyboard letters too),
filters (category, cooperative, price in toman, in stock), sort, cursor pages, and query
strings that no form would send."""

from __future__ import annotations

import re
from urllib.parse import quote, urlencode

import pytest
from django.test import Client

from tests.storefront import shop_catalogue
from tests.storefront.shop_catalogue import Shop, add_products

shop = shop_catalogue.shop
fresh_cache = shop_catalogue.fresh_cache

pytestmark = pytest.mark.django_db


def names(client: Client, url: str, *, lang: str = "fa") -> list[str]:
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=lang)
    assert response.status_code == 200, url
    return re.findall(r'<span class="name">([^<]+)</span>\s*</a>', response.content.decode())


def search(client: Client, **params: str) -> list[str]:
    return names(client, "/search/?" + urlencode(params))


def test_search_finds_products_by_persian_words_typed_on_an_arabic_keyboard(client, shop: Shop):
    assert search(client, q="سرگل") == ["زعفران سرگل"]
    assert search(client, q="زعفران")[0] == "زعفران سرگل"  # the rug's producer grows saffron
    assert set(search(client, q="كشمش")) == {"کشمش سبز", "کشمش پلویی"}  # Arabic kaf
    assert search(client, q="Sargol") == ["زعفران سرگل"]


def test_search_page_shows_its_words_and_count(client, shop: Shop):
    html = client.get("/search/?q=" + quote("کشمش")).content.decode()
    assert "نتیجه‌های «کشمش»" in html
    assert "۲ محصول" in html
    assert 'id="site-search" type="search" name="q" value="کشمش"' in html


def test_filters_by_category_cooperative_and_stock(client, shop: Shop):
    assert set(search(client, category="dried-fruit-nuts")) == {"کشمش سبز", "کشمش پلویی"}
    assert set(search(client, cooperative="torbat-saffron")) == {"زعفران سرگل", "قالیچه دستباف"}
    assert search(client, category="dried-fruit-nuts", stock="1") == ["کشمش سبز"]
    assert set(names(client, "/c/raisins/?stock=1&cooperative=kashmar-raisin")) == {"کشمش سبز"}


def test_price_range_is_in_toman_with_any_digits(client, shop: Shop):
    # Prices: raisins 300,000, pilaf raisins 400,000, saffron 1,250,000, rug 9,000,000 toman.
    assert search(client, min="350000", max="2000000", sort="price") == [
        "کشمش پلویی",
        "زعفران سرگل",
    ]
    assert search(client, min="۳۵۰٬۰۰۰", max="٢,٠٠٠,٠٠٠", sort="price") == [
        "کشمش پلویی",
        "زعفران سرگل",
    ]
    assert search(client, max="300000") == ["کشمش سبز"]


def test_sorts(client, shop: Shop):
    by_price = ["کشمش سبز", "کشمش پلویی", "زعفران سرگل", "قالیچه دستباف"]
    assert search(client, sort="price") == by_price
    assert search(client, sort="-price") == by_price[::-1]
    assert search(client, sort="newest") == [
        "قالیچه دستباف",
        "کشمش پلویی",
        "کشمش سبز",
        "زعفران سرگل",
    ]
    assert search(client) == search(client, sort="newest")
    assert set(search(client, sort="rating")) == set(by_price)


def test_cursor_pages_forward_and_back(client, shop: Shop):
    add_products(shop, 30)
    first = client.get("/c/raisins/?sort=price").content.decode()
    first_names = re.findall(r'<span class="name">([^<]+)</span>', first)
    assert len(first_names) == 24 and "۳۲ محصول" in first
    assert 'rel="prev"' not in first
    next_url = re.search(r'<a rel="next" href="([^"]+)"', first).group(1).replace("&amp;", "&")
    assert next_url.startswith("/c/raisins/?sort=price&after=")
    second = client.get(next_url).content.decode()
    second_names = re.findall(r'<span class="name">([^<]+)</span>', second)
    assert len(second_names) == 8 and not set(first_names) & set(second_names)
    assert 'rel="next"' not in second
    prev_url = re.search(r'<a rel="prev" href="([^"]+)"', second).group(1).replace("&amp;", "&")
    assert "before=" in prev_url
    back = client.get(prev_url).content.decode()
    assert re.findall(r'<span class="name">([^<]+)</span>', back) == first_names
    assert 'rel="prev"' not in back and 'rel="next"' in back


def test_a_bad_price_is_shown_as_an_error_and_ignored(client, shop: Shop):
    html = client.get("/search/?min=abc&max=300000").content.decode()
    assert 'id="f-min" name="min" inputmode="numeric" value="" aria-invalid="true"' in html
    assert "مبلغ را به تومان و بدون اعشار وارد کنید." in html
    assert re.findall(r'<span class="name">([^<]+)</span>', html) == ["کشمش سبز"]


@pytest.mark.parametrize(
    "query",
    [
        "min=abc&max=-5",
        "min=1e999&max=nan",
        "min=99999999999999999999999999999&max=1.5",
        "after=garbage",
        "after=YXJyYXljb25uZWN0aW9uOi05OQ==",
        "before=YXJyYXljb25uZWN0aW9uOjk5OTk5OTk5OTk5OTk5OTk5OTk5OQ==",
        "after=" + "A" * 5000,
        "after=YXJyYXljb25uZWN0aW9uOjA=&before=YXJyYXljb25uZWN0aW9uOjE=",
        "q=" + "زعفران" * 2000,
        "q=%00%01",
        "q=" + quote("'); DROP TABLE x; --"),
        "q=%25%5F%5C",
        "sort=DROP&category=nope&cooperative=%00&stock=maybe",
        "category=saffron&category=raisins&min=1&min=2",
        "q=&min=&max=&sort=&after=&before=",
    ],
)
@pytest.mark.parametrize("path", ["/search/", "/c/raisins/", "/s/zahra/", "/"])
def test_no_query_string_breaks_a_page(client, shop: Shop, path: str, query: str):
    response = client.get(f"{path}?{query}")
    assert response.status_code == 200


def test_a_search_that_finds_nothing_offers_spellings_categories_and_the_newest(client, shop: Shop):
    response = client.get("/search/?" + urlencode({"q": "قالی موبایل"}), HTTP_ACCEPT_LANGUAGE="fa")
    html = response.content.decode()
    assert "محصولی با «قالی موبایل» پیدا نشد." in html
    # «قالی» is the start of «قالیچه», but one word of two as a prefix is too little.
    suggestions = html[html.index('id="suggestions-title"') : html.index('id="browse-title"')]
    assert f'href="/search/?{urlencode({"q": "قالیچه"})}">قالیچه</a>' in suggestions
    assert 'href="/c/dried-fruit-nuts/">خشکبار و آجیل</a>' in html
    newest = html[html.index('id="newest-title"') :]
    assert 'class="name">قالیچه دستباف</span>' in newest
    assert "جستجوی دوباره بدون فیلترها" not in html


def test_a_filtered_search_that_finds_nothing_offers_to_drop_the_filters(client, shop: Shop):
    html = client.get(
        "/search/?" + urlencode({"q": "قالیچه", "category": "dried-fruit-nuts"}),
        HTTP_ACCEPT_LANGUAGE="fa",
    ).content.decode()
    assert f'href="/search/?{urlencode({"q": "قالیچه"})}">جستجوی دوباره بدون فیلترها</a>' in html


def test_the_filters_say_what_they_do_and_open_on_a_wide_screen(client, shop: Shop):
    html = client.get("/search/?q=" + quote("کشمش"), HTTP_ACCEPT_LANGUAGE="fa").content.decode()
    assert "<summary><h2>فیلتر و مرتب‌سازی</h2></summary>" in html
    assert "پالایه" not in html
    # Closed on a phone (above the results), opened where they sit beside the results.
    assert '<details class="filters card" id="filters">' in html
    assert 'matchMedia("(min-width:56rem)")' in html
    filtered = client.get("/search/?stock=1", HTTP_ACCEPT_LANGUAGE="fa").content.decode()
    assert '<details class="filters card" id="filters" open>' in filtered
