import json
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "taxonomy.json"


def seed(apps, schema_editor):
    Category = apps.get_model("catalog", "Category")
    Attribute = apps.get_model("catalog", "Attribute")
    AttributeValue = apps.get_model("catalog", "AttributeValue")
    ProductType = apps.get_model("catalog", "ProductType")
    data = json.loads(DATA.read_text(encoding="utf-8"))

    def add_categories(items, parent=None):
        for order, item in enumerate(items):
            category, _ = Category.objects.update_or_create(
                slug=item["slug"],
                defaults={
                    "name": item["name"],
                    "name_en": item["name_en"],
                    "parent": parent,
                    "sort_order": order,
                },
            )
            add_categories(item.get("children", []), category)

    add_categories(data["categories"])
    attributes = {}
    for item in data["attributes"]:
        attribute, _ = Attribute.objects.update_or_create(
            slug=item["slug"],
            defaults={
                "name": item["name"],
                "name_en": item["name_en"],
                "input_type": item["input_type"],
            },
        )
        attributes[item["slug"]] = attribute
        for order, value in enumerate(item["values"]):
            AttributeValue.objects.update_or_create(
                attribute=attribute,
                slug=value["slug"],
                defaults={"name": value["name"], "name_en": value["name_en"], "sort_order": order},
            )
    for item in data["product_types"]:
        product_type, _ = ProductType.objects.update_or_create(
            slug=item["slug"], defaults={"name": item["name"], "name_en": item["name_en"]}
        )
        product_type.attributes.set([attributes[slug] for slug in item["attributes"]])


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
