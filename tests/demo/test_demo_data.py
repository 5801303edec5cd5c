"""The demo marketplace: its data file and the loader that puts it in the database."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from schwifty import IBAN

from marketplace.accounts.models import User
from marketplace.core.validators import clean_mobile
from marketplace.demo.accounts import (
    BUYER_EMAIL,
    DEMO_ACCOUNTS_TEXT,
    DEMO_DOMAIN,
    DEMO_PASSWORD,
    OPERATOR_EMAIL,
    showcase_seller_emails,
)
from marketplace.demo.dataset import load_dataset
from marketplace.demo.loader import load_demo_data, place_key
from marketplace.inventory.models import Warehouse
from marketplace.locations.models import County, Province, Village
from marketplace.notifications.models import Notification
from marketplace.sellers.models import Cooperative, CooperativeStaff, Seller, SellerStatus

PERSIAN_LETTERS = re.compile("[\u0600-\u06ff]")
DATA = load_dataset()


def counts() -> dict[str, int]:
    return {
        "users": User.objects.count(),
        "cooperatives": Cooperative.objects.count(),
        "staff": CooperativeStaff.objects.count(),
        "warehouses": Warehouse.objects.count(),
        "sellers": Seller.objects.count(),
    }


# --- the data file (no database)


def test_every_phone_is_a_valid_iranian_mobile_and_unique():
    phones = [DATA["operator"]["phone"], DATA["buyer"]["phone"]]
    phones += [coop["phone"] for coop in DATA["cooperatives"]]
    phones += [person["phone"] for coop in DATA["cooperatives"] for person in coop["staff"]]
    phones += [seller["phone"] for seller in DATA["sellers"]]
    cleaned = [clean_mobile(phone) for phone in phones]
    assert all(phone.startswith("+989") for phone in cleaned)
    assert len(set(cleaned)) == len(cleaned)


def test_every_sheba_has_a_correct_check_digit():
    for seller in DATA["sellers"]:
        iban = IBAN(seller["payout_iban"])
        assert iban.country_code == "IR" and len(iban.compact) == 26, seller["email"]


def test_all_demo_emails_are_unique_and_on_the_demo_domain():
    emails = [OPERATOR_EMAIL, BUYER_EMAIL]
    emails += [person["email"] for coop in DATA["cooperatives"] for person in coop["staff"]]
    emails += [seller["email"] for seller in DATA["sellers"]]
    assert all(email.endswith(f"@{DEMO_DOMAIN}") for email in emails)
    assert len({email.lower() for email in emails}) == len(emails)


def test_cooperatives_are_well_formed():
    cooperatives = DATA["cooperatives"]
    assert len(cooperatives) >= 5
    slugs = [coop["slug"] for coop in cooperatives]
    assert len(set(slugs)) == len(slugs)
    for coop in cooperatives:
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", coop["slug"])
        assert PERSIAN_LETTERS.search(coop["name"]) and PERSIAN_LETTERS.search(coop["description"])
        assert Decimal("0.03") <= Decimal(coop["fee_rate"]) <= Decimal("0.08")
        assert 1 <= len(coop["staff"]) <= 2
        assert coop["county"]


def test_sellers_are_mostly_approved_members():
    sellers = DATA["sellers"]
    slugs = {coop["slug"] for coop in DATA["cooperatives"]}
    assert len(sellers) >= 30
    assert all(s["cooperative"] is None or s["cooperative"] in slugs for s in sellers)
    assert 3 <= sum(s["cooperative"] is None for s in sellers) <= 4
    statuses = [s["status"] for s in sellers]
    assert set(statuses) == {SellerStatus.APPROVED, SellerStatus.PENDING}
    assert statuses.count(SellerStatus.APPROVED) > len(sellers) * 0.8
    for seller in sellers:
        assert PERSIAN_LETTERS.search(seller["name"]) and PERSIAN_LETTERS.search(seller["story"])
        assert seller["village"] and seller["county"]
        sentences = [s for s in re.split(r"[.!؟]", seller["story"]) if s.strip()]
        assert 2 <= len(sentences) <= 4, seller["email"]


def test_the_accounts_text_is_bilingual_and_names_every_cooperative():
    first, second, *rows = DEMO_ACCOUNTS_TEXT.splitlines()
    assert DEMO_PASSWORD in first and not PERSIAN_LETTERS.search(first.split(":")[0])
    assert DEMO_PASSWORD in second and PERSIAN_LETTERS.search(second)
    text = "\n".join(rows)
    assert OPERATOR_EMAIL in text and BUYER_EMAIL in text
    for coop in DATA["cooperatives"]:
        assert coop["staff"][0]["email"] in text
    member, independent = showcase_seller_emails()
    assert member in text and independent in text


# --- loading


@pytest.mark.django_db
def test_loading_creates_the_demo_marketplace_through_the_services():
    assert load_demo_data() is True

    assert Cooperative.objects.count() >= 4
    sellers = list(Seller.objects.select_related("cooperative", "approved_by"))
    assert len(sellers) >= 30
    assert all(PERSIAN_LETTERS.search(seller.description) for seller in sellers)
    for seller in sellers:
        assert IBAN(seller.payout_iban).compact == seller.payout_iban
        assert seller.phone == clean_mobile(seller.phone)
        assert seller.payout_holder
    statuses = {seller.status for seller in sellers}
    assert {SellerStatus.APPROVED, SellerStatus.PENDING} <= statuses

    # Each cooperative has its staff and a warehouse; members were approved by that staff.
    for coop in DATA["cooperatives"]:
        cooperative = Cooperative.objects.get(slug=coop["slug"])
        staff_emails = set(cooperative.staff.values_list("email", flat=True))
        assert staff_emails == {person["email"] for person in coop["staff"]}
        assert Warehouse.objects.filter(cooperative=cooperative).count() == 1
        assert cooperative.fee_rate == Decimal(coop["fee_rate"])
    for seller in sellers:
        if seller.status != SellerStatus.APPROVED:
            assert seller.approved_by is None
        elif seller.cooperative is None:
            assert seller.approved_by.email == OPERATOR_EMAIL
        else:
            assert seller.cooperative.staff.filter(pk=seller.approved_by_id).exists()

    # Muted: no e-mails about applications or approvals were queued.
    assert Notification.objects.count() == 0


@pytest.mark.django_db
def test_a_second_load_creates_nothing():
    assert load_demo_data() is True
    before = counts()
    assert load_demo_data() is False
    assert counts() == before


@pytest.mark.django_db
def test_the_operator_is_a_superuser_and_everyone_signs_in_with_the_demo_password():
    load_demo_data()
    operator = authenticate(username=OPERATOR_EMAIL, password=DEMO_PASSWORD)
    assert operator is not None and operator.is_staff and operator.is_superuser
    assert authenticate(username=BUYER_EMAIL, password=DEMO_PASSWORD) is not None
    buyer = User.objects.get(email=BUYER_EMAIL)
    assert not buyer.is_staff and not hasattr(buyer, "seller")
    seller = DATA["sellers"][0]
    assert authenticate(username=seller["phone"], password=DEMO_PASSWORD).email == seller["email"]
    staff = DATA["cooperatives"][0]["staff"][0]["email"]
    assert authenticate(username=staff, password=DEMO_PASSWORD) is not None
    assert authenticate(username=OPERATOR_EMAIL, password="wrong-password-1405") is None


@pytest.mark.django_db
def test_places_are_linked_by_persian_name_when_they_exist():
    """Counties and villages are matched however the name is spelled (ZWNJ, Arabic letters)."""
    coop = next(c for c in DATA["cooperatives"] if c["county"] == "تربت حیدریه")
    seller = next(s for s in DATA["sellers"] if s["cooperative"] == coop["slug"])
    county = next(
        (c for c in County.objects.all() if place_key(c.name) == place_key(coop["county"])), None
    )
    if county is None:
        province = Province.objects.filter(name="خراسان رضوی").first()
        if province is None:
            province = Province.objects.create(code="demo-kr", name="خراسان رضوی", name_en="KR")
        # Spelled with a ZWNJ and an Arabic yeh, unlike the data file.
        county = County.objects.create(province=province, name="تربت‌حيدريه", name_en="Torbat")
    village = next(
        (v for v in county.villages.all() if place_key(v.name) == place_key(seller["village"])),
        None,
    ) or Village.objects.create(county=county, name=seller["village"], name_en="Demo")

    load_demo_data()

    assert Cooperative.objects.get(slug=coop["slug"]).county == county
    assert Seller.objects.get(owner__email=seller["email"]).village == village


@pytest.mark.django_db
def test_a_village_filed_under_another_county_is_found_by_its_unique_name(monkeypatch):
    seller = DATA["sellers"][0]
    monkeypatch.setitem(seller, "village", "کلاته آزمایشی بازارچه")
    province = Province.objects.filter(name="خراسان رضوی").first() or Province.objects.create(
        code="demo-kr", name="خراسان رضوی", name_en="KR"
    )
    county = County.objects.create(province=province, name="شهرستان آزمایشی", name_en="Test")
    village = Village.objects.create(county=county, name="كلاته‌آزمايشي بازارچه")
    load_demo_data()
    assert Seller.objects.get(owner__email=seller["email"]).village == village


@pytest.mark.django_db
def test_missing_places_leave_the_village_empty(monkeypatch):
    seller = DATA["sellers"][0]
    monkeypatch.setitem(seller, "village", "روستای ناموجود آزمایشی")
    load_demo_data()
    assert Seller.objects.get(owner__email=seller["email"]).village is None


@pytest.mark.django_db
def test_the_commands_report_what_they_did(capsys, monkeypatch):
    call_command("load_demo_data")
    assert "Demo data loaded" in capsys.readouterr().out
    call_command("load_demo_data")
    assert "already loaded" in capsys.readouterr().out

    monkeypatch.delenv("DJANGO_SUPERUSER_EMAIL", raising=False)
    monkeypatch.delenv("DJANGO_SUPERUSER_PASSWORD", raising=False)
    call_command("ensure_operator")
    assert DEMO_ACCOUNTS_TEXT in capsys.readouterr().out
