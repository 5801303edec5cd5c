"""The SQL queries of each checkout mutation and of the checkout query are fixed: a cart
of 12 lines from 6 sellers in 6 groups costs what one of 3 lines from 2 sellers in 2
groups costs. The numbers are pinned so that a lazy relation shows up at once."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from marketplace.sellers.models import Cooperative
from tests.api.checkout.documents import (
    ADDRESS,
    ADDRESS_UPDATE,
    ATTACH,
    CREATE,
    DELIVERY_UPDATE,
    EMAIL_UPDATE,
    LINES_ADD,
    LINES_UPDATE,
    PROMO_ADD,
    PROMO_REMOVE,
    QUERY,
    line,
)
from tests.builders.accounts import make_user
from tests.builders.catalog import make_variant
from tests.builders.discounts import make_voucher
from tests.builders.sellers import make_seller
from tests.support import gid

# Pinned counts; a change here must be explained (a new relation loaded once is fine,
# one loaded per line is not). Each includes the signed-in user's lookup and, for a
# mutation, the SAVEPOINT / RELEASE pair of its service's transaction (2 statements;
# BEGIN / COMMIT outside the tests' own transaction: a mutation sent alone gets no
# request-wide transaction besides). The payload is the whole checkout (CHECKOUT_FIELDS): its
# variants' stock and photos cost a query each, its delivery options two.
EXPECTED = {
    # the channel, the checkout, the variants with their listing, the stock rows locked
    # and then read, lines and holds inserted, the lines read back with their prices
    "create": 13,
    # the lock (renewing the holds), the lines with their holds, then as create, with
    # new lines inserted and changed ones updated, the holds replaced
    "linesAdd": 16,
    # a line removed (its holds first), choices of fulfillers now gone dropped
    "linesUpdate": 19,
    # the checkout, the lock, the email set, the lines read back with their prices
    "email": 9,
    # the province, the address, the delivery options (methods, rates) and choices
    # (none dropped here)
    "shippingAddress": 14,
    # the options and choices, one upsert of the choice
    "deliveryMethod": 12,
    # the voucher, the choices with their rates, the voucher set; options in the payload
    "promoCode": 14,
    "promoRemove": 13,
    # the checkout, its lines with prices, the choices with their rates, the payload
    "query": 9,
    # the order, shipments, lines, payment, events, the outbox job announcing the order;
    # the stock rows locked, what is usable read, the units moved in one statement; the
    # order's lines in the payload
    "complete": 19,
}
# An anonymous checkout handed to the signed-in buyer: as theirs when they have none
# open, else merged into the one they have (its lines and holds moved, the anonymous
# one deleted).
EXPECTED_ATTACH = {"attach": 10, "attachMerge": 22}

COMPLETE = """mutation($id: ID!) { checkoutComplete(id: $id, paymentGateway: "cod") {
  order { id number status total { gross { amount } } lines { sku quantity } }
  payment { status } errors { field code message } } }"""


def cart(sellers: int, per_seller: int, tag: str):
    """Variants of `sellers` sellers (half in cooperatives of their own, half
    independent), `per_seller` each: as many groups as sellers."""
    variants = []
    for n in range(sellers):
        cooperative = (
            Cooperative.objects.create(name=f"تعاونی {tag}{n}", slug=f"coop-{tag}-{n}")
            if n % 2 == 0
            else None
        )
        seller = make_seller(f"{tag}{n}@example.com", f"فروشنده {tag}{n}", cooperative)
        variants += [make_variant(seller, quantity=100) for _ in range(per_seller)]
    return variants


# The SQL of the last measured run of each step, shown when a count is off.
sql: dict[str, list[str]] = {}


def run(api, user, counts: dict, name: str, document: str, variables: dict) -> dict:
    with CaptureQueriesContext(connection) as queries:
        answer = api(document, variables, user=user)
    assert "errors" not in answer, answer
    payload = next(iter(answer["data"].values()))
    if isinstance(payload, dict) and "errors" in payload:
        assert payload["errors"] == [], (name, payload["errors"])
    counts[name] = len(queries)
    sql[name] = [q["sql"][:200] for q in queries.captured_queries]
    return payload


def measure(api, buyer, express_post, variants: list, extra) -> dict[str, int]:
    counts: dict[str, int] = {}
    created = run(
        api, buyer, counts, "create", CREATE, {"input": {"lines": [line(v, 1) for v in variants]}}
    )
    token = created["checkout"]["id"]
    run(
        api,
        buyer,
        counts,
        "linesAdd",
        LINES_ADD,
        {"id": token, "lines": [line(v, 1) for v in variants] + [line(extra, 1)]},
    )
    run(
        api,
        buyer,
        counts,
        "linesUpdate",
        LINES_UPDATE,
        {"id": token, "lines": [line(v, 3) for v in variants] + [line(extra, 0)]},
    )
    run(api, buyer, counts, "email", EMAIL_UPDATE, {"id": token, "email": "Me@Example.COM"})
    groups = run(
        api, buyer, counts, "shippingAddress", ADDRESS_UPDATE, {"id": token, "address": ADDRESS}
    )["checkout"]["groups"]
    for group in groups[1:]:
        api(
            DELIVERY_UPDATE,
            {"id": token, "group": group["id"], "method": gid("DeliveryMethod", express_post.pk)},
            user=buyer,
        )
    run(
        api,
        buyer,
        counts,
        "deliveryMethod",
        DELIVERY_UPDATE,
        {"id": token, "group": groups[0]["id"], "method": gid("DeliveryMethod", express_post.pk)},
    )
    run(api, buyer, counts, "promoCode", PROMO_ADD, {"id": token, "code": "OFF"})
    shown = run(api, buyer, counts, "query", QUERY, {"id": token})
    assert len(shown["lines"]) == len(variants)
    assert len(shown["groups"]) == len({v.product.seller_id for v in variants})
    assert all(g["deliveryMethod"] for g in shown["groups"])
    run(api, buyer, counts, "promoRemove", PROMO_REMOVE, {"id": token})
    placed = run(api, buyer, counts, "complete", COMPLETE, {"id": token})
    assert placed["order"]["status"] == "CONFIRMED"
    assert len(placed["order"]["lines"]) == len(variants)
    return counts


def summary(counts: dict) -> str:
    return f"{counts}\n" + "\n".join(f"{k}: {v}" for k, v in sql.items())


@pytest.mark.django_db
def test_query_counts_do_not_grow_with_lines_or_groups(ir, api, buyer, express_post, independent):
    make_voucher(code="OFF")
    extra = make_variant(independent, quantity=100)
    small = measure(api, buyer, express_post, [*cart(1, 2, "s"), make_variant(independent)], extra)
    large = measure(api, buyer, express_post, cart(6, 2, "l"), extra)
    assert small == large, summary(small)
    assert small == EXPECTED, summary(small)


def measure_attach(api, buyer, variants: list) -> dict[str, int]:
    counts: dict[str, int] = {}
    lines = [line(v, 1) for v in variants]
    anonymous = api(CREATE, {"input": {"lines": lines, "email": "guest@example.com"}})
    token = anonymous["data"]["checkoutCreate"]["checkout"]["id"]
    run(api, buyer, counts, "attach", ATTACH, {"id": token})
    anonymous = api(CREATE, {"input": {"lines": lines, "email": "guest@example.com"}})
    token = anonymous["data"]["checkoutCreate"]["checkout"]["id"]
    merged = run(api, buyer, counts, "attachMerge", ATTACH, {"id": token})
    assert [li["quantity"] for li in merged["checkout"]["lines"]] == [2] * len(variants)
    return counts


@pytest.mark.django_db
def test_attach_query_counts_do_not_grow_with_lines_or_groups(ir, api, independent):

    small = measure_attach(
        api, make_user("small@example.com"), [*cart(1, 2, "as"), make_variant(independent)]
    )
    large = measure_attach(api, make_user("large@example.com"), cart(6, 2, "al"))
    assert small == large, summary(small)
    assert small == EXPECTED_ATTACH, summary(small)
