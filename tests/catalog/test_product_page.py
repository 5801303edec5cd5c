"""The product page's hand-written statement builds what the ORM's select_related builds."""

from __future__ import annotations

from decimal import Decimal

import pytest

from marketplace.catalog import product_page, services
from marketplace.catalog.models import Category, Product, ProductVariant
from marketplace.channels.models import Channel
from marketplace.locations.models import County, Province, Village
from marketplace.sellers.models import Seller
from tests.builders.catalog import make_product
from tests.builders.sellers import make_seller

pytestmark = pytest.mark.django_db

RELATIONS = (
    "seller",
    "seller__cooperative",
    "seller__village__county__province",
    "category",
    "origin__county__province",
)


def _values(instance) -> dict | None:
    if instance is None:
        return None
    return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}


def _walk(product, path: str):
    obj = product
    for name in path.split("__"):
        obj = getattr(obj, name) if obj is not None else None
    return obj


@pytest.fixture
def village(db) -> Village:
    province = Province.objects.create(code="T-KR", name="خراسان", name_en="Khorasan")
    county = County.objects.create(province=province, name="تربت")
    return Village.objects.create(county=county, name="روستای نمونه")


@pytest.mark.parametrize("with_places", [True, False])
def test_same_instances_as_select_related(seller_a, coop_a, village, with_places):
    seller = seller_a if with_places else make_seller("solo@example.com", "تنها", None)
    if with_places:
        seller.village = village
        seller.save()
    category = Category.objects.create(name="عسل", slug="t-honey")
    product = make_product(seller, "عسل کنار", category, intl=12, media=2)
    channel = Channel.objects.get(slug="intl")
    loaded, extra = product_page.load(channel.pk, slug=product.slug)
    expected = (
        Product.objects.select_related(*RELATIONS)
        .defer("search_vector", "search_text")
        .get(pk=product.pk)
    )
    for path in RELATIONS:
        assert _values(_walk(loaded, path)) == _values(_walk(expected, path)), path
    assert _values(loaded) == _values(expected)
    assert (extra.listing_currency, float(extra.listing_price_min)) == ("USD", 12.0)
    assert [m["alt"] for m in extra.media] == ["عکس 1", "عکس 2"]
    assert extra.attributes is None
    assert product_page.load(channel.pk, pk=product.pk)[0].slug == product.slug
    assert product_page.load(channel.pk, slug="missing") is None


def test_sellers_as_select_related_reads_them(seller_a, seller_b, village):
    solo = make_seller("solo@example.com", "تنها", None)
    seller_a.village = village
    seller_a.save()
    ids = [seller_a.pk, seller_b.pk, solo.pk]
    loaded = product_page.sellers_by_id(ids)
    expected = Seller.objects.select_related("cooperative", "village__county__province")
    for seller in expected.filter(pk__in=ids):
        for path in ("", "cooperative", "village", "village__county", "village__county__province"):
            got = _walk(loaded[seller.pk], path) if path else loaded[seller.pk]
            want = _walk(seller, path) if path else seller
            assert _values(got) == _values(want), path
    assert product_page.sellers_by_id([]) == {}


def test_variants_with_their_price_in_the_channel(seller_a):
    category = Category.objects.create(name="عسل", slug="t-honey")
    product = make_product(seller_a, "عسل کنار", category, variants=3)
    other = make_product(seller_a, "عسل گون", category, price=None)
    intl = Channel.objects.get(slug="intl")
    first = product.variants.order_by("sort_order", "id").first()
    services.set_variant_prices(
        actor=seller_a.owner, variant=first, prices=[services.PriceInput("intl", "7.5")]
    )
    variants = product_page.variants([product.pk, other.pk], intl.pk)
    expected = list(ProductVariant.objects.filter(product=product).order_by("sort_order", "id"))
    assert [_values(v) for v in variants] == [_values(v) for v in expected]
    assert [(v.price_currency, v.price_amount) for v in variants] == [
        ("USD", Decimal("7.50")),
        (None, None),
        (None, None),
    ]
