"""The checkout's hand-written statements (core.sql) read what the ORM reads on the same
data: a checkout with its channel, address and voucher; its lines with their variant,
product, seller, cooperative and price; the variants a buyer adds; the units each line
holds; the chosen delivery methods that still apply; the stored choices."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.db.models import Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from marketplace.catalog.models import ProductVariant, VariantChannelListing
from marketplace.checkout import info as checkout_info
from marketplace.checkout import selectors
from marketplace.checkout.models import Checkout, CheckoutDelivery, CheckoutLine
from marketplace.core import sql
from marketplace.inventory.models import Reservation
from marketplace.locations.models import Province
from marketplace.shipping.models import DeliveryMethod, ShippingZone
from marketplace.shipping.selectors import serves_address_params
from tests.builders.catalog import make_variant
from tests.builders.checkout import make_checkout
from tests.builders.discounts import make_voucher
from tests.builders.sellers import make_seller
from tests.builders.shipping import make_method
from tests.shipping.test_shipping_sql_parity import serves

pytestmark = pytest.mark.django_db

LINE_RELATIONS = ("variant", "variant__product", "variant__product__seller")
SKIPPED = {"search_vector", "search_text"}  # product columns the lines never read


def values(instance) -> dict | None:
    if instance is None:
        return None
    return {
        f.attname: getattr(instance, f.attname)
        for f in instance._meta.concrete_fields
        if f.name not in SKIPPED
    }


def walk(instance, path: str):
    for name in path.split("__"):
        instance = getattr(instance, name) if instance is not None else None
    return instance


@pytest.fixture
def carts(buyer, seller_a, coop_a):
    solo = make_seller("solo@example.com", "عسل کوهستان", None)
    saffron = make_variant(seller_a, price=2_500_000)
    abroad_only = make_variant(seller_a, channels=("intl",))
    honey = make_variant(solo, price=900_000, weight="1.2")
    ProductVariant.objects.filter(pk=honey.pk).update(weight=None)
    full = make_checkout(
        [(saffron, 2), (honey, 1), (abroad_only, 1)], user=buyer, voucher=make_voucher()
    )
    # One hold lapsed: it no longer counts as held.
    Reservation.objects.filter(checkout_line__variant=honey).update(
        reserved_until=timezone.now() - timedelta(minutes=1)
    )
    bare = make_checkout([(saffron, 1)], email="guest@example.com", address=False, deliver=False)
    # The independent seller's own methods: one serving Tehran only, one switched off.
    tehran = ShippingZone.objects.create(name="Tehran")
    tehran.provinces.set([Province.objects.get(code="IR-23")])
    elsewhere = make_method(name="پیک تهران", zones=[tehran], rates=[], seller=solo)
    off = make_method(name="خاموش", zones=list(ShippingZone.objects.all()), rates=[], seller=solo)
    DeliveryMethod.objects.filter(pk=off.pk).update(is_active=False)
    other = make_checkout([(saffron, 1), (honey, 1)])
    CheckoutDelivery.objects.filter(checkout=other, seller=solo).update(method=elsewhere)
    switched_off = make_checkout([(honey, 1)])
    CheckoutDelivery.objects.filter(checkout=switched_off).update(method=off)
    return {
        "checkouts": [full, bare, other, switched_off],
        "variants": [saffron, abroad_only, honey],
    }


def test_lines_as_select_related_reads_them(carts):
    for checkout in carts["checkouts"]:
        checkout = Checkout.objects.select_related(*selectors.RELATED).get(pk=checkout.pk)
        found = checkout_info.fetch_lines(checkout)
        lines = (
            CheckoutLine.objects.filter(checkout=checkout)
            .select_related("variant__product__seller__cooperative")
            .order_by("created", "id")
        )
        prices = dict(
            VariantChannelListing.objects.filter(channel=checkout.channel).values_list(
                "variant_id", "price"
            )
        )
        assert [values(info.line) for info in found] == [values(line) for line in lines]
        for info, line in zip(found, lines, strict=True):
            for path in (*LINE_RELATIONS, "variant__product__seller__cooperative"):
                assert values(walk(info.line, path)) == values(walk(line, path)), path
            assert info.unit_price == prices.get(line.variant_id)
    assert any(info.unit_price is None for info in checkout_info.fetch_lines(carts["checkouts"][0]))


def test_checkout_with_its_relations_as_select_related_reads_it(carts, buyer):
    for checkout in carts["checkouts"]:
        expected = Checkout.objects.select_related(*selectors.RELATED).get(pk=checkout.pk)
        found = [selectors.checkout_for(checkout.user or None, checkout.pk)]
        found.append(selectors.locked_checkout(checkout.pk))
        for loaded in found:
            assert values(loaded) == values(expected)
            for relation in selectors.RELATED:
                assert values(getattr(loaded, relation)) == values(getattr(expected, relation))
    assert selectors.checkout_for(None, carts["checkouts"][0].pk) is None  # the buyer's


def test_variants_to_buy_as_the_orm_reads_them(carts, ir):
    ids = {v.pk for v in carts["variants"]} | {10**9}
    variants, priced = selectors.variants_to_buy(ids, ir.pk)
    expected = ProductVariant.objects.select_related("product__seller").filter(pk__in=ids)
    assert {pk: values(v) for pk, v in variants.items()} == {v.pk: values(v) for v in expected}
    for variant in expected:
        for path in ("product", "product__seller"):
            assert values(walk(variants[variant.pk], path)) == values(walk(variant, path))
    assert priced == set(
        VariantChannelListing.objects.filter(channel=ir, variant_id__in=ids).values_list(
            "variant_id", flat=True
        )
    )
    assert priced and priced != set(variants)


def test_lines_with_held_as_the_orm_counts_them(carts):
    now = timezone.now()
    for checkout in carts["checkouts"]:
        found = selectors.lines_with_held(checkout)
        live = Q(reservations__reserved_until__gt=now)
        expected = CheckoutLine.objects.filter(checkout=checkout).annotate(
            units=Coalesce(Sum("reservations__quantity", filter=live), 0)
        )
        assert {v: (values(line), line.held) for v, line in found.items()} == {
            line.variant_id: (values(line), line.units) for line in expected
        }
    held = selectors.lines_with_held(carts["checkouts"][0]).values()
    assert {line.held for line in held} >= {0, 2}


def test_chosen_methods_that_apply_as_the_orm_reads_them(carts):
    statement = sql.STATEMENTS["checkout.chosen_methods"].sql()
    applying = []
    for checkout in carts["checkouts"]:
        if checkout.shipping_address is None:
            continue
        with connection.cursor() as cursor:
            cursor.execute(
                statement, [checkout.pk, *serves_address_params(checkout.shipping_address)]
            )
            rows = [checkout_info.CHOSEN_SHAPE.read(row) for row in cursor.fetchall()]
        found = {(owner.cooperative_id, owner.seller_id): values(m) for m, owner in rows}
        expected = (
            CheckoutDelivery.objects.filter(checkout=checkout, method__is_active=True)
            .filter(serves(checkout.shipping_address, "method_id"))
            .select_related("method")
        )
        assert found == {(d.cooperative_id, d.seller_id): values(d.method) for d in expected}
        applying.append(len(found))
    # The full cart's two choices apply; of the others', the method serving Tehran only
    # and the method switched off do not.
    assert applying == [2, 1, 0]


def test_stored_choices_as_the_orm_reads_them(carts):
    for checkout in carts["checkouts"]:
        checkout = Checkout.objects.select_related(*selectors.RELATED).get(pk=checkout.pk)
        chosen = selectors.chosen_methods(selectors.info_with_options(checkout))
        expected = CheckoutDelivery.objects.filter(checkout=checkout)
        assert chosen == {(d.cooperative_id, d.seller_id): d.method_id for d in expected}
    assert chosen  # the last cart has a choice
