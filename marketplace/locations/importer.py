"""Bulk, idempotent import of counties and villages from a gazetteer (rows of names).

Provinces come from the seed migration only; a row naming an unknown province is an error.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from django.db import transaction

from marketplace.core.normalize import normalize_text
from marketplace.locations.models import County, Province, Village
from marketplace.locations.search import village_search_text
from marketplace.locations.signals import villages_renamed

COLUMNS = ("province", "county", "county_en", "village", "village_en")
REQUIRED_COLUMNS = ("province", "county", "village")
BATCH_SIZE = 2000
PROGRESS_EVERY = 10_000

_PERSIAN_LETTERS = str.maketrans({"ي": "ی", "ى": "ی", "ك": "ک"})
_COUNTY_NAME_MAX = County._meta.get_field("name").max_length
_COUNTY_NAME_EN_MAX = County._meta.get_field("name_en").max_length
_VILLAGE_NAME_MAX = Village._meta.get_field("name").max_length
_VILLAGE_NAME_EN_MAX = Village._meta.get_field("name_en").max_length


@dataclass(frozen=True)
class RowError:
    row: int
    reason: str

    def __str__(self) -> str:
        return f"row {self.row}: {self.reason}"


@dataclass
class ImportReport:
    """Village counts are per row (each valid row created, updated or left a village
    unchanged); county counts are per county."""

    dry_run: bool = False
    rows: int = 0
    created: int = 0
    updated: int = 0
    skipped: int = 0
    counties_created: int = 0
    counties_updated: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        return (
            f"{self.rows} rows: {self.created} villages created, {self.updated} updated, "
            f"{self.skipped} unchanged; {self.counties_created} counties created, "
            f"{self.counties_updated} updated; {len(self.errors)} rows with errors"
        )


def name_key(value: str) -> str:
    """Match names however they are typed: Arabic or Persian letters, diacritics, and a ZWNJ
    typed as a space or left out (مه‌ولات, مه ولات, مهولات are one county)."""
    return normalize_text(value).replace(" ", "")


def clean_name(value: object) -> str:
    """The form stored for a new row: Persian ی and ک, single spaces, ZWNJ kept."""
    if value is None:
        return ""
    return " ".join(str(value).translate(_PERSIAN_LETTERS).split())


@dataclass
class _Row:
    province: Province
    county: str
    county_en: str
    village: str
    village_en: str


class _Plan:
    """What the rows ask for, worked out against the database before anything is written."""

    def __init__(self) -> None:
        self.provinces_by_code: dict[str, Province] = {}
        self.provinces_by_key: dict[str, Province] = {}
        for province in Province.objects.all():
            self.provinces_by_code[province.code.upper()] = province
            self.provinces_by_key.setdefault(name_key(province.name), province)
            self.provinces_by_key.setdefault(name_key(province.name_en), province)
        self.counties: dict[tuple[int, str], County] = {
            (county.province_id, name_key(county.name)): county
            for county in County.objects.only("id", "province_id", "name", "name_en")
        }
        # All villages in one query (plain tuples: a national gazetteer is ~100,000 rows).
        self.villages: dict[tuple[int, str], tuple[int, str, str]] = {
            (county_id, name_key(name)): (pk, name, name_en)
            for pk, county_id, name, name_en in Village.objects.values_list(
                "id", "county_id", "name", "name_en"
            )
        }
        self.new_counties: dict[tuple[int, str], County] = {}
        self.changed_counties: dict[int, County] = {}
        self.new_villages: dict[tuple[tuple[int, str], str], Village] = {}
        self.changed_villages: dict[int, Village] = {}

    def province(self, value: str) -> Province | None:
        return self.provinces_by_code.get(value.strip().upper()) or self.provinces_by_key.get(
            name_key(value)
        )

    def add(self, row: _Row, report: ImportReport) -> None:
        county_key, county = self._county(row, report)
        key = name_key(row.village)
        existing = self.villages.get((county.pk, key)) if county.pk else None
        if existing is None:
            if (county_key, key) in self.new_villages:
                report.skipped += 1  # the same village again further down the file
                return
            self.new_villages[(county_key, key)] = Village(
                county=county,
                name=row.village,
                name_en=row.village_en,
                search_text=village_search_text(row.village, row.village_en),
            )
            report.created += 1
            return
        pk, name, name_en = existing
        if pk in self.changed_villages:
            name_en = self.changed_villages[pk].name_en
        if not row.village_en or row.village_en == name_en:
            report.skipped += 1
            return
        report.updated += 1
        self.changed_villages[pk] = Village(
            pk=pk,
            name=name,
            name_en=row.village_en,
            search_text=village_search_text(name, row.village_en),
        )

    def _county(self, row: _Row, report: ImportReport) -> tuple[tuple[int, str], County]:
        key = (row.province.pk, name_key(row.county))
        county = self.counties.get(key) or self.new_counties.get(key)
        if county is None:
            county = County(province=row.province, name=row.county, name_en=row.county_en)
            self.new_counties[key] = county
            report.counties_created += 1
        elif county.pk and row.county_en and row.county_en != county.name_en:
            county.name_en = row.county_en
            if county.pk not in self.changed_counties:
                report.counties_updated += 1
            self.changed_counties[county.pk] = county
        return key, county

    def save(self) -> None:
        County.objects.bulk_create(self.new_counties.values(), batch_size=BATCH_SIZE)
        County.objects.bulk_update(
            self.changed_counties.values(), ["name_en"], batch_size=BATCH_SIZE
        )
        new_villages = list(self.new_villages.values())
        for village in new_villages:
            # The county may have been created just above; take its new id.
            village.county_id = village.county.pk
        # bulk_create skips Village.save(), so search_text was computed when planning.
        Village.objects.bulk_create(new_villages, batch_size=BATCH_SIZE)
        Village.objects.bulk_update(
            self.changed_villages.values(), ["name_en", "search_text"], batch_size=BATCH_SIZE
        )
        if self.changed_villages:
            villages_renamed.send(Village, village_ids=list(self.changed_villages))


def _validate(number: int, raw: Mapping[str, object], plan: _Plan) -> _Row | RowError:
    values = {column: clean_name(raw.get(column)) for column in COLUMNS}
    for column in REQUIRED_COLUMNS:
        if not values[column]:
            return RowError(number, f"missing {column} name")
    province = plan.province(values["province"])
    if province is None:
        return RowError(number, f"unknown province “{values['province']}”")
    limits = (
        ("county", _COUNTY_NAME_MAX),
        ("county_en", _COUNTY_NAME_EN_MAX),
        ("village", _VILLAGE_NAME_MAX),
        ("village_en", _VILLAGE_NAME_EN_MAX),
    )
    for column, limit in limits:
        if len(values[column]) > limit:
            return RowError(number, f"{column} is longer than {limit} characters")
    if not name_key(values["county"]) or not name_key(values["village"]):
        return RowError(number, "a county or village name has no letters")
    return _Row(
        province=province,
        county=values["county"],
        county_en=values["county_en"],
        village=values["village"],
        village_en=values["village_en"],
    )


def import_gazetteer(
    rows: Iterable[Mapping[str, object]],
    *,
    dry_run: bool = False,
    start: int = 1,
    progress: Callable[[ImportReport, str], None] | None = None,
) -> ImportReport:
    """Upsert the counties and villages in `rows` (columns: province — Persian name or code —,
    county, county_en, village, village_en) in one transaction.

    Existing rows are matched by normalised name, so Arabic-keyboard spellings find them; a
    matched row only changes when the file gives a different English name. Bad rows are
    reported with their number (counted from `start`) and change nothing. With `dry_run` the
    report is the same but nothing is written. `progress`, if given, hears the report every
    PROGRESS_EVERY rows ("reading") and around the writes ("saving", "saved"): a national
    gazetteer takes a while.
    """
    report = ImportReport(dry_run=dry_run)
    with transaction.atomic():
        plan = _Plan()
        for number, raw in enumerate(rows, start=start):
            report.rows += 1
            row = _validate(number, raw, plan)
            if isinstance(row, RowError):
                report.errors.append(row)
            else:
                plan.add(row, report)
            if progress is not None and report.rows % PROGRESS_EVERY == 0:
                progress(report, "reading")
        if not dry_run:
            if progress is not None:
                progress(report, "saving")
            plan.save()
            if progress is not None:
                progress(report, "saved")
    return report
