"""The demo catalogue (products.json, its pictures and its loader) and the synthetic
product seed used by the benchmarks."""

from __future__ import annotations

import hashlib
import io
import json
import re
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db.models import Count, Max, Min, Q
from PIL import Image

from marketplace.catalog.models import (
    AttributeInputType,
    Product,
    ProductAttributeValue,
    ProductChannelListing,
    ProductMedia,
    ProductVariant,
    VariantChannelListing,
)
from marketplace.catalog.search.query import search_products
from marketplace.channels import money
from marketplace.demo import images
from marketplace.demo.catalog import (
    creation_order,
    demo_catalog_loaded,
    image_seed,
    load_catalog_data,
    load_demo_catalog,
    seller_email,
    variant_sku,
)
from marketplace.demo.dataset import load_dataset
from marketplace.demo.synthetic import SKU_PREFIX, load_words
from marketplace.inventory.models import Stock, Warehouse
from marketplace.sellers.models import SellerStatus

PERSIAN_LETTERS = re.compile("[\u0600-\u06ff]")
TAXONOMY = json.loads(
    (
        Path(__file__).resolve().parents[2] / "marketplace" / "catalog" / "data" / "taxonomy.json"
    ).read_text(encoding="utf-8")
)
DATA = load_catalog_data()
PRODUCTS = DATA["products"]
SELLERS = {s["email"]: s for s in load_dataset()["sellers"]}


def _categories(items) -> set[str]:
    return {
        slug for item in items for slug in (item["slug"], *_categories(item.get("children", [])))
    }


def sentences(text: str) -> int:
    return len([s for s in re.split(r"[.!?؟](?:\s|$)", text) if s.strip()])


# --- the data file (no database)


def test_there_are_at_least_150_products_from_every_approved_seller():
    assert len(PRODUCTS) >= 150
    sellers = Counter(seller_email(p["seller"]) for p in PRODUCTS)
    assert set(sellers) <= set(SELLERS)
    approved = {e for e, s in SELLERS.items() if s["status"] == SellerStatus.APPROVED}
    assert approved <= set(sellers)
    assert all(sellers[email] >= 4 for email in approved)


def test_names_and_descriptions_read_in_persian_and_english():
    for product in PRODUCTS:
        slug = product["slug"]
        assert PERSIAN_LETTERS.search(product["name"]), slug
        assert PERSIAN_LETTERS.search(product["description"]), slug
        assert product["name_en"] and not PERSIAN_LETTERS.search(product["name_en"]), slug
        assert not PERSIAN_LETTERS.search(product["description_en"]), slug
        assert 2 <= sentences(product["description"]) <= 4, slug
        assert 2 <= sentences(product["description_en"]) <= 4, slug
        # Persian text is written with Persian letters, never their Arabic look-alikes.
        assert not re.search("[يك]", product["name"] + product["description"]), slug


def test_categories_types_and_attributes_fit_the_taxonomy():
    categories = _categories(TAXONOMY["categories"])
    types = {t["slug"]: set(t["attributes"]) for t in TAXONOMY["product_types"]}
    attributes = {a["slug"]: a for a in TAXONOMY["attributes"]}
    for product in PRODUCTS:
        assert product["category"] in categories, product["slug"]
        assert set(product["attributes"]) <= types[product["type"]], product["slug"]
        for slug, value in product["attributes"].items():
            kind = attributes[slug]["input_type"]
            if kind == AttributeInputType.DROPDOWN:
                assert value in {v["slug"] for v in attributes[slug]["values"]}, product["slug"]
            elif kind == AttributeInputType.BOOLEAN:
                assert isinstance(value, bool)
            else:
                assert isinstance(value, int | float) and not isinstance(value, bool)
    # The catalogue covers the whole taxonomy's leaves.
    used = {p["category"] for p in PRODUCTS}
    assert {"saffron", "raisins", "barberry", "pistachios", "turquoise-jewellery"} <= used
    assert {"rugs-textiles", "pottery", "honey", "dairy", "grains-legumes"} <= used


def test_variants_have_unique_skus_weights_and_rial_prices():
    skus, slugs = [], []
    for product in PRODUCTS:
        slugs.append(product["slug"])
        assert 1 <= len(product["variants"]) <= 4, product["slug"]
        for variant in product["variants"]:
            pack = DATA["packs"][variant["pack"]]
            skus.append(variant_sku(product, pack))
            assert Decimal(variant.get("weight", pack["weight"])) > 0
            assert money.parse_price(variant["ir"], "IRR") == variant["ir"]
            # Rial prices of real shops end in whole thousands of toman.
            assert variant["ir"] % 10_000 == 0, product["slug"]
            if "intl" in variant:
                assert money.parse_price(variant["intl"], "USD") is not None
            assert isinstance(variant["stock"], int) and variant["stock"] >= 0
    assert len(set(skus)) == len(skus) and all(len(s) <= 64 for s in skus)
    assert len(set(slugs)) == len(slugs)
    sold_abroad = sum(all("intl" in v for v in p["variants"]) for p in PRODUCTS)
    assert sold_abroad > len(PRODUCTS) * 0.7


def test_prices_are_in_a_realistic_range():
    def unit_prices(category: str, pack: str) -> list[int]:
        return [
            v["ir"]
            for p in PRODUCTS
            if p["category"] == category
            for v in p["variants"]
            if v["pack"] == pack
        ]

    # Saffron: about 0.6–1.7 million toman a mesghal; pistachios 0.6–1.6 million a kilo.
    assert all(6_000_000 <= p <= 17_000_000 for p in unit_prices("saffron", "mesghal"))
    assert all(6_000_000 <= p <= 16_000_000 for p in unit_prices("pistachios", "1kg"))
    # Handwoven rugs: tens of millions of toman.
    rugs = [v["ir"] for p in PRODUCTS for v in p["variants"] if v["pack"].startswith("rug-")]
    assert rugs and all(50_000_000 <= p <= 1_500_000_000 for p in rugs)


def test_drafts_are_few_and_only_approved_sellers_have_products():
    published = [p for p in PRODUCTS if p.get("published", True)]
    assert len(PRODUCTS) * 0.8 <= len(published) < len(PRODUCTS)
    for product in PRODUCTS:
        seller = SELLERS[seller_email(product["seller"])]
        assert seller["status"] == SellerStatus.APPROVED, product["slug"]
    # Whatever is in the shop can be bought.
    assert all(v["stock"] > 0 for p in published for v in p["variants"])


def test_the_newest_products_are_every_sellers_flagship():
    """Created interleaved, so the shop's newest-first page is not one seller's range."""
    order = creation_order(PRODUCTS)
    assert sorted(p["slug"] for p in order) == sorted(p["slug"] for p in PRODUCTS)
    flagships = {}
    for product in PRODUCTS:
        flagships.setdefault(product["seller"], product["slug"])
    assert {p["slug"] for p in order[-len(flagships) :]} == set(flagships.values())


def test_pictures_are_deterministic_800_pixel_jpegs():
    product = PRODUCTS[0]
    first = images.render_jpeg(product["image"], image_seed(product))
    assert first == images.render_jpeg(product["image"], image_seed(product))
    picture = Image.open(io.BytesIO(first))
    assert picture.format == "JPEG" and picture.size == (800, 800)
    assert {p["image"] for p in PRODUCTS} <= set(images.MOTIFS)
    # Two products with the same motif still get different pictures.
    twins = [p for p in PRODUCTS if p["image"] == product["image"]][:2]
    assert len(twins) == 2
    assert images.render_jpeg(twins[0]["image"], image_seed(twins[0])) != images.render_jpeg(
        twins[1]["image"], image_seed(twins[1])
    )


def test_every_motif_draws_something_other_than_its_background():
    for motif in images.MOTIFS:
        picture = images.render(motif, 1)
        colours = picture.resize((64, 64)).getcolors(64 * 64)
        assert colours is not None and len(colours) > 40, motif


def test_synthetic_word_lists_fit_the_taxonomy():
    words = load_words()
    categories = _categories(TAXONOMY["categories"])
    types = {t["slug"]: set(t["attributes"]) for t in TAXONOMY["product_types"]}
    assert {t["category"] for t in words["themes"]} == {
        c for mix in words["seller_categories"].values() for c in mix
    }
    for theme in words["themes"]:
        assert theme["category"] in categories
        for item in theme["items"]:
            assert PERSIAN_LETTERS.search(item["fa"]) and not PERSIAN_LETTERS.search(item["en"])
            assert set(item.get("attributes", {})) <= types[theme["type"]]
            assert 0 < item["low"] <= item["high"]
            for pack, _factor in item.get("packs") or theme["packs"]:
                assert pack in DATA["packs"]
        assert len(theme["sentences"]) >= 2


# --- loading


def stored_picture(media: ProductMedia) -> Image.Image:
    with default_storage.open(media.image.name, "rb") as handle:
        data = handle.read()
    picture = Image.open(io.BytesIO(data))
    picture.load()
    return picture


@pytest.mark.django_db
def test_the_demo_catalogue_loads_once_through_the_services(capsys):
    call_command("load_demo_data")
    out = capsys.readouterr().out
    assert "Demo data loaded" in out and f"Demo catalogue loaded: {len(PRODUCTS)} products" in out

    products = list(
        Product.objects.select_related("seller__owner", "product_type").annotate(
            variant_count=Count("variants", distinct=True)
        )
    )
    assert len(products) == len(PRODUCTS) >= 150
    by_slug = {p.slug: p for p in products}
    for item in PRODUCTS:
        product = by_slug[item["slug"]]
        assert product.seller.owner.email == seller_email(item["seller"])
        assert product.name == item["name"] and product.name_en == item["name_en"]
        assert product.description_en == item["description_en"]
        assert product.is_published == item.get("published", True)
        assert product.variant_count == len(item["variants"])
        assert product.search_vector is not None and product.origin_id == product.seller.village_id
    published = sum(p.is_published for p in products)
    assert len(products) * 0.8 <= published < len(products)

    # Every variant is priced in rial; each product's price range matches its variants.
    variants = ProductVariant.objects.annotate(
        ir=Count("listings", filter=Q(listings__channel__slug="ir"))
    )
    assert variants.filter(ir=1).count() == variants.count()
    ranges = {
        (r.product_id, r.currency): (r.price_min, r.price_max)
        for r in ProductChannelListing.objects.all()
    }
    computed = VariantChannelListing.objects.values("variant__product_id", "currency").annotate(
        low=Min("price"), high=Max("price")
    )
    assert len(ranges) == len(computed)
    for row in computed:
        assert ranges[(row["variant__product_id"], row["currency"])] == (row["low"], row["high"])

    # Stock sits in the cooperative's warehouse, or an independent seller's own one.
    for stock in Stock.objects.select_related("warehouse", "variant__product__seller"):
        seller = stock.variant.product.seller
        if seller.cooperative_id:
            assert stock.warehouse.cooperative_id == seller.cooperative_id
        else:
            assert stock.warehouse.seller_id == seller.pk
    independents = {
        s["email"]
        for s in SELLERS.values()
        if not s["cooperative"] and s["status"] == SellerStatus.APPROVED
    }
    assert Warehouse.objects.filter(seller__owner__email__in=independents).count() == len(
        independents
    )
    assert Stock.objects.count() == ProductVariant.objects.count()

    # Attribute values belong to the product's type, and choices to their attribute.
    values = ProductAttributeValue.objects.select_related("product__product_type", "value")
    assert values.count() == sum(len(p["attributes"]) for p in PRODUCTS)
    allowed = {
        p.product_type_id: set(p.product_type.attributes.values_list("pk", flat=True))
        for p in products
    }
    for value in values:
        assert value.attribute_id in allowed[value.product.product_type_id]
        if value.value_id is not None:
            assert value.value.attribute_id == value.attribute_id

    # One decodable 800×800 photo per product, each different from all the others.
    media = list(ProductMedia.objects.all())
    assert len(media) == len(products)
    assert {m.product_id for m in media} == {p.pk for p in products}
    digests = set()
    for item in media:
        picture = stored_picture(item)
        assert picture.size == (800, 800) == (item.width, item.height)
        assert item.alt == by_slug_name(products, item.product_id)
        digests.add(hashlib.sha256(picture.tobytes()).hexdigest())
    assert len(digests) == len(media)

    # Search finds the demo products, Persian spelled with Arabic letters included.
    shop = Product.objects.filter(is_published=True)
    assert search_products(shop, "زعفران سرگل").filter(category__slug="saffron").count() >= 5
    assert search_products(shop, "پسته اكبري").exists()
    assert search_products(shop, "turquoise ring").exists()

    # A second load changes nothing.
    counts = (Product.objects.count(), ProductVariant.objects.count(), ProductMedia.objects.count())
    assert demo_catalog_loaded()
    call_command("load_demo_data")
    assert "catalogue is already loaded" in capsys.readouterr().out
    assert load_demo_catalog() == 0
    after = (Product.objects.count(), ProductVariant.objects.count(), ProductMedia.objects.count())
    assert after == counts


def by_slug_name(products: list[Product], product_id: int) -> str:
    return next(p.name for p in products if p.pk == product_id)


@pytest.mark.django_db
def test_the_marketplace_alone_can_be_loaded_without_the_catalogue(capsys):
    call_command("load_demo_data", "--without-catalog")
    assert "Demo data loaded" in capsys.readouterr().out
    assert not Product.objects.exists()


# --- synthetic products


@pytest.mark.django_db
def test_seed_products_creates_exactly_that_many_searchable_priced_products(capsys):
    # How fast it seeds is measured by the benchmarks (they print it), not asserted here.
    call_command("seed_products", "500")
    assert "Created 500 synthetic products" in capsys.readouterr().out

    products = Product.objects.filter(variants__sku__startswith=SKU_PREFIX).distinct()
    assert products.count() == Product.objects.count() == 500
    assert products.filter(is_published=True, search_vector__isnull=False).count() == 500
    assert products.filter(seller__status=SellerStatus.APPROVED).count() == 500
    assert products.values("seller").distinct().count() >= 20
    assert products.values("category").distinct().count() >= 12
    # Every seller's village has its English name in the word lists.
    assert not products.filter(name_en__startswith="Khorasan").exists()

    variants = ProductVariant.objects.filter(product__in=products)
    per_product = Counter(variants.values_list("product_id", flat=True))
    assert set(per_product.values()) <= {1, 2, 3} and len(per_product) == 500
    assert VariantChannelListing.objects.filter(channel__slug="ir").count() == variants.count()
    assert VariantChannelListing.objects.filter(channel__slug="intl").exists()
    assert Stock.objects.filter(variant__in=variants, quantity__gt=0).count() == variants.count()
    ranges = ProductChannelListing.objects.filter(channel__slug="ir")
    assert ranges.count() == 500
    computed = {
        row["variant__product_id"]: (row["low"], row["high"])
        for row in VariantChannelListing.objects.filter(channel__slug="ir")
        .values("variant__product_id")
        .annotate(low=Min("price"), high=Max("price"))
    }
    assert {r.product_id: (r.price_min, r.price_max) for r in ranges} == computed
    intl = ProductChannelListing.objects.filter(channel__slug="intl")
    assert (
        intl.count() == products.filter(variants__listings__channel__slug="intl").distinct().count()
    )

    sample = products.order_by("pk").first()
    assert PERSIAN_LETTERS.search(sample.name) and PERSIAN_LETTERS.search(sample.description)
    assert sample.name_en and not PERSIAN_LETTERS.search(sample.name_en + sample.description_en)
    assert search_products(products, sample.name).filter(pk=sample.pk).exists()
    assert (
        search_products(products, "زعفران").exists() or search_products(products, "پسته").exists()
    )


@pytest.mark.django_db
def test_seed_products_runs_again_with_fresh_slugs_and_skus_and_the_same_names():
    call_command("seed_products", "40", "--seed", "3", stdout=io.StringIO())
    first = list(Product.objects.order_by("pk").values_list("name", "slug"))
    call_command("seed_products", "40", "--seed", "3", "--batch-size", "7", stdout=io.StringIO())
    second = list(Product.objects.order_by("pk").values_list("name", "slug"))[40:]
    assert [name for name, _ in first] == [name for name, _ in second]
    slugs = [slug for _, slug in first + second]
    assert len(set(slugs)) == 80
    skus = list(ProductVariant.objects.values_list("sku", flat=True))
    assert len(set(skus)) == len(skus)


@pytest.mark.django_db
def test_seed_products_refuses_a_count_below_one():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("seed_products", "0")
