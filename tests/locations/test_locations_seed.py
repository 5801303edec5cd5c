"""The seed migration: Iran's provinces, Razavi Khorasan's counties and first villages."""

import importlib

import pytest
from django.apps import apps

from marketplace.locations.models import County, Province, Village
from marketplace.locations.search import village_search_text

pytestmark = pytest.mark.django_db

RAZAVI_KHORASAN_COUNTIES = {
    "مشهد",
    "نیشابور",
    "سبزوار",
    "تربت حیدریه",
    "تربت جام",
    "کاشمر",
    "قوچان",
    "گناباد",
    "درگز",
    "تایباد",
    "خواف",
    "چناران",
    "سرخس",
    "فریمان",
    "بردسکن",
    "رشتخوار",
    "کلات",
    "خلیل‌آباد",
    "مه‌ولات",
    "بجستان",
    "طرقبه شاندیز",
    "فیروزه",
    "جغتای",
    "زاوه",
    "جوین",
    "باخرز",
    "خوشاب",
    "داورزن",
    "صالح‌آباد",
    "کوهسرخ",
    "ششتمد",
    "زبرخان",
    "گلبهار",
    "میان‌جلگه",
}
ARABIC_LETTERS = set("يكى")


def seed_again() -> None:
    migration = importlib.import_module("marketplace.locations.migrations.0002_seed_locations")
    migration.seed_locations(apps, None)


def table_sizes() -> tuple[int, int, int]:
    return Province.objects.count(), County.objects.count(), Village.objects.count()


def test_the_31_provinces_have_their_iso_codes():
    codes = list(Province.objects.values_list("code", flat=True))
    assert len(codes) == 31
    assert set(codes) == {f"IR-{number:02d}" for number in range(31)}
    assert Province.objects.get(code="IR-09").name == "خراسان رضوی"
    assert Province.objects.get(code="IR-23").name_en == "Tehran"
    assert not Province.objects.filter(name_en="").exists()
    assert set(Province.objects.values_list("country", flat=True)) == {"IR"}


def test_every_razavi_khorasan_county_is_there_and_every_province_has_a_county():
    counties = County.objects.filter(province__code="IR-09")
    assert set(counties.values_list("name", flat=True)) == RAZAVI_KHORASAN_COUNTIES
    assert dict(counties.values_list("name", "name_en"))["تربت حیدریه"] == "Torbat-e Heydarieh"
    assert not County.objects.filter(name_en="").exists()
    assert not Province.objects.filter(counties__isnull=True).exists()
    assert County.objects.get(province__code="IR-07").name == "شیراز"


def test_villages_are_seeded_with_search_text_and_persian_letters():
    villages = list(Village.objects.select_related("county__province"))
    assert len(villages) >= 40
    assert len({village.county_id for village in villages}) >= 8
    assert {village.county.province.code for village in villages} == {"IR-09"}
    for village in villages:
        assert village.name_en
        assert village.search_text == village_search_text(village.name, village.name_en)
        assert not ARABIC_LETTERS & set(village.name + village.county.name)
    bozhan = Village.objects.get(name="بوژان")
    assert (bozhan.county.name, bozhan.name_en) == ("نیشابور", "Bozhan")


def test_running_the_seed_again_changes_nothing():
    before = table_sizes()
    seed_again()
    assert table_sizes() == before


def test_the_seed_matches_rows_spelled_otherwise_and_fills_blank_english_names():
    County.objects.filter(name="کاشمر").update(name="كاشمر")  # Arabic kaf
    Village.objects.filter(name="کالو").update(name_en="", search_text="")
    before = table_sizes()

    seed_again()

    assert table_sizes() == before
    kalu = Village.objects.get(name="کالو")
    assert kalu.name_en == "Kalu"
    assert kalu.search_text == village_search_text("کالو", "Kalu")
