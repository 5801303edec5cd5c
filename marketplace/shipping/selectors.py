"""Reads for delivery: which methods serve an address, and what they cost.

Built for a checkout with many groups (one per fulfiller): `methods_for_groups` answers
for all of them in two queries (methods, then their rates in the channel), and the
prices are then computed in Python from the rates it attached to each method.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.db import connection
from django.db.models import F, Q, QuerySet

from marketplace.accounts.models import Address
from marketplace.channels import money
from marketplace.channels.models import Channel
from marketplace.core import sql
from marketplace.core.sql import Shape, Table
from marketplace.inventory.models import Warehouse
from marketplace.locations.models import Province
from marketplace.sellers import permissions as seller_permissions
from marketplace.sellers.models import Cooperative, Seller
from marketplace.shipping.models import DeliveryMethod, DeliveryRate, ShippingZone

# A fulfiller as the checkout knows it: (cooperative id, None) or (None, seller id).
Fulfiller = tuple[int | None, int | None]

# The names of what the selectors below leave on a DeliveryMethod (fields it declares,
# not columns), for readers that look them up by name.
RATES_ATTR = "channel_rates"
RATES_CHANNEL_ATTR = "rates_channel_id"
PRICE_ATTR = "group_price"
CURRENCY_ATTR = "group_currency"


def platform_owned() -> Q:
    return Q(cooperative__isnull=True, seller__isnull=True)


# The methods serving an address with a rate in a channel, and then their rates: two
# hand-written statements (core.sql) rather than ORM queries with subqueries and a
# prefetch compiled on every checkout request that shows delivery options.
METHOD = Table("m", DeliveryMethod)
METHOD_SHAPE = Shape([METHOD, Table("w", Warehouse, ("m", "pickup_warehouse"))])
RATE = Table("r", DeliveryRate)
RATE_SHAPE = Shape([RATE])


def serves_address_sql(method: str) -> str:
    """Whether a zone of the method contains the address's province (Iran) or its whole
    country, as SQL for hand-written statements, `method` naming the method id column;
    its parameters are `serves_address_params(address)`."""
    zone, link = Table("z", ShippingZone), Table("mz", DeliveryMethod.zones.through)
    province = Table("zp", ShippingZone.provinces.through)
    return f"""EXISTS (SELECT 1 FROM {zone.ref}
                 {sql.join(link, sql.on(link, "shippingzone", zone))}
                WHERE {link.c.deliverymethod} = {method}
                  AND ({zone.c.countries} @> ARRAY[%s]::varchar(2)[]
                       OR (%s::integer IS NOT NULL AND EXISTS (
                           SELECT 1 FROM {province.ref}
                            WHERE {sql.on(province, "shippingzone", zone)}
                              AND {province.c.province} = %s))))"""


def serves_address_params(address: Address) -> list:
    return [address.country, address.province_id, address.province_id]


# Delivery methods and their rates are configuration (the platform's, a few per
# cooperative or seller): small tables, read whole by the planner, so no index is named.
@sql.statement("shipping.methods_for_groups")
def _methods_sql() -> str:
    m, rate = METHOD, Table("dr", DeliveryRate)
    return f"""
SELECT {METHOD_SHAPE.select()}
  FROM {m.ref}
{METHOD_SHAPE.joins}
 WHERE (({m.c.cooperative} IS NULL AND {m.c.seller} IS NULL)
        OR {m.c.cooperative} = ANY(%s) OR {m.c.seller} = ANY(%s))
   AND {m.c.is_active}
   AND {serves_address_sql(m.c.id)}
   AND EXISTS (SELECT 1 FROM {rate.ref}
                WHERE {sql.on(rate, "method", m)} AND {rate.c.channel} = %s)
 ORDER BY {m.c.kind}, {m.c.name}, {m.c.id}
"""


@sql.statement("shipping.rates_by_method")
def _rates_sql() -> str:
    r = RATE
    return f"""
SELECT {RATE_SHAPE.select()}
  FROM {r.ref}
 WHERE {r.c.channel} = %s AND {r.c.method} = ANY(%s)
 ORDER BY {r.c.method}, {r.c.max_weight} ASC NULLS LAST
"""


def methods_for_groups(
    *, channel: Channel, address: Address, fulfillers: Sequence[Fulfiller]
) -> dict[Fulfiller, list[DeliveryMethod]]:
    """For each fulfiller, the active methods that serve `address` and have a rate in
    `channel`: the platform's (shared by every fulfiller) and the fulfiller's own. Two
    queries whatever the number of fulfillers; each method carries its channel rates."""
    cooperative_ids = sorted({c for c, _s in fulfillers if c is not None})
    seller_ids = sorted({s for _c, s in fulfillers if s is not None})
    params = [cooperative_ids, seller_ids, *serves_address_params(address), channel.pk]
    with connection.cursor() as cursor:
        cursor.execute(_methods_sql(), params)
        methods = [METHOD_SHAPE.instance(row) for row in cursor.fetchall()]
    attach_rates(methods, channel)
    result: dict[Fulfiller, list[DeliveryMethod]] = {}
    for cooperative_id, seller_id in fulfillers:
        result[(cooperative_id, seller_id)] = [
            m
            for m in methods
            if (m.cooperative_id is None and m.seller_id is None)
            or (cooperative_id is not None and m.cooperative_id == cooperative_id)
            or (seller_id is not None and m.seller_id == seller_id)
        ]
    return result


def available_methods(
    *,
    channel: Channel,
    address: Address,
    cooperative: Cooperative | None = None,
    seller: Seller | None = None,
) -> list[DeliveryMethod]:
    """The methods one fulfiller may use to deliver to `address` in `channel`."""
    key = (cooperative.pk if cooperative else None, seller.pk if seller else None)
    return methods_for_groups(channel=channel, address=address, fulfillers=[key])[key]


def rates_by_method(method_ids: Iterable[int], channel: Channel) -> dict[int, list[DeliveryRate]]:
    """Each method's rates in `channel`, lightest bracket first, in one query."""
    result: dict[int, list[DeliveryRate]] = {pk: [] for pk in method_ids}
    with connection.cursor() as cursor:
        cursor.execute(_rates_sql(), [channel.pk, list(result)])
        rows = cursor.fetchall()
    for row in rows:
        rate = RATE_SHAPE.instance(row)
        # The channel asked for, as select_related("channel") would leave it.
        DeliveryRate.channel.field.set_cached_value(rate, channel)
        result[rate.method_id].append(rate)
    return result


def attach_rates(methods: Sequence[DeliveryMethod], channel: Channel) -> None:
    """Load the rates in `channel` of methods fetched elsewhere (e.g. the ones chosen in
    a checkout) in one query, so pricing them costs nothing more."""
    missing = [m for m in methods if not _has_rates(m, channel)]
    if not missing:
        return
    rates = rates_by_method({m.pk for m in missing}, channel)
    for method in missing:
        method.channel_rates, method.rates_channel_id = rates[method.pk], channel.pk


def _has_rates(method: DeliveryMethod, channel: Channel) -> bool:
    return method.rates_channel_id == channel.pk and method.channel_rates is not None


def _channel_rates(method: DeliveryMethod, channel: Channel) -> list[DeliveryRate]:
    """The method's rates in `channel`: those already attached, else one query."""
    attach_rates([method], channel)
    return method.channel_rates


def price_from_rates(
    rates: Sequence[DeliveryRate], *, weight: Decimal, subtotal: Decimal, currency: str
) -> Decimal | None:
    """The first bracket whose limit holds the weight, else the open bracket; nothing
    when no bracket fits. Free when the subtotal reaches that bracket's threshold."""
    weight = max(weight or Decimal(0), Decimal(0))
    ordered = sorted(rates, key=lambda r: (r.max_weight is None, r.max_weight or 0))
    bracket = next((r for r in ordered if r.max_weight is None or r.max_weight >= weight), None)
    if bracket is None:
        return None
    if bracket.free_above is not None and subtotal >= bracket.free_above:
        return money.quantize(Decimal(0), currency)
    return money.quantize(bracket.price, currency)


def delivery_price(
    *, method: DeliveryMethod, channel: Channel, weight: Decimal, subtotal: Decimal
) -> Decimal | None:
    """What delivering a parcel of `weight` kg worth `subtotal` costs with `method` in
    `channel`; None when the method has no bracket for it there (it is then not
    available). No query when the method came from `methods_for_groups`."""
    return price_from_rates(
        _channel_rates(method, channel),
        weight=weight,
        subtotal=subtotal,
        currency=channel.currency_code,
    )


def with_price(method: DeliveryMethod, price: Decimal, currency: str) -> DeliveryMethod:
    """A copy of `method` carrying its price for one group: the same platform method is
    offered to several groups at different prices. The API shows this price."""
    priced = copy.copy(method)
    priced.group_price, priced.group_currency = price, currency
    return priced


def priced_methods_for_groups(
    *,
    channel: Channel,
    address: Address,
    groups: Sequence[tuple[Fulfiller, Decimal, Decimal]],
) -> dict[Fulfiller, list[DeliveryMethod]]:
    """For groups given as (fulfiller, weight, subtotal): the methods available to each,
    each a copy carrying its price for that group; methods with no bracket for the
    group's weight are left out. Two queries in all."""
    available = methods_for_groups(
        channel=channel, address=address, fulfillers=[fulfiller for fulfiller, _w, _s in groups]
    )
    result: dict[Fulfiller, list[DeliveryMethod]] = {}
    for fulfiller, weight, subtotal in groups:
        priced = []
        for method in available[fulfiller]:
            price = delivery_price(method=method, channel=channel, weight=weight, subtotal=subtotal)
            if price is not None:
                priced.append(with_price(method, price, channel.currency_code))
        result[fulfiller] = priced
    return result


def base_rates(
    method_ids: Iterable[int], *, channel_id: int | None = None
) -> dict[int, DeliveryRate]:
    """For each method, the lightest bracket in `channel_id`, or when none is given (or
    it has none there) in the default channel, else in any channel. One query; each
    rate carries its channel (for the currency)."""
    method_ids = list(method_ids)
    rows = (
        DeliveryRate.objects.filter(method_id__in=method_ids)
        .select_related("channel")
        .order_by("method_id", F("max_weight").asc(nulls_last=True), "id")
    )
    result: dict[int, DeliveryRate] = {}

    def rank(rate: DeliveryRate) -> int:
        if channel_id is not None and rate.channel_id == channel_id:
            return 0
        return 1 if rate.channel.is_default else 2

    for rate in rows:
        best = result.get(rate.method_id)
        if best is None or rank(rate) < rank(best):
            result[rate.method_id] = rate
    return result


# ---------- owners' views


def can_manage_methods(
    user, *, cooperative: Cooperative | None, seller: Seller | None, perm: str
) -> bool:
    """Platform methods: platform staff with the Django permission `perm`. A
    cooperative's: its staff. A seller's: its owner and its cooperative's staff. Platform
    staff with `perm` may act for every owner."""
    if seller_permissions.has_platform_perm(user, perm):
        return True
    if not seller_permissions.is_authenticated(user):
        return False
    if cooperative is not None:
        return seller_permissions.is_cooperative_staff(user, cooperative.pk)
    if seller is not None:
        return seller.owner_id == user.pk or seller_permissions.is_cooperative_staff(
            user, seller.cooperative_id
        )
    return False


def methods_of_owner(
    *, cooperative: Cooperative | None = None, seller: Seller | None = None, active_only: bool
) -> QuerySet[DeliveryMethod]:
    """One owner's methods (the platform's when neither is given), zones prefetched."""
    if cooperative is not None:
        queryset = DeliveryMethod.objects.filter(cooperative=cooperative)
    elif seller is not None:
        queryset = DeliveryMethod.objects.filter(seller=seller)
    else:
        queryset = DeliveryMethod.objects.filter(platform_owned())
    if active_only:
        queryset = queryset.filter(is_active=True)
    return (
        queryset.select_related("pickup_warehouse", "cooperative", "seller")
        .prefetch_related("zones")
        .order_by("kind", "name", "id")
    )


def zones() -> QuerySet[ShippingZone]:
    return ShippingZone.objects.prefetch_related("provinces").order_by("name", "id")


def zones_by_method(method_ids: list[int]) -> dict[int, list[ShippingZone]]:
    """Each method's zones, in one query."""
    through = DeliveryMethod.zones.through
    result: dict[int, list[ShippingZone]] = {pk: [] for pk in method_ids}
    links = through.objects.filter(deliverymethod_id__in=method_ids).select_related("shippingzone")
    for link in links.order_by("shippingzone__name", "shippingzone_id"):
        result[link.deliverymethod_id].append(link.shippingzone)
    return result


def all_rates_by_method(method_ids: list[int]) -> dict[int, list[DeliveryRate]]:
    """Each method's rates in every channel (channel, then lightest first), in one query."""
    result: dict[int, list[DeliveryRate]] = {pk: [] for pk in method_ids}
    rows = (
        DeliveryRate.objects.filter(method_id__in=method_ids)
        .select_related("channel")
        .order_by("channel__slug", F("max_weight").asc(nulls_last=True))
    )
    for rate in rows:
        result[rate.method_id].append(rate)
    return result


def provinces_by_zone(zone_ids: list[int]) -> dict[int, list[Province]]:
    """Each zone's provinces, by name, in one query."""
    through = ShippingZone.provinces.through
    result: dict[int, list[Province]] = {pk: [] for pk in zone_ids}
    links = through.objects.filter(shippingzone_id__in=zone_ids).select_related("province")
    for link in links.order_by("province__name"):
        result[link.shippingzone_id].append(link.province)
    return result
