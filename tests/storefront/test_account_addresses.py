"""Saved addresses: add (errors next to fields), edit, choose the default, delete; and
choosing one in the cart."""

from __future__ import annotations

import re

from django.test import Client
from django.urls import reverse

from marketplace.accounts.models import Address
from marketplace.checkout.models import Checkout
from tests.builders.catalog import make_variant
from tests.storefront.shopping import ADDRESS, add, sign_in, text
from tests.support import gid


def _signed_in(buyer) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    sign_in(client, buyer.email)
    return client


def test_add_edit_default_delete(seeded, buyer):
    client = _signed_in(buyer)
    response = client.post(reverse("account:address_new"), ADDRESS)
    assert response.status_code == 302
    first = Address.objects.get(user=buyer)
    assert first.is_default and first.postal_code == "9177948974"
    client.post(reverse("account:address_new"), {**ADDRESS, "city": "نیشابور"})
    second = Address.objects.get(user=buyer, city="نیشابور")

    edit_url = reverse("account:address_edit", args=[gid("Address", second.pk)])
    form = client.get(edit_url)
    assert 'value="نیشابور"' in form.content.decode()
    assert re.search(r'<option value="IR-09" selected>', form.content.decode())
    client.post(edit_url, {**ADDRESS, "city": "سبزوار"})
    second.refresh_from_db()
    assert second.city == "سبزوار"

    second_id = gid("Address", second.pk)
    client.post(reverse("account:address_default"), {"id": second_id})
    second.refresh_from_db()
    assert second.is_default
    listing = client.get(reverse("account:addresses"))
    assert "سبزوار" in text(listing) and "مشهد" in text(listing)

    client.post(reverse("account:address_delete"), {"id": second_id})
    assert list(Address.objects.filter(user=buyer)) == [first]
    first.refresh_from_db()
    assert first.is_default


def test_address_errors_next_to_fields(seeded, buyer):
    client = _signed_in(buyer)
    response = client.post(
        reverse("account:address_new"), {**ADDRESS, "postalCode": "12345", "phone": "0"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="a-postalCode-error"' in body and 'id="a-phone-error"' in body
    assert not Address.objects.exists()


def test_other_peoples_addresses_stay_theirs(seeded, buyer):
    from tests.builders.accounts import make_user

    owner = make_user("owner@example.com")
    theirs = Address.objects.create(
        user=owner,
        first_name="a",
        last_name="b",
        phone="+989121234567",
        city="مشهد",
        country_area="خراسان رضوی",
        street_address_1="x",
        postal_code="9177948974",
    )
    client = _signed_in(buyer)
    theirs_id = gid("Address", theirs.pk)
    assert client.get(reverse("account:address_edit", args=[theirs_id])).status_code == 404
    assert client.post(reverse("account:address_delete"), {"id": theirs_id}).status_code == 302
    assert client.post(reverse("account:address_default"), {}).status_code == 302
    assert Address.objects.filter(pk=theirs.pk).exists()


def test_saved_address_chosen_in_the_cart(seeded, buyer, seller_a):
    client = _signed_in(buyer)
    client.post(reverse("account:address_new"), {**ADDRESS, "city": "قوچان"})
    add(client, make_variant(seller_a))
    page = client.get(reverse("cart:index"))
    saved = re.search(r'name="saved" value="([^"]+)"', page.content.decode()).group(1)
    # The default address fills the form too.
    assert 'value="قوچان"' in page.content.decode()
    assert client.post(reverse("cart:address"), {"saved": saved}).status_code == 302
    assert Checkout.objects.get().shipping_address.city == "قوچان"


def test_an_address_abroad_is_added_and_edited_with_its_country(seeded, buyer):
    client = _signed_in(buyer)
    client.post(reverse("cart:channel"), {"channel": "intl"})
    abroad = {
        "country": "DE",
        "firstName": "Anna",
        "lastName": "Berg",
        "phone": "+4915112345678",
        "countryArea": "Berlin",
        "city": "Berlin",
        "streetAddress1": "Torstraße 1",
        "streetAddress2": "",
        "postalCode": "10119",
    }
    form = client.get(reverse("account:address_new")).content.decode()
    assert 'name="country"' in form
    assert client.post(reverse("account:address_new"), abroad).status_code == 302
    saved = Address.objects.get(user=buyer)
    assert (saved.country, saved.postal_code) == ("DE", "10119")
    # Back in rial, the address abroad is still edited with its country.
    client.post(reverse("cart:channel"), {"channel": "ir"})
    edit_url = reverse("account:address_edit", args=[gid("Address", saved.pk)])
    assert re.search(r'<option value="DE" selected>', client.get(edit_url).content.decode())
    assert client.post(edit_url, {**abroad, "city": "Potsdam"}).status_code == 302
    saved.refresh_from_db()
    assert (saved.country, saved.city) == ("DE", "Potsdam")
