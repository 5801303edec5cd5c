"""search_villages over the seeded villages: Persian, Arabic keyboard, English, county."""

import pytest

from marketplace.locations.models import County, Village
from marketplace.locations.selectors import search_villages

pytestmark = pytest.mark.django_db


def names(query: str | None) -> list[str]:
    return [village.name for village in search_villages(query)]


def test_an_empty_query_lists_every_village_by_name():
    assert names(None) == names("  ") == sorted(Village.objects.values_list("name", flat=True))
    assert len(names("")) == Village.objects.count()


def test_finds_a_village_by_its_persian_name():
    assert names("بوژان") == ["بوژان"]
    assert names("زرن") == ["زرنوخ"]


def test_finds_a_village_typed_on_an_arabic_keyboard():
    assert names("كالو") == ["کالو"]  # Arabic kaf
    assert names("زعفرانيه") == ["زعفرانیه"]  # Arabic yeh


def test_finds_a_village_by_its_english_name_in_any_case():
    assert names("Bozhan") == ["بوژان"]
    assert names("kARDEH")[0] == "کارده"
    assert names("abardeh")[:2] == ["ابرده سفلی", "ابرده علیا"]


def test_a_misspelt_name_is_found_by_similarity():
    assert names("zafaranieh") == ["زعفرانیه"]
    assert names("بوژن")[0] == "بوژان"


def test_a_county_name_lists_its_villages():
    kalat = set(Village.objects.filter(county__name="کلات").values_list("name", flat=True))
    assert kalat == {"کالو", "لاین کهنه"}
    assert set(names("كلات")) == kalat  # Arabic kaf
    assert set(names("Kalat")) == kalat
    neyshabur = set(Village.objects.filter(county__name="نیشابور").values_list("name", flat=True))
    assert set(names("نيشابور")) == neyshabur  # Arabic yeh
    mahvelat = set(Village.objects.filter(county__name="مه‌ولات").values_list("name", flat=True))
    assert set(names("مه ولات")) == set(names("مهولات")) == mahvelat


def test_name_prefixes_come_before_other_matches():
    county = County.objects.get(name="کلات")
    Village.objects.create(county=county, name="ده کلاته", name_en="Deh-e Kalateh")
    Village.objects.create(county=county, name="کلاته نو", name_en="Kalateh-ye Now")
    Village.objects.create(county=county, name="شیرکلاته", name_en="Shirkalateh")

    results = search_villages("كلاته")

    # Name prefix, then a later word's prefix, then anywhere inside a word.
    assert [village.name for village in results[:3]] == ["کلاته نو", "ده کلاته", "شیرکلاته"]
    assert results[0].county.province.code == "IR-09"


def test_results_come_with_county_and_province_in_a_few_queries(django_assert_num_queries):
    with django_assert_num_queries(2):
        villages = list(search_villages("مه ولات"))
        provinces = {village.county.province.code for village in villages}
    assert len(villages) == 5 and provinces == {"IR-09"}
    with django_assert_num_queries(1):
        assert [village.county.name for village in search_villages("")[:1]] == ["نیشابور"]
