"""The shipping selectors' hand-written statements (core.sql) answer what the ORM
answers on the same data: the methods serving an address with a rate in a channel, and
their rates. `serves` is "serves the address" written with the ORM, the twin of
shipping.selectors.serves_address_sql."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db.models import Exists, F, OuterRef, Q

from marketplace.accounts.models import Address
from marketplace.channels.models import Channel
from marketplace.shipping import selectors
from marketplace.shipping.models import DeliveryMethod, DeliveryRate, ShippingZone
from tests.builders.accounts import foreign_address, ir_address
from tests.builders.sellers import make_seller
from tests.builders.shipping import make_method

D = Decimal
pytestmark = pytest.mark.django_db


def serves(address: Address, method: str = "pk") -> Exists:
    """A zone of the method contains the address's province or its whole country."""
    condition = Q(countries__contains=[address.country])
    if address.province_id is not None:
        condition |= Q(provinces=address.province_id)
    return Exists(ShippingZone.objects.filter(condition, methods=OuterRef(method)))


def values(instance) -> dict | None:
    if instance is None:
        return None
    return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}


def orm_methods(channel: Channel, address: Address, cooperative_ids, seller_ids) -> list:
    owners = (
        Q(cooperative__isnull=True, seller__isnull=True)
        | Q(cooperative_id__in=cooperative_ids)
        | Q(seller_id__in=seller_ids)
    )
    rated = Exists(DeliveryRate.objects.filter(method=OuterRef("pk"), channel=channel))
    return list(
        DeliveryMethod.objects.select_related("pickup_warehouse")
        .filter(owners, serves(address), rated, is_active=True)
        .order_by("kind", "name", "id")
    )


@pytest.fixture
def methods(ir, intl, razavi, zone_razavi, coop_a, coop_b, warehouse_a):
    solo = make_seller("solo@example.com", "عسل کوهستان", None)
    gulf = ShippingZone.objects.create(name="Gulf", countries=["AE", "QA"])
    make_method(
        name="پیک تربت", zones=[zone_razavi], rates=[(ir, None, D(3), None)], cooperative=coop_a
    )
    make_method(
        name="پیک کاشمر", zones=[zone_razavi], rates=[(ir, None, D(4), None)], cooperative=coop_b
    )
    make_method(name="ارسال خودم", zones=[zone_razavi], rates=[(ir, D(2), D(1), None)], seller=solo)
    make_method(
        name="تحویل در انبار",
        kind="PICKUP",
        zones=[zone_razavi],
        rates=[(ir, D(1), D(1), D(9)), (ir, None, D(2), None), (intl, None, D(5), None)],
        cooperative=coop_a,
        pickup_warehouse=warehouse_a,
    )
    make_method(
        name="Gulf courier", zones=[gulf], rates=[(intl, None, D(9), None)], cooperative=coop_a
    )
    make_method(
        name="بی‌نرخ", zones=[zone_razavi], rates=[(intl, None, D(5), None)], cooperative=coop_a
    )
    off = make_method(name="خاموش", zones=[zone_razavi], rates=[(ir, None, D(5), None)])
    DeliveryMethod.objects.filter(pk=off.pk).update(is_active=False)
    return {"solo": solo}


@pytest.mark.parametrize(
    "where",
    [("ir", "razavi"), ("ir", "tehran"), ("intl", "AE"), ("intl", "DE"), ("intl", "razavi")],
)
@pytest.mark.parametrize("owners", ["a", "both", "solo"])
def test_methods_for_groups_as_the_orm_reads_them(
    methods, where, owners, razavi, tehran, coop_a, coop_b
):
    channel_slug, place = where
    channel = Channel.objects.get(slug=channel_slug)
    provinces = {"razavi": razavi, "tehran": tehran}
    address = ir_address(provinces[place]) if place in provinces else foreign_address(place)
    fulfillers = {
        "a": [(coop_a.pk, None)],
        "both": [(coop_a.pk, None), (coop_b.pk, None), (None, methods["solo"].pk)],
        "solo": [(None, methods["solo"].pk)],
    }[owners]
    found = selectors.methods_for_groups(channel=channel, address=address, fulfillers=fulfillers)
    cooperative_ids = [c for c, _s in fulfillers if c is not None]
    seller_ids = [s for _c, s in fulfillers if s is not None]
    expected = orm_methods(channel, address, cooperative_ids, seller_ids)
    for cooperative_id, seller_id in fulfillers:
        own = [
            m
            for m in expected
            if (m.cooperative_id is None and m.seller_id is None)
            or (cooperative_id is not None and m.cooperative_id == cooperative_id)
            or (seller_id is not None and m.seller_id == seller_id)
        ]
        got = found[(cooperative_id, seller_id)]
        assert [values(m) for m in got] == [values(m) for m in own]
        assert [values(m.pickup_warehouse) for m in got] == [
            values(m.pickup_warehouse) for m in own
        ]
    # The cooperatives' cases each find some method: the comparisons above are not empty.
    assert found[fulfillers[0]] or owners == "solo"


def test_rates_by_method_as_the_orm_reads_them(methods, ir, intl):
    ids = list(DeliveryMethod.objects.values_list("pk", flat=True))
    for channel in (ir, intl):
        found = selectors.rates_by_method(ids, channel)
        rates = DeliveryRate.objects.filter(channel=channel, method_id__in=ids).order_by(
            "method_id", F("max_weight").asc(nulls_last=True)
        )
        expected = {pk: [] for pk in ids}
        for rate in rates:
            expected[rate.method_id].append(values(rate))
        assert {pk: [values(r) for r in found[pk]] for pk in ids} == expected
        assert all(r.channel is channel for rates_of in found.values() for r in rates_of)
