"""The cooperative desk's members' products as a table: stock, price and status in
columns, a search, a member filter and a stock filter; the table scrolls in its own box
so its header row stays on a phone; status words are the shared ones."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.utils import translation

from marketplace.catalog.models import Product
from marketplace.catalog.search.index import reindex_products
from marketplace.catalog.services import refresh_price_ranges
from storefront.account import statuses
from tests.builders.catalog import make_variant
from tests.builders.seed import ensure_seeded
from tests.builders.sellers import make_seller
from tests.storefront.panel_support import (
    media_root,  # noqa: F401  (autouse fixture)
    signed_in_client,
)
from tests.support import gid

pytestmark = pytest.mark.django_db
URL = "/panel/coop/torbat-saffron/products/"
CSS = Path(__file__).resolve().parents[2] / "storefront/static/storefront/css/panel.css"


def rows(html: str) -> dict[str, list[str]]:
    """Each body row's cells as text, by the product's name."""
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    found = {}
    for row in re.findall(r"<tr>(.*?)</tr>", body, re.S):
        cells = [
            re.sub(r"<[^>]+>|\s+", " ", c).strip()
            for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        ]
        found[cells[0]] = cells[1:5]
    return found


@pytest.fixture
def products(seller_a, coop_a):
    ensure_seeded()
    other = make_seller("member-two@example.com", "کشمش باغ نو", coop_a)
    made = [
        make_variant(seller_a, name="زعفران سرگل", quantity=7, price=2_500_000),
        make_variant(seller_a, name="زعفران پوشال", quantity=0, published=False),
        make_variant(other, name="کشمش سبز", quantity=3, price=900_000),
    ]
    names = ["Saffron threads", "Saffron pushal", "Green raisins"]
    for variant, name_en in zip(made, names, strict=True):
        Product.objects.filter(pk=variant.product_id).update(name_en=name_en)
    refresh_price_ranges([variant.product_id for variant in made])
    reindex_products([variant.product_id for variant in made])
    return other


def test_the_table_shows_stock_price_and_status(staff_a, products):
    desk = signed_in_client(staff_a)
    html = desk.get(URL).content.decode()
    assert re.search(r'<div class="table-scroll"[^>]*>\s*<table', html)
    headers = re.findall(r'<th scope="col">([^<]+)</th>', html)
    assert headers[:5] == ["Product", "Member", "Price", "Stock", "Status"]
    table = rows(html)
    assert table["Saffron threads"] == ["زعفران خانواده رضایی", "250,000 toman", "7", "In the shop"]
    assert table["Saffron pushal"][2:] == ["0", "Not published"]
    assert table["Green raisins"][0] == "کشمش باغ نو"


def test_search_and_filters(staff_a, seller_a, products):
    desk = signed_in_client(staff_a)
    assert set(rows(desk.get(URL, {"q": "raisins"}).content.decode())) == {"Green raisins"}
    member = desk.get(URL, {"member": gid("Seller", products.pk)}).content.decode()
    assert set(rows(member)) == {"Green raisins"}
    in_stock = rows(desk.get(URL, {"stock": "in"}).content.decode())
    assert set(in_stock) == {"Saffron threads", "Green raisins"}
    out = rows(
        desk.get(URL, {"stock": "out", "member": gid("Seller", seller_a.pk)}).content.decode()
    )
    assert set(out) == {"Saffron pushal"}
    nothing = desk.get(URL, {"q": "گوشی موبایل"}).content.decode()
    assert "No product matches these filters." in nothing
    junk = desk.get(URL, {"member": "junk", "stock": "maybe", "q": "x" * 500})
    assert junk.status_code == 200


def test_headers_stay_on_phones():
    css = CSS.read_text()
    assert "thead{display:none}" not in css.replace(" ", "")
    assert re.search(r"\.panel-table thead th\{[^}]*position:sticky", css)
    assert re.search(r"\.table-scroll\{[^}]*overflow:auto", css)


def test_one_word_for_one_shipment_state_in_the_shop_and_the_panels():
    from storefront.panel import labels

    assert not hasattr(labels, "SHIPMENT_STATUS") and not hasattr(labels, "SELLER_STATUS")
    with translation.override("fa"):
        assert str(statuses.SHIPMENT["UNFULFILLED"]) != "Being prepared"
        assert statuses.product_label({"isPublished": True}) == str(statuses.PRODUCT["PUBLISHED"])
