"""Load the demo marketplace once, through the same services the API uses."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db import connection, transaction

from marketplace.accounts.models import User
from marketplace.accounts.services import register_user
from marketplace.core.normalize import normalize_text
from marketplace.core.validators import clean_mobile
from marketplace.demo.accounts import BUYER_EMAIL, DEMO_PASSWORD, OPERATOR_EMAIL
from marketplace.demo.dataset import Dataset, load_dataset
from marketplace.inventory.services import create_warehouse
from marketplace.locations.models import County, Village
from marketplace.notifications import services as notifications
from marketplace.sellers.models import Cooperative, SellerStatus
from marketplace.sellers.services import (
    add_cooperative_staff,
    approve_seller,
    create_cooperative,
    create_seller,
)

HOME_PROVINCE = "خراسان رضوی"
# Serialises concurrent loads (two launchers on one database): "bazardem" in ASCII.
ADVISORY_LOCK_ID = 0x62617A617264656D


def place_key(name: str | None) -> str:
    """Compare place names regardless of spaces, ZWNJ, Arabic letters and diacritics."""
    return normalize_text(name or "").replace(" ", "")


class Places:
    """Counties and villages by Persian name; a name that is not there resolves to None."""

    def __init__(self) -> None:
        home = place_key(HOME_PROVINCE)
        counties = sorted(
            County.objects.select_related("province"),
            key=lambda c: (place_key(c.province.name) == home, -c.pk),
        )
        # Later entries win: counties of Khorasan Razavi, then the oldest rows.
        self._counties: dict[str, County] = {place_key(c.name): c for c in counties}
        home_ids = [c.pk for c in counties if place_key(c.province.name) == home]
        villages = Village.objects.only("id", "name", "county_id")
        if home_ids:
            villages = villages.filter(county_id__in=home_ids)
        self._villages: dict[tuple[int, str], Village] = {}
        self._by_name: dict[str, list[Village]] = defaultdict(list)
        for village in villages.order_by("-id"):
            key = place_key(village.name)
            self._villages[(village.county_id, key)] = village
            self._by_name[key].append(village)

    def county(self, name: str | None) -> County | None:
        return self._counties.get(place_key(name)) if name else None

    def village(self, name: str | None, county: str | None) -> Village | None:
        if not name:
            return None
        key = place_key(name)
        found = self.county(county)
        if found is not None and (found.pk, key) in self._villages:
            return self._villages[(found.pk, key)]
        # County boundaries change (new counties split off); accept an unambiguous name.
        candidates = self._by_name.get(key, [])
        return candidates[0] if len(candidates) == 1 else None


def demo_data_loaded() -> bool:
    return User.objects.filter(email__iexact=OPERATOR_EMAIL).exists()


def load_demo_data() -> bool:
    """Create the demo accounts, cooperatives and sellers; False if they were already there."""
    with notifications.muted(), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ADVISORY_LOCK_ID])
        if demo_data_loaded():
            return False
        _load(load_dataset(), Places())
    return True


def _load(data: Dataset, places: Places) -> None:
    operator = data["operator"]
    operator_user = User.objects.create_superuser(
        email=OPERATOR_EMAIL,
        password=DEMO_PASSWORD,
        first_name=operator["first_name"],
        last_name=operator["last_name"],
        phone=clean_mobile(operator["phone"]),
    )
    buyer = data["buyer"]
    register_user(
        email=BUYER_EMAIL,
        password=DEMO_PASSWORD,
        first_name=buyer["first_name"],
        last_name=buyer["last_name"],
        phone=buyer["phone"],
    )

    cooperatives: dict[str, tuple[Cooperative, User]] = {}
    for item in data["cooperatives"]:
        cooperative = create_cooperative(
            actor=operator_user,
            name=item["name"],
            slug=item["slug"],
            description=item["description"],
            fee_rate=Decimal(item["fee_rate"]),
            county=places.county(item["county"]),
            phone=item["phone"],
        )
        staff_users = []
        for person in item["staff"]:
            staff_users.append(
                register_user(
                    email=person["email"],
                    password=DEMO_PASSWORD,
                    first_name=person["first_name"],
                    last_name=person["last_name"],
                    phone=person["phone"],
                )
            )
            add_cooperative_staff(
                actor=operator_user, cooperative=cooperative, email=person["email"]
            )
        warehouse = item["warehouse"]
        create_warehouse(
            actor=staff_users[0],
            name=warehouse["name"],
            cooperative=cooperative,
            village=places.village(warehouse["village"], item["county"]),
            address=warehouse["address"],
        )
        cooperatives[item["slug"]] = (cooperative, staff_users[0])

    for item in data["sellers"]:
        owner = register_user(
            email=item["email"],
            password=DEMO_PASSWORD,
            first_name=item["first_name"],
            last_name=item["last_name"],
            phone=item["phone"],
        )
        cooperative, approver = (
            cooperatives[item["cooperative"]] if item["cooperative"] else (None, operator_user)
        )
        seller = create_seller(
            actor=owner,
            name=item["name"],
            phone=item["phone"],
            description=item["story"],
            village=places.village(item["village"], item["county"]),
            cooperative=cooperative,
            payout_iban=item["payout_iban"],
            payout_holder=f"{item['first_name']} {item['last_name']}",
        )
        if item["status"] == SellerStatus.APPROVED:
            approve_seller(actor=approver, seller=seller)
