"""Address validation (Iran first, other countries for `intl`) and saved addresses."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from marketplace.accounts import addresses
from marketplace.accounts.models import Address
from marketplace.core.errors import DomainError
from marketplace.locations.models import Province
from tests.builders.accounts import GERMAN, IRANIAN
from tests.support import codes_by_field

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def provinces(db) -> None:
    """The 31 provinces of the locations seed (back again if a flush removed them)."""
    if Province.objects.filter(country="IR").count() < 31:
        module = importlib.import_module("marketplace.locations.migrations.0002_seed_locations")
        module.seed_locations(apps, None)


def errors_of(data: dict, **kwargs) -> dict[str | None, str]:
    with pytest.raises(DomainError) as exc:
        addresses.clean_address(data, **kwargs)
    return codes_by_field(exc)


# ---------- validation


def test_a_valid_iranian_address():
    address = addresses.clean_address(IRANIAN)
    assert address.pk is None and address.user_id is None
    assert address.country == "IR"
    assert address.province.code == "IR-09"
    assert address.country_area == "خراسان رضوی"
    assert address.phone == "+989121234567"
    assert address.postal_code == "9177948974"
    assert address.street_address_2 == ""


def test_persian_and_arabic_digits_in_postal_code_and_phone():
    address = addresses.clean_address(
        IRANIAN | {"phone": "۰۹۱۵ ۱۲۳ ٤٥٦٧", "postal_code": "۹۱۷۷۹-٤٨٩٧٤"}
    )
    assert address.phone == "+989151234567"
    assert address.postal_code == "9177948974"


def test_free_text_keeps_the_digits_as_typed():
    address = addresses.clean_address(
        IRANIAN
        | {"street_address_1": "  خیابان ۱۷ شهریور،  پلاک ۱۲ ", "street_address_2": "واحد 3"}
    )
    assert address.street_address_1 == "خیابان ۱۷ شهریور، پلاک ۱۲"
    assert address.street_address_2 == "واحد 3"


def test_a_five_digit_postal_code_is_invalid():
    assert errors_of(IRANIAN | {"postal_code": "91779"}) == {
        "shipping_address.postal_code": "INVALID"
    }
    assert errors_of(IRANIAN | {"postal_code": "91779A8974"}) == {
        "shipping_address.postal_code": "INVALID"
    }


def test_an_unknown_province_is_invalid():
    assert errors_of(IRANIAN | {"country_area": "آتلانتیس"}) == {
        "shipping_address.country_area": "INVALID"
    }
    # A city is not a province.
    assert errors_of(IRANIAN | {"country_area": "مشهد"}) == {
        "shipping_address.country_area": "INVALID"
    }


@pytest.mark.parametrize(
    "typed",
    [
        "خراسان رضوی",
        "خراسان‌رضوی",  # half-space
        "خراسان رضوي",  # Arabic yeh
        "استان خراسان رضوی",
        "  خراسان   رضوی ",
        "Razavi Khorasan",
        "khorasan razavi",
        "Khorasan-e Razavi",
        "IR-09",
        "ir-09",
    ],
)
def test_province_spellings_are_matched(typed):
    address = addresses.clean_address(IRANIAN | {"country_area": typed})
    assert address.province.code == "IR-09"
    assert address.country_area == "خراسان رضوی"


def test_arabic_letters_in_other_province_names():
    # Arabic kaf and yeh: «كهگيلويه و بويراحمد».
    address = addresses.clean_address(IRANIAN | {"country_area": "كهگيلويه و بويراحمد"})
    assert address.province.code == "IR-17"
    assert address.country_area == "کهگیلویه و بویراحمد"
    assert addresses.clean_address(IRANIAN | {"country_area": "Sistan and Baluchestan"}).province


def test_an_iranian_address_needs_a_mobile_number():
    assert errors_of(IRANIAN | {"phone": "02188776655"}) == {"shipping_address.phone": "INVALID"}
    assert errors_of(IRANIAN | {"phone": "0912"}) == {"shipping_address.phone": "INVALID"}
    # A number without a country prefix is read as Iranian.
    assert addresses.clean_address(IRANIAN | {"phone": "9121234567"}).phone == "+989121234567"


def test_every_error_at_once_with_the_chosen_prefix():
    data = {
        "first_name": "",
        "last_name": "x" * 151,
        "phone": "12",
        "country_area": "",
        "city": "",
        "street_address_1": "",
        "postal_code": "",
    }
    assert errors_of(data, field_prefix="input") == {
        "input.first_name": "REQUIRED",
        "input.last_name": "TOO_LONG",
        "input.phone": "INVALID",
        "input.country_area": "REQUIRED",
        "input.city": "REQUIRED",
        "input.street_address_1": "REQUIRED",
        "input.postal_code": "REQUIRED",
    }
    assert "postal_code" in errors_of(IRANIAN | {"postal_code": "1"}, field_prefix="")


def test_an_international_address():
    address = addresses.clean_address(GERMAN)
    assert address.country == "DE"
    assert address.province is None
    assert address.country_area == "Berlin"
    assert address.phone == "+4915112345678"
    assert address.postal_code == "10117"
    british = addresses.clean_address(
        GERMAN | {"country": "GB", "phone": "07911 123456", "postal_code": "sw1a 1aa"}
    )
    assert british.postal_code == "SW1A 1AA" and british.phone == "+447911123456"


def test_international_rules():
    assert errors_of(GERMAN | {"country": "XX"}) == {"shipping_address.country": "INVALID"}
    assert errors_of(GERMAN | {"country": "DEU"}) == {"shipping_address.country": "INVALID"}
    assert errors_of(GERMAN | {"postal_code": "1"}) == {"shipping_address.postal_code": "INVALID"}
    assert errors_of(GERMAN | {"postal_code": "1234567890123"}) == {
        "shipping_address.postal_code": "INVALID"
    }
    assert errors_of(GERMAN | {"postal_code": "10117!"}) == {
        "shipping_address.postal_code": "INVALID"
    }
    assert errors_of(GERMAN | {"country_area": "", "city": ""}) == {
        "shipping_address.country_area": "REQUIRED",
        "shipping_address.city": "REQUIRED",
    }
    # A German landline is not a mobile; an Iranian mobile with its prefix is fine abroad.
    assert errors_of(GERMAN | {"phone": "030 12345678"}) == {"shipping_address.phone": "INVALID"}
    assert addresses.clean_address(GERMAN | {"phone": "+989121234567"}).phone == "+989121234567"


# ---------- saved addresses (services)


def test_saved_addresses_crud(sara):
    first = addresses.create_address(user=sara, data=IRANIAN)
    assert first.user_id == sara.pk and first.is_default
    second = addresses.create_address(user=sara, data=GERMAN)
    assert not second.is_default
    addresses.update_address(user=sara, address=second, data=GERMAN | {"city": "Potsdam"})
    second.refresh_from_db()
    assert second.city == "Potsdam"
    addresses.set_default_address(user=sara, address=second)
    first.refresh_from_db()
    assert second.is_default and not first.is_default
    addresses.delete_address(user=sara, address=second)
    first.refresh_from_db()
    assert first.is_default  # the remaining address takes over as default
    assert [a.pk for a in addresses.saved_addresses(sara)] == [first.pk]


def test_a_new_default_replaces_the_old_one(sara):
    addresses.create_address(user=sara, data=IRANIAN)
    newer = addresses.create_address(user=sara, data=GERMAN, set_default=True)
    assert list(Address.objects.filter(user=sara, is_default=True)) == [newer]


def test_users_touch_only_their_own_addresses(sara, reza):
    address = addresses.create_address(user=sara, data=IRANIAN)
    for call in (
        lambda: addresses.update_address(user=reza, address=address, data=GERMAN),
        lambda: addresses.delete_address(user=reza, address=address),
        lambda: addresses.set_default_address(user=reza, address=address),
    ):
        with pytest.raises(DomainError) as exc:
            call()
        assert exc.value.errors[0].code == "PERMISSION_DENIED"
    address.refresh_from_db()
    assert address.city == "مشهد" and address.user_id == sara.pk
    assert addresses.saved_addresses(reza) == []


def test_invalid_input_saves_nothing(sara):
    with pytest.raises(DomainError):
        addresses.create_address(user=sara, data=IRANIAN | {"postal_code": "12345"})
    assert not Address.objects.filter(user=sara).exists()


def test_at_most_twenty_saved_addresses(sara):
    for _ in range(addresses.MAX_SAVED_ADDRESSES):
        addresses.create_address(user=sara, data=IRANIAN)
    with pytest.raises(DomainError) as exc:
        addresses.create_address(user=sara, data=IRANIAN)
    assert exc.value.errors[0].code == "INVALID"
    assert Address.objects.filter(user=sara).count() == 20


def test_copies_are_independent(sara):
    saved = addresses.create_address(user=sara, data=IRANIAN)
    copy = addresses.copy_address(saved)
    copy.save()
    addresses.update_address(user=sara, address=saved, data=IRANIAN | {"city": "نیشابور"})
    copy.refresh_from_db()
    assert copy.city == "مشهد" and copy.user_id is None and copy.province_id == saved.province_id
