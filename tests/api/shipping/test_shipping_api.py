"""Delivery through the API: owners' mutations and queries, the method type's price."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from marketplace.api.schema import schema
from marketplace.inventory.models import Warehouse
from marketplace.shipping import selectors
from marketplace.shipping.models import DeliveryMethod, DeliveryRate, ShippingZone
from tests.builders.accounts import ir_address, make_user
from tests.builders.sellers import make_seller
from tests.support import gid

CREATE = """
mutation($input: DeliveryMethodCreateInput!) {
  deliveryMethodCreate(input: $input) {
    deliveryMethod {
      id name kind minDays maxDays isActive
      price { amount currency }
      cooperative { name } seller { name } pickupPoint { name }
      zones { name }
      rates { channel maxWeight price { amount currency } freeAbove { amount currency } }
    }
    errors { field code message }
  }
}"""
UPDATE = """
mutation($id: ID!, $input: DeliveryMethodUpdateInput!) {
  deliveryMethodUpdate(id: $id, input: $input) {
    deliveryMethod { id name minDays maxDays pickupPoint { name } rates { maxWeight } }
    errors { field code }
  }
}"""
DEACTIVATE = """
mutation($id: ID!) {
  deliveryMethodDeactivate(id: $id) { deliveryMethod { isActive } errors { field code } }
}"""
METHODS = """
query($cooperative: ID, $seller: ID, $channel: String, $all: Boolean) {
  deliveryMethods(cooperative: $cooperative, seller: $seller, channel: $channel,
                  includeInactive: $all) {
    id name kind price { amount currency } minDays maxDays isActive
    zones { name provinces { code } }
  }
}"""
ZONE_CREATE = """
mutation($input: ShippingZoneInput!) {
  shippingZoneCreate(input: $input) {
    shippingZone { id name countries provinces { code } } errors { field code }
  }
}"""


@pytest.fixture
def iran_zone(seeded) -> ShippingZone:
    return ShippingZone.objects.get(name="ایران")


def method_input(iran_zone, **extra) -> dict:
    return {
        "name": "پیک روستا",
        "kind": "COOP_DELIVERY",
        "zones": [gid("ShippingZone", iran_zone)],
        "minDays": 1,
        "maxDays": 3,
        "rates": [
            {"channel": "ir", "price": 400000, "maxWeight": 2, "freeAbove": 20000000},
            {"channel": "ir", "price": 900000},
        ],
    } | extra


def test_cooperative_staff_create_their_method(api, iran_zone, coop_a, staff_a):
    result = api(
        CREATE,
        {"input": method_input(iran_zone, cooperative=gid("Cooperative", coop_a))},
        user=staff_a,
    )["data"]["deliveryMethodCreate"]
    assert result["errors"] == []
    method = result["deliveryMethod"]
    assert method["kind"] == "COOP_DELIVERY" and method["isActive"] is True
    assert method["cooperative"] == {"name": coop_a.name} and method["seller"] is None
    assert method["price"] == {"amount": 400000.0, "currency": "IRR"}
    assert method["zones"] == [{"name": "ایران"}]
    assert method["rates"] == [
        {
            "channel": "ir",
            "maxWeight": 2.0,
            "price": {"amount": 400000.0, "currency": "IRR"},
            "freeAbove": {"amount": 20000000.0, "currency": "IRR"},
        },
        {
            "channel": "ir",
            "maxWeight": None,
            "price": {"amount": 900000.0, "currency": "IRR"},
            "freeAbove": None,
        },
    ]


@pytest.mark.parametrize(
    ("who", "owner", "allowed"),
    [
        ("operator", "platform", True),
        ("staff_a", "platform", False),
        ("seller_a", "platform", False),
        ("anonymous", "platform", False),
        ("operator", "coop_a", True),
        ("staff_a", "coop_a", True),
        ("staff_b", "coop_a", False),
        ("seller_a", "coop_a", False),
        ("anonymous", "coop_a", False),
        ("operator", "seller_a", True),
        ("seller_a", "seller_a", True),
        ("staff_a", "seller_a", True),
        ("seller_b", "seller_a", False),
        ("staff_b", "seller_a", False),
        ("anonymous", "seller_a", False),
    ],
)
def test_who_may_create_and_update_methods(
    api, iran_zone, operator, coop_a, staff_a, staff_b, seller_a, seller_b, who, owner, allowed
):
    actors = {
        "operator": operator,
        "staff_a": staff_a,
        "staff_b": staff_b,
        "seller_a": seller_a.owner,
        "seller_b": seller_b.owner,
        "anonymous": None,
    }
    owners = {
        "platform": {},
        "coop_a": {"cooperative": gid("Cooperative", coop_a)},
        "seller_a": {"seller": gid("Seller", seller_a)},
    }
    before = DeliveryMethod.objects.count()
    result = api(CREATE, {"input": method_input(iran_zone, **owners[owner])}, user=actors[who])
    payload = result["data"]["deliveryMethodCreate"]
    if allowed:
        assert payload["errors"] == [] and DeliveryMethod.objects.count() == before + 1
    else:
        assert [e["code"] for e in payload["errors"]] == ["PERMISSION_DENIED"]
        assert DeliveryMethod.objects.count() == before

    # Updating an existing method of that owner follows the same rule.
    existing = DeliveryMethod.objects.create(
        name="قدیمی",
        kind="COURIER",
        cooperative=coop_a if owner == "coop_a" else None,
        seller=seller_a if owner == "seller_a" else None,
    )
    update = api(
        UPDATE, {"id": gid("DeliveryMethod", existing), "input": {"name": "تازه"}}, user=actors[who]
    )["data"]["deliveryMethodUpdate"]
    existing.refresh_from_db()
    if allowed:
        assert update["errors"] == [] and existing.name == "تازه"
    else:
        assert [e["code"] for e in update["errors"]] == ["PERMISSION_DENIED"]
        assert existing.name == "قدیمی"


def test_bad_input_gives_field_errors_and_changes_nothing(
    api, iran_zone, coop_a, staff_a, warehouse_b
):
    variables = {
        "input": method_input(
            iran_zone,
            cooperative=gid("Cooperative", coop_a),
            kind="PICKUP",
            pickupWarehouse=gid("Warehouse", warehouse_b),
            minDays=5,
            maxDays=2,
            rates=[
                {"channel": "ir", "price": -1},
                {"channel": "moon", "price": 10},
                {"channel": "ir", "price": 10, "maxWeight": 0},
            ],
        )
    }
    payload = api(CREATE, variables, user=staff_a, lang="fa")["data"]["deliveryMethodCreate"]
    assert payload["deliveryMethod"] is None
    assert {(e["field"], e["code"]) for e in payload["errors"]} == {
        ("pickupWarehouse", "PERMISSION_DENIED"),
        ("minDays", "INVALID"),
        ("rates.0.price", "INVALID"),
        ("rates.1.channel", "NOT_FOUND"),
        ("rates.2.maxWeight", "INVALID"),
    }
    assert all(e["message"] for e in payload["errors"])
    assert not DeliveryMethod.objects.filter(cooperative=coop_a).exists()


def test_unknown_ids_are_field_errors(api, iran_zone, coop_a, staff_a):
    variables = {
        "input": method_input(
            iran_zone,
            cooperative=gid("Cooperative", coop_a),
            zones=[gid("ShippingZone", iran_zone), gid("ShippingZone", 10**9), "junk"],
        )
    }
    payload = api(CREATE, variables, user=staff_a)["data"]["deliveryMethodCreate"]
    assert {(e["field"], e["code"]) for e in payload["errors"]} == {
        ("zones.1", "NOT_FOUND"),
        ("zones.2", "INVALID"),
    }
    missing = api(
        UPDATE, {"id": gid("DeliveryMethod", 10**9), "input": {"name": "x"}}, user=staff_a
    )["data"]["deliveryMethodUpdate"]
    assert missing["errors"] == [{"field": "id", "code": "NOT_FOUND"}]


def test_pickup_point_of_the_owner(api, iran_zone, coop_a, staff_a, warehouse_a):
    variables = {
        "input": method_input(
            iran_zone,
            cooperative=gid("Cooperative", coop_a),
            kind="PICKUP",
            pickupWarehouse=gid("Warehouse", warehouse_a),
        )
    }
    payload = api(CREATE, variables, user=staff_a)["data"]["deliveryMethodCreate"]
    assert payload["errors"] == []
    assert payload["deliveryMethod"]["pickupPoint"] == {"name": warehouse_a.name}


def test_update_keeps_left_out_values_and_clears_nulls(api, iran_zone, coop_a, staff_a):
    created = api(
        CREATE,
        {"input": method_input(iran_zone, cooperative=gid("Cooperative", coop_a))},
        user=staff_a,
    )["data"]["deliveryMethodCreate"]["deliveryMethod"]
    payload = api(
        UPDATE,
        {"id": created["id"], "input": {"maxDays": None, "rates": [{"channel": "ir", "price": 5}]}},
        user=staff_a,
    )["data"]["deliveryMethodUpdate"]
    assert payload["errors"] == []
    method = payload["deliveryMethod"]
    assert (method["minDays"], method["maxDays"]) == (1, None)
    assert method["rates"] == [{"maxWeight": None}]


def test_deactivate_hides_the_method_from_buyers(api, ir, razavi, iran_zone, coop_a, staff_a):
    created = api(
        CREATE,
        {"input": method_input(iran_zone, cooperative=gid("Cooperative", coop_a))},
        user=staff_a,
    )["data"]["deliveryMethodCreate"]["deliveryMethod"]
    available = selectors.available_methods(
        channel=ir, address=ir_address(razavi), cooperative=coop_a
    )
    assert "پیک روستا" in {m.name for m in available}
    stranger = make_user("stranger@example.com")
    denied = api(DEACTIVATE, {"id": created["id"]}, user=stranger)["data"]
    assert denied["deliveryMethodDeactivate"]["errors"][0]["code"] == "PERMISSION_DENIED"
    result = api(DEACTIVATE, {"id": created["id"]}, user=staff_a)["data"]
    assert result["deliveryMethodDeactivate"] == {
        "deliveryMethod": {"isActive": False},
        "errors": [],
    }
    available = selectors.available_methods(
        channel=ir, address=ir_address(razavi), cooperative=coop_a
    )
    assert "پیک روستا" not in {m.name for m in available}


# ---------- queries


def test_platform_methods_are_public_with_their_lightest_price(api, seeded):
    methods = api(METHODS)["data"]["deliveryMethods"]
    by_name = {m["name"]: m for m in methods}
    assert by_name["Express post"]["price"] == {"amount": 750000.0, "currency": "IRR"}
    assert by_name["Express post"]["kind"] == "POST"
    assert (by_name["Express post"]["minDays"], by_name["Express post"]["maxDays"]) == (2, 5)
    assert len(by_name["Express post"]["zones"][0]["provinces"]) == 31
    persian = api(METHODS, lang="fa")["data"]["deliveryMethods"]
    assert "پست پیشتاز" in {m["name"] for m in persian}
    intl = api(METHODS, {"channel": "intl"})["data"]["deliveryMethods"]
    world = next(m for m in intl if m["name"] == "International post")
    assert world["price"] == {"amount": 18.0, "currency": "USD"}


def test_owners_list_their_methods_others_may_not(api, iran_zone, coop_a, staff_a, staff_b):
    api(
        CREATE,
        {"input": method_input(iran_zone, cooperative=gid("Cooperative", coop_a))},
        user=staff_a,
    )
    DeliveryMethod.objects.filter(cooperative=coop_a).update(is_active=False)
    variables = {"cooperative": gid("Cooperative", coop_a), "all": True}
    mine = api(METHODS, variables, user=staff_a)["data"]["deliveryMethods"]
    assert [(m["name"], m["isActive"]) for m in mine] == [("پیک روستا", False)]
    assert (
        api(METHODS, {"cooperative": gid("Cooperative", coop_a)}, user=staff_a)["data"][
            "deliveryMethods"
        ]
        == []
    )
    for user in (staff_b, None):
        result = api(METHODS, variables, user=user)
        assert result["data"] is None
        assert result["errors"][0]["extensions"]["code"] == "PERMISSION_DENIED"
    unknown = api(METHODS, {"channel": "moon"})
    assert unknown["errors"][0]["extensions"]["code"] == "NOT_FOUND"


def test_method_list_query_count_is_fixed(api, ir, iran_zone, seller_a):
    """Ten methods cost the same queries as one: relations are batch-loaded."""
    warehouse = Warehouse.objects.create(name="انبار من", seller=seller_a)

    def add(n: int) -> None:
        for i in range(n):
            method = DeliveryMethod.objects.create(
                name=f"m{DeliveryMethod.objects.count()}-{i}",
                kind="PICKUP",
                seller=seller_a,
                pickup_warehouse=warehouse,
            )
            method.zones.set([iran_zone])
            DeliveryRate.objects.create(method=method, channel=ir, price=5)

    query = """query($seller: ID) { deliveryMethods(seller: $seller) {
        name price { amount } seller { name } pickupPoint { name }
        zones { name provinces { code } } rates { channel price { amount } } } }"""
    variables = {"seller": gid("Seller", seller_a)}

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            result = api(query, variables, user=seller_a.owner)
        assert "errors" not in result
        return len(queries)

    add(1)
    one = count()
    add(9)
    # Token user, the owner, the channel, methods, their zones, rates in the channel, the
    # seller, the zones' provinces, all rates: whatever the number of methods.
    assert one == 9
    assert count() == one


def test_zone_create(api, seeded, operator, staff_a, razavi):
    payload = api(
        ZONE_CREATE,
        {"input": {"name": "خراسان", "provinces": [gid("Province", razavi)], "countries": ["tm"]}},
        user=operator,
    )["data"]["shippingZoneCreate"]
    assert payload["errors"] == []
    assert payload["shippingZone"]["provinces"] == [{"code": "IR-09"}]
    assert payload["shippingZone"]["countries"] == ["TM"]
    bad = api(
        ZONE_CREATE,
        {"input": {"name": "x", "provinces": [gid("Province", 10**9)]}},
        user=operator,
    )["data"]["shippingZoneCreate"]
    assert bad["errors"] == [{"field": "provinces.0", "code": "NOT_FOUND"}]
    seller = make_seller("indie@example.com", "مستقل", None)
    for user in (make_user("just-buying@example.com"), seller.owner, staff_a):
        denied = api(ZONE_CREATE, {"input": {"name": "x", "countries": ["DE"]}}, user=user)
        assert denied["data"]["shippingZoneCreate"]["errors"][0]["code"] == "PERMISSION_DENIED"


def test_priced_method_shows_its_group_price(seeded, ir, razavi):
    """The checkout API resolves availableDeliveryMethods with the selectors' copies."""
    express = DeliveryMethod.objects.get(name="پست پیشتاز")
    priced = selectors.with_price(express, Decimal(1100000), "IRR")
    method_type = schema.graphql_schema.get_type("DeliveryMethod")
    resolve = method_type.fields["price"].resolve
    assert resolve(priced, None) == {"amount": 1100000.0, "currency": "IRR"}
    assert express.group_price is None
