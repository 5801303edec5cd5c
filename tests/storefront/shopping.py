"""Steps for the cart and account page tests: a buyer clicking through the pages with
Django's test client (the products come from tests.builders)."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.test import Client
from django.urls import reverse

from marketplace.catalog.models import ProductVariant
from tests.builders.accounts import PASSWORD
from tests.support import gid

ADDRESS = {
    "firstName": "سارا",
    "lastName": "احمدی",
    "phone": "۰۹۱۲۱۲۳۴۵۶۷",
    "countryArea": "IR-09",
    "city": "مشهد",
    "streetAddress1": "خیابان امام رضا، پلاک ۱",
    "streetAddress2": "",
    "postalCode": "۹۱۷۷۹۴۸۹۷۴",
}
GUEST = "guest@example.com"


@pytest.fixture
def shopper() -> Client:
    """A visitor reading the shop in English (messages are checked in English)."""
    return Client(HTTP_ACCEPT_LANGUAGE="en")


def variant_id(variant: ProductVariant) -> str:
    return gid("ProductVariant", variant.pk)


def text(response) -> str:
    """The page's visible text, tags dropped and whitespace squeezed."""
    body = response.content.decode()
    body = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", body, flags=re.S)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", body))).strip()


def add(client: Client, variant: ProductVariant, quantity: int = 1):
    data = {"variant": variant_id(variant), "quantity": quantity, "next": reverse("cart:index")}
    return client.post(reverse("cart:add"), data)


def set_address(client: Client, **changes: str):
    """The address form, with the email an anonymous buyer gives there (a signed-in
    buyer's is the account's: the field is not shown to them, and ignored)."""
    return client.post(reverse("cart:address"), {"email": GUEST, **ADDRESS, **changes})


def cart_page(client: Client):
    response = client.get(reverse("cart:index"))
    assert response.status_code == 200
    return response


def group_ids(response) -> list[str]:
    return re.findall(r'name="group" value="([^"]+)"', response.content.decode())


def method_ids(response) -> list[str]:
    return re.findall(r'name="method" value="([^"]+)"', response.content.decode())


def choose_all_deliveries(client: Client) -> None:
    page = cart_page(client)
    body = page.content.decode()
    for form in re.findall(r'name="group" value="[^"]+".*?</form>', body, flags=re.S):
        group = re.search(r'value="([^"]+)"', form).group(1)
        method = re.search(r'name="method" value="([^"]+)"', form).group(1)
        response = client.post(reverse("cart:delivery"), {"group": group, "method": method})
        assert response.status_code == 302, text(response)


def sign_in(client: Client, login: str, password: str = PASSWORD, **extra):
    return client.post(reverse("account:signin"), {"login": login, "password": password, **extra})


def ready_cart(client: Client, *variants: ProductVariant) -> None:
    """Products in the cart, an address and a delivery method for every parcel."""
    for variant in variants:
        assert add(client, variant).status_code == 302
    assert set_address(client).status_code == 302
    choose_all_deliveries(client)


def place(client: Client):
    return client.post(reverse("cart:place"))


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []
