from django.db import migrations

CHANNELS = [
    {"slug": "ir", "name": "ایران", "name_en": "Iran", "currency_code": "IRR",
     "default_country": "IR", "is_default": True},
    {"slug": "intl", "name": "بین‌المللی", "name_en": "International", "currency_code": "USD",
     "default_country": "US", "is_default": False},
]


def seed(apps, schema_editor):
    Channel = apps.get_model("channels", "Channel")
    for data in CHANNELS:
        Channel.objects.get_or_create(slug=data["slug"], defaults=data)


class Migration(migrations.Migration):
    dependencies = [("channels", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
