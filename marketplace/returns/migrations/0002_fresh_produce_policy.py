from django.db import migrations

# Fresh produce spoils: it may come back only when it arrived damaged, within 48 hours.
FRESH = {"slug": "fresh-produce", "window_hours": 48, "reasons": ["DAMAGED"]}


def seed(apps, schema_editor):
    Category = apps.get_model("catalog", "Category")
    ReturnPolicy = apps.get_model("returns", "ReturnPolicy")
    category = Category.objects.filter(slug=FRESH["slug"]).first()
    if category is not None:
        ReturnPolicy.objects.get_or_create(
            category=category,
            defaults={"window_hours": FRESH["window_hours"], "reasons": FRESH["reasons"]},
        )


class Migration(migrations.Migration):
    dependencies = [
        ("returns", "0001_initial"),
        ("catalog", "0002_seed_taxonomy"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
