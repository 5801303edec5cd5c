"""Owners manage zones and delivery methods; bad input gives field errors and changes nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser, Permission

from marketplace.accounts.models import User
from marketplace.core.errors import DomainError
from marketplace.inventory.models import Warehouse
from marketplace.shipping import services
from marketplace.shipping.models import DeliveryMethod, DeliveryRate, ShippingZone
from marketplace.shipping.services import RateInput
from tests.builders.accounts import make_user
from tests.builders.sellers import make_seller
from tests.support import codes_by_field as codes

D = Decimal
IR_RATES = [RateInput(channel="ir", price="300000", max_weight="5"), RateInput("ir", 600000)]


def create(actor, **kwargs) -> DeliveryMethod:
    data = {"name": "پیک", "kind": "COURIER", "rates": IR_RATES} | kwargs
    data.setdefault("zones", [ShippingZone.objects.get(name="ایران")])
    return services.create_method(actor=actor, **data)


@pytest.fixture
def shipping_manager(db):
    """Platform staff holding only the shipping permissions (not a superuser)."""
    user = make_user("shipping@example.com", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="shipping",
            codename__in=[
                "add_deliverymethod",
                "change_deliverymethod",
                "add_shippingzone",
                "change_shippingzone",
                "delete_shippingzone",
            ],
        )
    )
    return User.objects.get(pk=user.pk)  # a fresh instance: no cached permissions


# ---------- who may act


def test_platform_methods_need_the_platform_permission(seeded, operator, shipping_manager):
    assert create(operator, name="پست ویژه").cooperative_id is None
    assert create(shipping_manager, name="پست ویژه ۲").pk
    plain_staff = make_user("plain-staff@example.com", is_staff=True)
    for actor in (plain_staff, make_user("nobody@example.com"), AnonymousUser()):
        with pytest.raises(DomainError) as exc:
            create(actor)
        assert codes(exc) == {None: "PERMISSION_DENIED"}


def test_cooperative_methods_belong_to_its_staff(seeded, coop_a, staff_a, staff_b, seller_a):
    method = create(staff_a, cooperative=coop_a)
    assert method.cooperative_id == coop_a.pk
    for actor in (staff_b, seller_a.owner, AnonymousUser()):
        with pytest.raises(DomainError) as exc:
            create(actor, cooperative=coop_a)
        assert codes(exc) == {"cooperative": "PERMISSION_DENIED"}
        with pytest.raises(DomainError) as exc:
            services.update_method(actor=actor, method=method, name="دزدیده")
        assert codes(exc) == {"cooperative": "PERMISSION_DENIED"}
    method.refresh_from_db()
    assert method.name == "پیک"


def test_seller_methods_belong_to_the_seller_and_its_cooperative_staff(
    seeded, seller_a, seller_b, staff_a, staff_b, operator
):
    assert create(seller_a.owner, seller=seller_a).seller_id == seller_a.pk
    assert create(staff_a, seller=seller_a, name="پیک تعاونی").seller_id == seller_a.pk
    assert create(operator, seller=seller_a, name="پیک اپراتور").seller_id == seller_a.pk
    for actor in (seller_b.owner, staff_b, AnonymousUser()):
        with pytest.raises(DomainError) as exc:
            create(actor, seller=seller_a)
        assert codes(exc) == {"seller": "PERMISSION_DENIED"}


def test_deactivate(seeded, coop_a, staff_a, staff_b):
    method = create(staff_a, cooperative=coop_a)
    with pytest.raises(DomainError):
        services.deactivate_method(actor=staff_b, method=method)
    assert services.deactivate_method(actor=staff_a, method=method).is_active is False
    method.refresh_from_db()
    assert method.is_active is False


# ---------- bad input


def test_every_bad_field_is_reported_at_once(seeded, coop_a, staff_a):
    with pytest.raises(DomainError) as exc:
        services.create_method(
            actor=staff_a,
            cooperative=coop_a,
            name="",
            kind="TELEPORT",
            zones=[],
            min_days=9,
            max_days=3,
            rates=[
                RateInput(channel="mars", price=1),
                RateInput(channel="ir", price=-5),
                RateInput(channel="ir", price=10, max_weight="-1"),
                RateInput(channel="ir", price=10, max_weight="2", free_above="-1"),
            ],
        )
    assert codes(exc) == {
        "name": "REQUIRED",
        "kind": "INVALID",
        "zones": "REQUIRED",
        "min_days": "INVALID",
        "rates.0.channel": "NOT_FOUND",
        "rates.1.price": "INVALID",
        "rates.2.max_weight": "INVALID",
        "rates.3.free_above": "INVALID",
    }
    assert not DeliveryMethod.objects.filter(cooperative=coop_a).exists()


def test_rates_are_required_and_brackets_unique(seeded, coop_a, staff_a):
    with pytest.raises(DomainError) as exc:
        create(staff_a, cooperative=coop_a, rates=[])
    assert codes(exc) == {"rates": "REQUIRED"}
    with pytest.raises(DomainError) as exc:
        create(
            staff_a,
            cooperative=coop_a,
            rates=[RateInput("ir", 1), RateInput("intl", 1), RateInput("ir", 2)],
        )
    assert codes(exc) == {"rates.2.max_weight": "UNIQUE"}


def test_prices_follow_the_channel_currency_and_digits_may_be_persian(seeded, coop_a, staff_a):
    method = create(
        staff_a,
        cooperative=coop_a,
        rates=[
            RateInput("ir", "۲۵۰۰۰۰", max_weight="۱.۵", free_above="10000000.4"),
            RateInput("intl", "3.456"),
            RateInput("ir", 0, max_weight="0.2"),  # free light parcels are allowed
        ],
    )
    rows = {(r.channel.slug, r.max_weight): r for r in DeliveryRate.objects.filter(method=method)}
    assert rows[("ir", D("1.5"))].price == D(250000)
    assert rows[("ir", D("1.5"))].free_above == D(10000000)
    assert rows[("intl", None)].price == D("3.46")
    assert rows[("ir", D("0.2"))].price == 0


def test_pickup_point_must_be_a_warehouse_of_the_owner(
    seeded, coop_a, staff_a, warehouse_a, warehouse_b, seller_a, operator
):
    with pytest.raises(DomainError) as exc:
        create(staff_a, cooperative=coop_a, kind="PICKUP")
    assert codes(exc) == {"pickup_warehouse": "REQUIRED"}
    with pytest.raises(DomainError) as exc:
        create(staff_a, cooperative=coop_a, kind="PICKUP", pickup_warehouse=warehouse_b)
    assert codes(exc) == {"pickup_warehouse": "PERMISSION_DENIED"}
    with pytest.raises(DomainError) as exc:
        create(staff_a, cooperative=coop_a, kind="POST", pickup_warehouse=warehouse_a)
    assert codes(exc) == {"pickup_warehouse": "INVALID"}
    # A member seller's own method cannot use the cooperative's warehouse either.
    with pytest.raises(DomainError) as exc:
        create(seller_a.owner, seller=seller_a, kind="PICKUP", pickup_warehouse=warehouse_a)
    assert codes(exc) == {"pickup_warehouse": "PERMISSION_DENIED"}
    own = Warehouse.objects.create(name="انبار خودم", seller=seller_a)
    assert create(seller_a.owner, seller=seller_a, kind="PICKUP", pickup_warehouse=own).pk
    # The platform has no warehouses.
    with pytest.raises(DomainError) as exc:
        create(operator, kind="PICKUP", pickup_warehouse=warehouse_a)
    assert codes(exc) == {"pickup_warehouse": "INVALID"}
    pickup = create(staff_a, cooperative=coop_a, kind="PICKUP", pickup_warehouse=warehouse_a)
    assert pickup.pickup_warehouse_id == warehouse_a.pk


def test_update_replaces_rates_and_zones_and_keeps_what_is_not_given(
    seeded, coop_a, staff_a, zone_razavi
):
    method = create(staff_a, cooperative=coop_a, min_days=1, max_days=2)
    services.update_method(
        actor=staff_a,
        method=method,
        zones=[zone_razavi],
        rates=[RateInput("ir", 123000)],
        max_days=4,
    )
    method.refresh_from_db()
    assert list(method.zones.all()) == [zone_razavi]
    assert [(r.max_weight, r.price) for r in method.rates.all()] == [(None, D(123000))]
    assert (method.name, method.min_days, method.max_days) == ("پیک", 1, 4)
    with pytest.raises(DomainError) as exc:
        services.update_method(actor=staff_a, method=method, min_days=5, rates=[])
    assert codes(exc) == {"min_days": "INVALID", "rates": "REQUIRED"}
    method.refresh_from_db()
    assert method.min_days == 1 and method.rates.count() == 1


def test_changing_kind_away_from_pickup_drops_the_point(seeded, coop_a, staff_a, warehouse_a):
    method = create(staff_a, cooperative=coop_a, kind="PICKUP", pickup_warehouse=warehouse_a)
    services.update_method(actor=staff_a, method=method, kind="COOP_DELIVERY")
    method.refresh_from_db()
    assert method.kind == "COOP_DELIVERY" and method.pickup_warehouse_id is None


# ---------- zones


def test_zones(seeded, operator, shipping_manager, staff_a, razavi, tehran):
    zone = services.create_zone(
        actor=shipping_manager, name="شمال شرق", provinces=[razavi, razavi], countries=["af", "TM"]
    )
    assert zone.countries == ["AF", "TM"] and list(zone.provinces.all()) == [razavi]
    with pytest.raises(DomainError) as exc:
        services.update_zone(actor=staff_a, zone=zone, name="دیگر")
    assert codes(exc) == {None: "PERMISSION_DENIED"}
    services.update_zone(actor=shipping_manager, zone=zone, provinces=[tehran])
    assert list(zone.provinces.all()) == [tehran] and zone.name == "شمال شرق"
    with pytest.raises(DomainError) as exc:
        services.create_zone(actor=operator, name="", countries=["XX", "IRN"])
    assert codes(exc) == {"name": "REQUIRED", "countries.0": "INVALID", "countries.1": "INVALID"}
    with pytest.raises(DomainError) as exc:
        services.create_zone(actor=operator, name="هیچ‌جا")
    assert codes(exc) == {"provinces": "REQUIRED"}
    for actor in (make_user("buyer2@example.com"), AnonymousUser(), staff_a):
        with pytest.raises(DomainError) as exc:
            services.create_zone(actor=actor, name="x", countries=["DE"])
        assert codes(exc) == {None: "PERMISSION_DENIED"}


def test_a_zone_in_use_cannot_be_deleted(seeded, operator, coop_a, staff_a, zone_razavi):
    method = create(staff_a, cooperative=coop_a, zones=[zone_razavi])
    with pytest.raises(DomainError) as exc:
        services.delete_zone(actor=operator, zone=zone_razavi)
    assert codes(exc) == {"id": "INVALID"}
    services.deactivate_method(actor=staff_a, method=method)
    with pytest.raises(DomainError):
        services.delete_zone(actor=staff_a, zone=zone_razavi)
    services.delete_zone(actor=operator, zone=zone_razavi)
    assert not ShippingZone.objects.filter(pk=zone_razavi.pk).exists()


def test_only_platform_staff_add_zones(seeded, razavi):
    seller = make_seller("solo@example.com", "عسل", None)
    with pytest.raises(DomainError) as exc:
        services.create_zone(actor=seller.owner, name="مشهد", provinces=[razavi])
    assert codes(exc) == {None: "PERMISSION_DENIED"}
    assert not ShippingZone.objects.filter(name="مشهد").exists()
