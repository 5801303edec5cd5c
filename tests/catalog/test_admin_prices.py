"""Prices changed by platform staff in the admin reach the listing's price range (price
filter and order) and the response cache's catalogue version, as API writes do."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from marketplace.accounts.models import User
from marketplace.catalog.models import Category, ProductChannelListing, VariantChannelListing
from marketplace.core.versioning import catalog_version
from tests.builders.catalog import make_product

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client: Client) -> Client:
    client.force_login(User.objects.create_superuser(email="prices@example.com", password="P-1405"))
    return client


@pytest.fixture
def honey(seller_a):
    category = Category.objects.get(slug="honey")
    return make_product(seller_a, "عسل کنار", category, price=2_000_000, variants=2)


def price_range(product) -> tuple[Decimal, Decimal]:
    row = ProductChannelListing.objects.get(product=product, channel__slug="ir")
    return row.price_min, row.price_max


def test_a_price_changed_in_the_admin_moves_the_range(
    staff_client, honey, django_capture_on_commit_callbacks
):
    assert price_range(honey) == (Decimal(2_000_000), Decimal(2_001_000))
    listing = VariantChannelListing.objects.get(
        variant__product=honey, channel__slug="ir", price=2_001_000
    )
    version = catalog_version()
    url = reverse("admin:catalog_variantchannellisting_change", args=[listing.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            url,
            {
                "variant": listing.variant_id,
                "channel": listing.channel_id,
                "price": "900000",
                "currency": listing.currency,
            },
        )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert price_range(honey) == (Decimal(900_000), Decimal(2_000_000))
    assert catalog_version() != version


def test_a_price_deleted_in_the_admin_leaves_the_others(staff_client, honey):
    cheapest = VariantChannelListing.objects.get(
        variant__product=honey, channel__slug="ir", price=2_000_000
    )
    url = reverse("admin:catalog_variantchannellisting_delete", args=[cheapest.pk])
    assert staff_client.post(url, {"post": "yes"}).status_code == 302
    assert price_range(honey) == (Decimal(2_001_000), Decimal(2_001_000))


def test_all_prices_deleted_in_the_admin_take_the_product_off_the_channel(staff_client, honey):
    ids = list(
        VariantChannelListing.objects.filter(variant__product=honey).values_list("pk", flat=True)
    )
    url = reverse("admin:catalog_variantchannellisting_changelist")
    response = staff_client.post(
        url, {"action": "delete_selected", "_selected_action": ids, "post": "yes"}
    )
    assert response.status_code == 302
    assert not ProductChannelListing.objects.filter(product=honey).exists()
