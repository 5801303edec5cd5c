"""Platform delivery so that every fulfiller, including a cooperative created today,
can ship at once: a zone for all of Iran and one for the rest of the world, express and
registered national post priced in rial, and international post priced in US dollars.

Safe to run again: zones and methods are matched by name and kept when they exist. The
operators adjust prices and countries in the admin afterwards."""

from decimal import Decimal

from django.db import migrations

IRAN_ZONE = "ایران"
WORLD_ZONE = "International"
# Every ISO 3166-1 country but Iran and the uninhabited territories.
WORLD_COUNTRIES = [
    "AD", "AE", "AF", "AG", "AI", "AL", "AM", "AO", "AR", "AS", "AT", "AU", "AW", "AX",
    "AZ", "BA", "BB", "BD", "BE", "BF", "BG", "BH", "BI", "BJ", "BL", "BM", "BN", "BO",
    "BQ", "BR", "BS", "BT", "BW", "BY", "BZ", "CA", "CC", "CD", "CF", "CG", "CH", "CI",
    "CK", "CL", "CM", "CN", "CO", "CR", "CU", "CV", "CW", "CX", "CY", "CZ", "DE", "DJ",
    "DK", "DM", "DO", "DZ", "EC", "EE", "EG", "EH", "ER", "ES", "ET", "FI", "FJ", "FK",
    "FM", "FO", "FR", "GA", "GB", "GD", "GE", "GF", "GG", "GH", "GI", "GL", "GM", "GN",
    "GP", "GQ", "GR", "GT", "GU", "GW", "GY", "HK", "HN", "HR", "HT", "HU", "ID", "IE",
    "IL", "IM", "IN", "IQ", "IS", "IT", "JE", "JM", "JO", "JP", "KE", "KG", "KH", "KI",
    "KM", "KN", "KP", "KR", "KW", "KY", "KZ", "LA", "LB", "LC", "LI", "LK", "LR", "LS",
    "LT", "LU", "LV", "LY", "MA", "MC", "MD", "ME", "MF", "MG", "MH", "MK", "ML", "MM",
    "MN", "MO", "MP", "MQ", "MR", "MS", "MT", "MU", "MV", "MW", "MX", "MY", "MZ", "NA",
    "NC", "NE", "NF", "NG", "NI", "NL", "NO", "NP", "NR", "NU", "NZ", "OM", "PA", "PE",
    "PF", "PG", "PH", "PK", "PL", "PM", "PN", "PR", "PS", "PT", "PW", "PY", "QA", "RE",
    "RO", "RS", "RU", "RW", "SA", "SB", "SC", "SD", "SE", "SG", "SH", "SI", "SJ", "SK",
    "SL", "SM", "SN", "SO", "SR", "SS", "ST", "SV", "SX", "SY", "SZ", "TC", "TD", "TG",
    "TH", "TJ", "TK", "TL", "TM", "TN", "TO", "TR", "TT", "TV", "TW", "TZ", "UA", "UG",
    "US", "UY", "UZ", "VA", "VC", "VE", "VG", "VI", "VN", "VU", "WF", "WS", "YE", "YT",
    "ZA", "ZM", "ZW",
]

# (max weight in kg or None for any weight, price, free above) in the channel's units.
EXPRESS_IR = [
    (Decimal("1"), Decimal("750000"), Decimal("50000000")),
    (Decimal("3"), Decimal("1100000"), Decimal("50000000")),
    (Decimal("10"), Decimal("2000000"), Decimal("50000000")),
    (None, Decimal("3500000"), Decimal("50000000")),
]
REGISTERED_IR = [
    (Decimal("1"), Decimal("500000"), None),
    (Decimal("3"), Decimal("800000"), None),
    (Decimal("10"), Decimal("1400000"), None),
    (None, Decimal("2500000"), None),
]
INTERNATIONAL_USD = [
    (Decimal("0.5"), Decimal("18.00"), None),
    (Decimal("1"), Decimal("25.00"), None),
    (Decimal("2"), Decimal("38.00"), None),
    (Decimal("5"), Decimal("70.00"), None),
    (None, Decimal("120.00"), None),
]

METHODS = [
    {
        "name": "پست پیشتاز",
        "name_en": "Express post",
        "min_days": 2,
        "max_days": 5,
        "zone": IRAN_ZONE,
        "channel": "ir",
        "rates": EXPRESS_IR,
    },
    {
        "name": "پست سفارشی",
        "name_en": "Registered post",
        "min_days": 4,
        "max_days": 8,
        "zone": IRAN_ZONE,
        "channel": "ir",
        "rates": REGISTERED_IR,
    },
    {
        "name": "پست بین‌المللی",
        "name_en": "International post",
        "min_days": 7,
        "max_days": 21,
        "zone": WORLD_ZONE,
        "channel": "intl",
        "rates": INTERNATIONAL_USD,
    },
]


def seed_platform_delivery(apps, schema_editor):
    Province = apps.get_model("locations", "Province")
    Channel = apps.get_model("channels", "Channel")
    ShippingZone = apps.get_model("shipping", "ShippingZone")
    DeliveryMethod = apps.get_model("shipping", "DeliveryMethod")
    DeliveryRate = apps.get_model("shipping", "DeliveryRate")

    iran, created = ShippingZone.objects.get_or_create(
        name=IRAN_ZONE, defaults={"countries": ["IR"]}
    )
    if created:
        iran.provinces.set(Province.objects.filter(country="IR"))
    world, _created = ShippingZone.objects.get_or_create(
        name=WORLD_ZONE, defaults={"countries": WORLD_COUNTRIES}
    )
    zones = {IRAN_ZONE: iran, WORLD_ZONE: world}

    for spec in METHODS:
        method, created = DeliveryMethod.objects.get_or_create(
            name=spec["name"],
            cooperative=None,
            seller=None,
            defaults={
                "name_en": spec["name_en"],
                "kind": "POST",
                "min_days": spec["min_days"],
                "max_days": spec["max_days"],
                "is_active": True,
            },
        )
        if not created:
            continue
        method.zones.add(zones[spec["zone"]])
        channel = Channel.objects.filter(slug=spec["channel"]).first()
        if channel is None:
            continue
        DeliveryRate.objects.bulk_create(
            DeliveryRate(
                method=method,
                channel=channel,
                max_weight=max_weight,
                price=price,
                free_above=free_above,
            )
            for max_weight, price, free_above in spec["rates"]
        )


class Migration(migrations.Migration):
    dependencies = [
        ("shipping", "0001_initial"),
        ("channels", "0002_seed_channels"),
        ("locations", "0002_seed_locations"),
    ]

    operations = [
        # Reversing keeps the rows: shipments of orders point at the methods.
        migrations.RunPython(seed_platform_delivery, migrations.RunPython.noop),
    ]
