"""The buyers' pages render what the API holds: home, category, product, seller and
cooperative, in Persian (RTL, Persian digits, toman) and in English (LTR, English names)."""

from __future__ import annotations

import re

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse

from storefront.templatetags import shop_assets
from tests.storefront import shop_catalogue
from tests.storefront.shop_catalogue import Shop, add_products
from tests.support import gid

# The catalogue's fixtures, used by name below.
shop = shop_catalogue.shop
fresh_cache = shop_catalogue.fresh_cache

pytestmark = pytest.mark.django_db


def page(client: Client, url: str, *, lang: str = "fa", status: int = 200) -> str:
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=lang)
    assert response.status_code == status, url
    return response.content.decode()


def product_names(html: str) -> list[str]:
    return re.findall(r'<span class="name">([^<]+)</span>\s*</a>', html)


def test_home_shows_fresh_products_categories_and_cooperatives(client, shop: Shop):
    html = page(client, "/")
    assert 'dir="rtl"' in html and 'lang="fa"' in html
    # The sold-out product is not "fresh"; the others are, newest first.
    assert product_names(html) == ["قالیچه دستباف", "کشمش سبز", "زعفران سرگل"]
    assert 'href="/c/saffron-spices/"' in html and 'href="/c/dried-fruit-nuts/"' in html
    assert 'href="/coop/torbat-saffron/"' in html and "تعاونی کشمش کاشمر" in html
    # 3,000,000 rial are 300,000 toman, in Persian digits.
    assert "۳۰۰٬۰۰۰ تومان" in html


def test_product_cards_use_sized_lazy_webp_thumbnails(client, shop: Shop):
    html = page(client, "/")
    images = re.findall(r"<img [^>]+>", html)
    assert len(images) == 2  # the rug has no photo yet: a placeholder of the same size
    assert html.count('class="no-photo"') == 1
    for image in images:
        assert 'loading="lazy"' in image and 'width="240"' in image and 'height="240"' in image
        assert re.search(r'src="[^"]+_240\.webp"', image)
        assert re.search(r'srcset="[^"]+_240\.webp 1x, [^"]+_480\.webp 2x"', image)


def test_english_pages_are_ltr_with_english_names_and_toman(client, shop: Shop):
    html = page(client, "/", lang="en")
    assert 'dir="ltr"' in html and 'lang="en"' in html
    assert "Green raisins" in product_names(html) and "کشمش سبز" not in product_names(html)
    assert "300,000 toman" in html
    html = page(client, "/p/" + shop.products["saffron"].slug + "/", lang="en")
    assert "<h1>Sargol saffron</h1>" in html and "Add to cart" in html


def test_category_page_lists_its_products_and_those_of_its_subcategories(client, shop: Shop):
    html = page(client, "/c/raisins/")
    assert set(product_names(html)) == {"کشمش سبز", "کشمش پلویی"}
    assert f"<h1>{shop.raisins.name}</h1>" in html
    html = page(client, "/c/dried-fruit-nuts/")
    assert set(product_names(html)) == {"کشمش سبز", "کشمش پلویی"}
    assert 'href="/c/raisins/"' in html  # its subcategories as chips
    html = page(client, "/c/saffron-spices/", lang="en")
    assert product_names(html) == ["Sargol saffron"]


@pytest.mark.parametrize(
    "url", ["/c/no-such-category/", "/p/no-such-product/", "/s/nobody/", "/coop/none/"]
)
def test_unknown_slugs_are_not_found(client, shop: Shop, url: str):
    page(client, url, status=404)
    page(client, url.replace("no", "x" * 500), status=404)


def test_product_page_has_photos_variants_producer_and_cart_form(client, shop: Shop):
    product = shop.products["saffron"]
    html = page(client, reverse("shop:product", args=[product.slug]))
    assert "<h1>زعفران سرگل</h1>" in html
    assert re.search(r'class="main-photo" src="[^"]+_480\.webp"', html)
    assert "بسته 1" in html and "بسته 2" in html
    # Variant prices: 12,500,000 and 12,501,000 rial.
    assert "۱٬۲۵۰٬۰۰۰ تومان" in html and "۱٬۲۵۰٬۱۰۰ تومان" in html
    assert html.count("۵ عدد موجود") == 2
    assert "سه نسل است که زعفران می‌کاریم." in html
    assert shop.saffron_seller.village.name in html
    assert 'href="/coop/torbat-saffron/"' in html and 'href="/s/zahra/"' in html
    form = re.search(r'<form class="add-to-cart[^>]*>(.*?)</form>', html, re.S)
    assert form is not None
    assert 'method="post" action="/cart/add/"' in html
    variants = [gid("ProductVariant", v.pk) for v in product.variants.order_by("pk")]
    assert re.findall(r'name="variant" id="v-\d" value="([^"]+)"', form.group(1)) == variants
    assert 'name="quantity"' in form.group(1)
    url = reverse("shop:product", args=[product.slug])
    assert f'name="next" value="{url}"' in form.group(1)
    assert "csrfmiddlewaretoken" in form.group(1)
    # More from the same producer.
    assert "قالیچه دستباف" in html


def test_sold_out_product_cannot_be_added(client, shop: Shop):
    html = page(client, f"/p/{shop.products['sold_out'].slug}/")
    assert re.search(r'<button type="submit" disabled>', html)
    assert "ناموجود" in html


def test_seller_page_shows_story_village_and_products(client, shop: Shop):
    html = page(client, "/s/zahra/")
    assert '<h1 dir="auto">زعفران خانواده رضایی</h1>' in html
    assert "سه نسل است که زعفران می‌کاریم." in html
    assert shop.saffron_seller.village.name in html
    assert set(product_names(html)) == {"زعفران سرگل", "قالیچه دستباف"}
    assert 'href="/coop/torbat-saffron/"' in html


def test_pending_sellers_have_no_public_page(client, shop: Shop):
    page(client, f"/s/{shop.pending_seller.slug}/", status=404)


def test_cooperative_page_shows_members_and_products(client, shop: Shop):
    html = page(client, "/coop/kashmar-raisin/")
    assert '<h1 dir="auto">تعاونی کشمش کاشمر</h1>' in html
    assert 'href="/s/hosseini/"' in html
    assert "دامداری نو" not in html  # not approved yet
    assert set(product_names(html)) == {"کشمش سبز", "کشمش پلویی"}


def test_language_switcher_returns_to_the_same_page(client, shop: Shop):
    url = reverse("shop:product", args=[shop.products["raisin"].slug]) + "?x=1"
    html = page(client, url)
    assert f'name="next" type="hidden" value="{url}"' in html
    response = client.post("/i18n/setlang/", {"language": "en", "next": url})
    assert response.status_code == 302 and response["Location"] == url
    assert "Green raisins" in client.get(url).content.decode()


def test_seller_products_page_forward_and_back_to_the_start(client, shop: Shop):
    add_products(shop, 30)
    html = page(client, "/s/hosseini/")
    assert len(product_names(html)) == 24 and "۳۲ محصول" in html
    next_url = re.search(r'<a rel="next" href="([^"]+)"', html).group(1)
    second = page(client, next_url.replace("&amp;", "&"))
    assert len(product_names(second)) == 8
    assert '<a href="/s/hosseini/">صفحه نخست</a>' in second
    assert page(client, "/s/hosseini/?after=forged!").count('class="product-card"') == 24


def test_pages_fall_back_to_system_fonts_when_the_font_was_not_built(client, shop, settings):
    settings.STATICFILES_DIRS = []
    finders.get_finder.cache_clear()
    shop_assets._available.cache_clear()
    try:
        html = page(client, "/")
    finally:
        finders.get_finder.cache_clear()
        shop_assets._available.cache_clear()
    assert "@font-face" not in html and "site.css" in html


@pytest.mark.django_db(transaction=True)
def test_pages_render_the_same_through_the_api_over_http(client, shop: Shop, settings, live_server):
    urls = ["/", "/search/?q=" + "کشمش", "/c/raisins/", "/s/zahra/", "/coop/kashmar-raisin/"]
    in_process = {url: product_names(page(client, url)) for url in urls}
    settings.STOREFRONT_API_URL = f"{live_server.url}/graphql/"
    over_http = {url: product_names(page(client, url)) for url in urls}
    assert over_http == in_process and all(in_process.values())


def test_the_add_to_cart_form_is_what_the_cart_takes(client, shop: Shop):
    url = reverse("shop:product", args=[shop.products["saffron"].slug])
    form = re.search(r'<form class="add-to-cart[^>]*>(.*?)</form>', page(client, url), re.S)
    fields = dict(re.findall(r'name="(\w+)"[^>]*? value="([^"]*)"', form.group(1)))
    response = client.post(
        reverse("cart:add"),
        {"variant": fields["variant"], "quantity": "2", "next": fields["next"]},
    )
    # A visitor not signed in is asked for an e-mail address first, then the line is added.
    assert response.status_code in {200, 302}
    if response.status_code == 302:
        assert response["Location"] == url


def test_not_found_pages_keep_the_shop_layout_in_the_visitors_language(client, shop: Shop):
    html = page(client, "/p/no-such-product/", status=404)
    assert "<h1>صفحه پیدا نشد</h1>" in html and 'id="site-search"' in html
    html = page(client, "/no/such/path/", lang="en", status=404)
    assert "<h1>Page not found</h1>" in html and 'dir="ltr"' in html
