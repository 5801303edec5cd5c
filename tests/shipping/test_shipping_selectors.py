"""Which methods serve an address and what they cost."""

from __future__ import annotations

from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from marketplace.shipping import selectors
from marketplace.shipping.models import DeliveryMethod, ShippingZone
from tests.builders.accounts import foreign_address, ir_address
from tests.builders.sellers import make_seller
from tests.builders.shipping import make_method

D = Decimal


def names(methods: list[DeliveryMethod]) -> set[str]:
    return {m.name for m in methods}


def test_platform_post_serves_every_province_in_the_ir_channel(ir, razavi, tehran, coop_a):
    for province in (razavi, tehran):
        found = selectors.available_methods(
            channel=ir, address=ir_address(province), cooperative=coop_a
        )
        assert {"پست پیشتاز", "پست سفارشی"} <= names(found)
        assert "پست بین‌المللی" not in names(found)


def test_international_post_serves_foreign_addresses_only_in_intl(ir, intl, coop_a):
    address = foreign_address("DE")
    assert names(
        selectors.available_methods(channel=intl, address=address, cooperative=coop_a)
    ) >= {"پست بین‌المللی"}
    # No rates in rial for abroad, and the national post does not go there.
    assert selectors.available_methods(channel=ir, address=address, cooperative=coop_a) == []


def test_own_methods_serve_only_their_owner(ir, razavi, zone_razavi, coop_a, coop_b):
    make_method(
        name="پیک تربت",
        zones=[zone_razavi],
        rates=[(ir, None, D(300000), None)],
        cooperative=coop_a,
    )
    address = ir_address(razavi)
    assert "پیک تربت" in names(
        selectors.available_methods(channel=ir, address=address, cooperative=coop_a)
    )
    assert "پیک تربت" not in names(
        selectors.available_methods(channel=ir, address=address, cooperative=coop_b)
    )


def test_seller_methods_serve_that_independent_seller(ir, razavi, zone_razavi):
    independent = make_seller("solo@example.com", "عسل کوهستان", None)
    other = make_seller("other@example.com", "گلاب", None)
    make_method(
        name="ارسال خودم", zones=[zone_razavi], rates=[(ir, None, D(1), None)], seller=independent
    )
    address = ir_address(razavi)
    assert "ارسال خودم" in names(
        selectors.available_methods(channel=ir, address=address, seller=independent)
    )
    assert "ارسال خودم" not in names(
        selectors.available_methods(channel=ir, address=address, seller=other)
    )


def test_province_zone_does_not_serve_other_provinces(ir, tehran, zone_razavi, coop_a):
    make_method(
        name="پیک تربت",
        zones=[zone_razavi],
        rates=[(ir, None, D(300000), None)],
        cooperative=coop_a,
    )
    found = selectors.available_methods(channel=ir, address=ir_address(tehran), cooperative=coop_a)
    assert "پیک تربت" not in names(found)


def test_country_zone_serves_a_country(intl, coop_a):
    zone = ShippingZone.objects.create(name="Gulf", countries=["AE", "QA"])
    make_method(
        name="Gulf courier", zones=[zone], rates=[(intl, None, D(9), None)], cooperative=coop_a
    )
    assert "Gulf courier" in names(
        selectors.available_methods(channel=intl, address=foreign_address("AE"), cooperative=coop_a)
    )
    assert "Gulf courier" not in names(
        selectors.available_methods(channel=intl, address=foreign_address("DE"), cooperative=coop_a)
    )


def test_inactive_methods_and_methods_without_a_rate_in_the_channel_are_left_out(
    ir, intl, razavi, zone_razavi, coop_a
):
    method = make_method(
        name="پیک", zones=[zone_razavi], rates=[(intl, None, D(5), None)], cooperative=coop_a
    )
    address = ir_address(razavi)
    assert "پیک" not in names(
        selectors.available_methods(channel=ir, address=address, cooperative=coop_a)
    )
    make_method(
        name="پیک خاموش", zones=[zone_razavi], rates=[(ir, None, D(5), None)], cooperative=coop_a
    )
    DeliveryMethod.objects.filter(name="پیک خاموش").update(is_active=False)
    found = names(selectors.available_methods(channel=ir, address=address, cooperative=coop_a))
    assert "پیک خاموش" not in found and method.name not in found


def test_weight_brackets_and_free_above(ir):
    express = DeliveryMethod.objects.get(name="پست پیشتاز")

    def price(weight: str, subtotal: str = "1000000") -> Decimal | None:
        return selectors.delivery_price(
            method=express, channel=ir, weight=D(weight), subtotal=D(subtotal)
        )

    assert price("0") == D(750000)
    assert price("0.4") == D(750000)
    assert price("1") == D(750000)  # the limit is inclusive
    assert price("1.001") == D(1100000)
    assert price("3") == D(1100000)
    assert price("9.5") == D(2000000)
    assert price("25") == D(3500000)  # the open bracket
    assert price("2", subtotal="49999999") == D(1100000)
    assert price("2", subtotal="50000000") == D(0)
    assert price("25", subtotal="80000000") == D(0)


def test_no_bracket_fits_means_not_available(ir, razavi, zone_razavi, coop_a):
    light_only = make_method(
        name="پیک سبک",
        zones=[zone_razavi],
        rates=[(ir, D("2"), D(200000), None)],
        cooperative=coop_a,
    )
    assert selectors.delivery_price(method=light_only, channel=ir, weight=D(2), subtotal=D(1)) == D(
        200000
    )
    assert (
        selectors.delivery_price(method=light_only, channel=ir, weight=D(3), subtotal=D(1)) is None
    )
    groups = [((coop_a.pk, None), D(3), D(1))]
    priced = selectors.priced_methods_for_groups(
        channel=ir, address=ir_address(razavi), groups=groups
    )
    assert "پیک سبک" not in names(priced[(coop_a.pk, None)])


def test_usd_prices_keep_cents(intl):
    method = DeliveryMethod.objects.get(name="پست بین‌المللی")
    assert selectors.delivery_price(
        method=method, channel=intl, weight=D("0.3"), subtotal=D(10)
    ) == D("18.00")


def test_many_groups_cost_two_queries(ir, razavi, zone_razavi, coop_a, coop_b):
    fulfillers = []
    for i in range(6):
        seller = make_seller(f"s{i}@example.com", f"s{i}", None)
        make_method(
            name=f"own {i}", zones=[zone_razavi], rates=[(ir, None, D(10 + i), None)], seller=seller
        )
        fulfillers.append(((None, seller.pk), D(i), D(1000)))
    fulfillers += [((coop_a.pk, None), D(2), D(1)), ((coop_b.pk, None), D(20), D(1))]
    address = ir_address(razavi)
    with CaptureQueriesContext(connection) as queries:
        priced = selectors.priced_methods_for_groups(channel=ir, address=address, groups=fulfillers)
    assert len(queries) == 2
    assert priced[(None, fulfillers[3][0][1])][0].name in {"own 3", "پست پیشتاز", "پست سفارشی"}
    own = [m for m in priced[(None, fulfillers[3][0][1])] if m.name == "own 3"]
    assert own[0].group_price == D(13)
    # The same platform method carries each group's own price.
    express_a = next(m for m in priced[(coop_a.pk, None)] if m.name == "پست پیشتاز")
    express_b = next(m for m in priced[(coop_b.pk, None)] if m.name == "پست پیشتاز")
    assert (express_a.group_price, express_b.group_price) == (D(1100000), D(3500000))
    assert {m.name for m in priced[(coop_a.pk, None)]} == {"پست پیشتاز", "پست سفارشی"}


def test_pricing_methods_fetched_elsewhere_costs_one_query(ir):
    methods = list(DeliveryMethod.objects.filter(rates__channel=ir).distinct())
    assert len(methods) >= 2
    with CaptureQueriesContext(connection) as queries:
        selectors.attach_rates(methods, ir)
        prices = [
            selectors.delivery_price(method=m, channel=ir, weight=D(1), subtotal=D(0))
            for m in methods
        ]
    assert len(queries) == 1
    assert D(750000) in prices


def test_base_rates_prefer_the_asked_channel(ir, intl):
    express = DeliveryMethod.objects.get(name="پست پیشتاز")
    world = DeliveryMethod.objects.get(name="پست بین‌المللی")
    rates = selectors.base_rates([express.pk, world.pk])
    assert rates[express.pk].price == D(750000) and rates[express.pk].channel == ir
    assert rates[world.pk].price == D("18.00") and rates[world.pk].channel == intl
