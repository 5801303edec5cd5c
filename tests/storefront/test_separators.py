"""In Vazirmatn the middle dot "·" looks like a Persian zero: no Persian page may put it
next to a digit («۴ تا ۸ روز · ۵۰٬۰۰۰» reads «۴۰ تا ۸ روز»)."""

from __future__ import annotations

import html as html_lib
import re

import pytest
from django.test import Client

from marketplace.sellers.models import CooperativeStaff
from tests.builders.accounts import ir_address, make_user
from tests.storefront import shop_catalogue
from tests.storefront.panel_support import signed_in_client
from tests.storefront.shop_catalogue import Shop
from tests.support import gid

shop = shop_catalogue.shop
fresh_cache = shop_catalogue.fresh_cache

pytestmark = pytest.mark.django_db

DIGIT = "0-9۰-۹٠-٩"
DOT_BY_DIGIT = re.compile(rf"[{DIGIT}]\s*·|·\s*[{DIGIT}]")


def visible_text(page: str) -> str:
    """The text a reader sees (and the title), tags and scripts left out."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    return html_lib.unescape(re.sub(r"<[^>]+>", " ", page))


def dots_by_digits(page: str) -> list[str]:
    text = re.sub(r"\s+", " ", visible_text(page))
    return [text[max(0, m.start() - 20) : m.end() + 20] for m in DOT_BY_DIGIT.finditer(text)]


def test_the_check_finds_a_dot_next_to_a_digit_across_tags():
    assert dots_by_digits("<p>۴ تا ۸ روز · <b>۵۰٬۰۰۰ تومان</b></p>")
    assert dots_by_digits("<p><strong>سفارش ۱۰۰۲</strong>\n · ۱۱ آذر</p>")
    assert not dots_by_digits("<p>زعفران · تربت</p><p>۴ تا ۸ روز – ۵۰٬۰۰۰</p>")


def persian_pages(shop: Shop) -> dict[str, list[str]]:
    """Who sees which pages: anonymous buyers, a signed-in buyer, the producer, the
    cooperative's clerk."""
    saffron = shop.products["saffron"]
    return {
        "anonymous": [
            "/",
            "/search/",
            "/search/?q=زعفران",
            "/c/saffron-spices/",
            "/c/raisins/",
            f"/p/{saffron.slug}/",
            f"/p/{shop.products['raisin'].slug}/",
            f"/s/{shop.saffron_seller.slug}/",
            f"/coop/{shop.saffron_coop.slug}/",
            "/no-such-page/",
            "/account/signup/",
        ],
        "buyer": ["/account/", "/account/addresses/", "/account/addresses/new/"],
        "producer": [
            "/panel/",
            "/panel/products/",
            "/panel/products/new/",
            f"/panel/products/{gid('Product', saffron.pk)}/",
        ],
        "clerk": [
            "/panel/",
            f"/panel/coop/{shop.saffron_coop.slug}/",
            f"/panel/coop/{shop.saffron_coop.slug}/products/",
            f"/panel/coop/{shop.saffron_coop.slug}/warehouses/",
        ],
    }


def test_no_persian_page_puts_a_middle_dot_next_to_a_digit(shop: Shop):
    buyer = make_user("dot-buyer@example.com")
    ir_address(user=buyer).save()
    clerk = make_user("dot-clerk@example.com")
    CooperativeStaff.objects.create(cooperative=shop.saffron_coop, user=clerk)
    clients = {
        "anonymous": Client(HTTP_ACCEPT_LANGUAGE="fa"),
        "buyer": signed_in_client(buyer, "fa"),
        "producer": signed_in_client(shop.saffron_seller.owner, "fa"),
        "clerk": signed_in_client(clerk, "fa"),
    }
    found = {}
    for who, urls in persian_pages(shop).items():
        for url in urls:
            response = clients[who].get(url)
            assert response.status_code in (200, 404), (who, url, response.status_code)
            page = response.content.decode()
            assert 'lang="fa"' in page, (who, url)
            if dots := dots_by_digits(page):
                found[url] = dots
    assert found == {}
