"""The SQL queries of each checkout mutation and of the checkout query are fixed: a cart
of 12 lines from 6 sellers in 6 groups costs what one of 3 lines from 2 sellers in 2
groups costs. The numbers are pinned so that a lazy relation shows up at once."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from marketplace.sellers.models import Cooperative
from tests.checkout.factories import (
    ADDRESS,
    ADDRESS_UPDATE,
    CREATE,
    DELIVERY_UPDATE,
    LINES_ADD,
    LINES_UPDATE,
    PROMO_ADD,
    QUERY,
    gid,
    line,
    make_variant,
    make_voucher,
)
from tests.conftest import make_seller

# Pinned counts; a change here must be explained (a new relation loaded once is fine,
# one loaded per line is not). Each includes the signed-in user's lookup and, for a
# mutation, the SAVEPOINT / RELEASE pairs of the request's and the service's
# transactions (4 statements).
EXPECTED = {
    "create": 18,
    "linesAdd": 21,
    "linesUpdate": 24,
    "shippingAddress": 19,
    "deliveryMethod": 18,
    "promoCode": 18,
    "query": 10,
}


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
    return counts


@pytest.mark.django_db
def test_query_counts_do_not_grow_with_lines_or_groups(ir, api, buyer, express_post, independent):
    make_voucher(code="OFF")
    extra = make_variant(independent, quantity=100)
    small = measure(api, buyer, express_post, [*cart(1, 2, "s"), make_variant(independent)], extra)
    large = measure(api, buyer, express_post, cart(6, 2, "l"), extra)
    assert small == large, "\n".join(f"{k}: {v}" for k, v in sql.items())
    assert small == EXPECTED, "\n".join(f"{k}: {v}" for k, v in sql.items())
