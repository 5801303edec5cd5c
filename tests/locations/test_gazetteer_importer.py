"""import_gazetteer: bulk, idempotent upsert of counties and villages."""

import pytest

from marketplace.locations.importer import import_gazetteer
from marketplace.locations.models import County, Village
from marketplace.locations.search import village_search_text

pytestmark = pytest.mark.django_db

KHORASAN = "خراسان رضوی"


def row(
    village: str,
    village_en: str = "",
    *,
    county: str = "کاشمر",
    county_en: str = "",
    province: str = KHORASAN,
) -> dict[str, str]:
    return {
        "province": province,
        "county": county,
        "county_en": county_en,
        "village": village,
        "village_en": village_en,
    }


ROWS = [
    row("کلاته نمونه", "Kalateh-ye Nemuneh"),
    row("ده آزمایشی", "Deh-e Azmayeshi"),
    row("نمونه‌آباد", "Nemunehabad", county="شهرستان نمونه", county_en="Sample County"),
]


def table_sizes() -> tuple[int, int]:
    return County.objects.count(), Village.objects.count()


def test_creates_counties_and_villages_with_search_text():
    counties, villages = table_sizes()

    report = import_gazetteer(ROWS)

    assert report.ok and not report.dry_run
    assert (report.rows, report.created, report.updated, report.skipped) == (3, 3, 0, 0)
    assert (report.counties_created, report.counties_updated) == (1, 0)
    assert table_sizes() == (counties + 1, villages + 3)
    kalateh = Village.objects.select_related("county__province").get(name="کلاته نمونه")
    assert kalateh.county.name == "کاشمر"
    assert kalateh.county.province.code == "IR-09"
    assert kalateh.search_text == village_search_text("کلاته نمونه", "Kalateh-ye Nemuneh")
    sample = County.objects.get(name="شهرستان نمونه")
    assert (sample.name_en, sample.province.name) == ("Sample County", KHORASAN)
    assert list(sample.villages.values_list("name", "name_en")) == [("نمونه‌آباد", "Nemunehabad")]


def test_a_second_run_changes_nothing():
    import_gazetteer(ROWS)
    sizes = table_sizes()

    report = import_gazetteer(ROWS)

    assert (report.created, report.updated, report.skipped) == (0, 0, 3)
    assert (report.counties_created, report.counties_updated) == (0, 0)
    assert table_sizes() == sizes


def test_arabic_letter_spellings_match_existing_rows():
    sizes = table_sizes()
    rows = [
        # Arabic yeh in the province, Arabic kaf in the county and the village.
        row("كالو", "Kaloo", county="كلات", province="خراسان رضوي"),
        # The ZWNJ typed as a space, and left out.
        row("زرنوخ", county="مه ولات"),
        row("خیرآباد", county="مهولات"),
        row("بوژان", "Bozhan", county="نيشابور", province="ir-09"),
    ]

    report = import_gazetteer(rows)

    assert report.ok
    assert (report.created, report.updated, report.skipped) == (0, 1, 3)
    assert report.counties_created == 0
    assert table_sizes() == sizes
    kalu = Village.objects.get(county__name="کلات", name="کالو")
    assert kalu.name_en == "Kaloo"
    assert kalu.search_text == village_search_text("کالو", "Kaloo")


def test_new_names_are_stored_with_persian_letters_and_english_names_are_updated():
    import_gazetteer([row("كلاته يك", county="کاشمر")])
    village = Village.objects.get(county__name="کاشمر", name="کلاته یک")

    report = import_gazetteer([row("کلاته یک", "Kalateh Yek", county="كاشمر", county_en="Kashmar")])

    assert (report.updated, report.counties_updated) == (1, 0)
    village.refresh_from_db()
    assert village.name_en == "Kalateh Yek"
    assert "kalateh yek" in village.search_text


def test_bad_rows_are_reported_and_change_nothing():
    sizes = table_sizes()
    rows = [
        row("ده درست", "Deh-e Dorost"),
        row("ده بی‌استان", county="شهرستان تازه", province="استان ناموجود"),
        row("", county="شهرستان تازه"),
        row("ده بی‌شهرستان", county=""),
        row("ا" * 151, county="شهرستان تازه"),
        row("ده", "x" * 151),
        row("ده", province=""),
    ]

    report = import_gazetteer(rows, start=2)

    assert (report.rows, report.created) == (7, 1)
    assert [(error.row, error.reason) for error in report.errors] == [
        (3, "unknown province “استان ناموجود”"),
        (4, "missing village name"),
        (5, "missing county name"),
        (6, "village is longer than 150 characters"),
        (7, "village_en is longer than 150 characters"),
        (8, "missing province name"),
    ]
    assert str(report.errors[0]) == "row 3: unknown province “استان ناموجود”"
    assert not report.ok
    assert table_sizes() == (sizes[0], sizes[1] + 1)
    assert not County.objects.filter(name="شهرستان تازه").exists()
    assert Village.objects.filter(name="ده درست").exists()


def test_a_dry_run_reports_without_saving():
    sizes = table_sizes()

    report = import_gazetteer([*ROWS, row("ده", province="نامعلوم")], dry_run=True)

    assert report.dry_run
    assert (report.created, report.counties_created, len(report.errors)) == (3, 1, 1)
    assert table_sizes() == sizes
    assert not Village.objects.filter(name="کلاته نمونه").exists()


def test_a_village_repeated_in_the_file_is_created_once():
    report = import_gazetteer([row("ده تکراری"), row("ده تكراري"), row("ده  تکراری ")])

    assert (report.created, report.skipped) == (1, 2)
    assert Village.objects.filter(name="ده تکراری").count() == 1


def test_a_large_file_takes_a_fixed_number_of_queries(django_assert_max_num_queries):
    rows = [row(f"ده شماره {number}", f"Village {number}") for number in range(5000)]
    rows += [row(f"ده {number}", county=f"شهرستان {number}") for number in range(50)]

    with django_assert_max_num_queries(12):
        report = import_gazetteer(rows)

    assert (report.created, report.counties_created) == (5050, 50)
    assert Village.objects.filter(name__startswith="ده شماره ").count() == 5000
    assert Village.objects.get(name="ده شماره 7").search_text == "ده شماره 7 village 7"
