"""Users and addresses."""

from __future__ import annotations

from marketplace.accounts.models import Address, User
from marketplace.locations.models import Province

PASSWORD = "Zafaran-1405-Torbat"

# Address input as the accounts services take it.
IRANIAN = {
    "first_name": "سارا",
    "last_name": "احمدی",
    "phone": "09121234567",
    "country_area": "خراسان رضوی",
    "city": "مشهد",
    "street_address_1": "بلوار وکیل‌آباد، کوچه ۱۲، پلاک ۳",
    "postal_code": "9177948974",
}
GERMAN = {
    "first_name": "Anna",
    "last_name": "Schmidt",
    "phone": "015112345678",
    "country": "de",
    "country_area": "Berlin",
    "city": "Berlin",
    "street_address_1": "Unter den Linden 1",
    "postal_code": "10117",
}


def make_user(email: str, **extra) -> User:
    return User.objects.create_user(email=email, password=PASSWORD, **extra)


def ir_address(province: Province | None = None, *, user: User | None = None) -> Address:
    """An unsaved address in Mashhad, filed under `province` (Razavi Khorasan by default)."""
    province = province or Province.objects.get(code="IR-09")
    return Address(
        user=user,
        first_name="Sara",
        last_name="Ahmadi",
        phone="+989121234567",
        country="IR",
        country_area=province.name,
        province=province,
        city="مشهد",
        street_address_1="خیابان امام رضا، پلاک ۱",
        postal_code="9177948974",
    )


def foreign_address(country: str = "DE") -> Address:
    """An unsaved address in Berlin, filed under `country`."""
    return Address(
        first_name="Anna",
        last_name="Schmidt",
        phone="+4915112345678",
        country=country,
        country_area="Berlin",
        city="Berlin",
        street_address_1="Unter den Linden 1",
        postal_code="10117",
    )
