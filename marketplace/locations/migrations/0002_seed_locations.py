"""Seed Iran's provinces, Razavi Khorasan's counties and a first set of villages from
data/iran.json. Safe to run again: existing rows are matched (provinces by code or name,
counties and villages by normalised name) and only blank English names are filled in."""

import json
from pathlib import Path

from django.db import migrations

from marketplace.core.normalize import normalize_text
from marketplace.locations.search import village_search_text

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "iran.json"


def _key(name: str) -> str:
    return normalize_text(name).replace(" ", "")


def seed_locations(apps, schema_editor):
    Province = apps.get_model("locations", "Province")
    County = apps.get_model("locations", "County")
    Village = apps.get_model("locations", "Village")
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    country = data["country"]

    for item in data["provinces"]:
        province = (
            Province.objects.filter(code=item["code"]).first()
            or Province.objects.filter(country=country, name=item["name"]).first()
        )
        if province is None:
            province = Province.objects.create(
                country=country, code=item["code"], name=item["name"], name_en=item["name_en"]
            )
        elif not province.name_en:
            province.name_en = item["name_en"]
            province.save(update_fields=["name_en"])

        counties = {_key(c.name): c for c in County.objects.filter(province=province)}
        for county_item in item.get("counties", []):
            county = counties.get(_key(county_item["name"]))
            if county is None:
                county = County.objects.create(
                    province=province, name=county_item["name"], name_en=county_item["name_en"]
                )
            elif not county.name_en:
                county.name_en = county_item["name_en"]
                county.save(update_fields=["name_en"])

            villages = {_key(v.name): v for v in Village.objects.filter(county=county)}
            new_villages = []
            for village_item in county_item.get("villages", []):
                name, name_en = village_item["name"], village_item["name_en"]
                village = villages.get(_key(name))
                if village is None:
                    # Historical models have no custom save(): compute search_text here.
                    new_villages.append(
                        Village(
                            county=county,
                            name=name,
                            name_en=name_en,
                            search_text=village_search_text(name, name_en),
                        )
                    )
                elif not village.name_en:
                    village.name_en = name_en
                    village.search_text = village_search_text(village.name, name_en)
                    village.save(update_fields=["name_en", "search_text"])
            Village.objects.bulk_create(new_villages)


class Migration(migrations.Migration):
    dependencies = [
        ("locations", "0001_initial"),
    ]

    operations = [
        # Reversing keeps the rows: sellers, stock and products point at them (PROTECT).
        migrations.RunPython(seed_locations, migrations.RunPython.noop),
    ]
