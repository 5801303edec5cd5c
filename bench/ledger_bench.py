"""Ledger benchmark: the postings of completing an order, and a weekly payout batch.

    .venv/bin/python bench/ledger_bench.py [--sellers 10000]

On a fresh database of its own (on the server of DATABASE_URL, else an embedded
PostgreSQL under .data/bench-ledger), migrated:
1. orders of 1, 5 and 10 lines from 3 sellers (two cooperatives' members and an
   independent one) are placed by the checkout service, paid in cash per shipment, and
   completed; the completion's SQL queries and time are printed per size (the count
   must not grow with the number of lines);
2. `--sellers` sellers with a Sheba each get money available (one posting each, as a
   completion would leave it), then the payout batch runs: its time, payouts made, and
   the size of the Paya file. Target: under 60 s for 10,000 sellers.
Prints a Markdown table. Only loopback addresses are used.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BENCH_DB = "bazarcheh_bench_ledger"
SHEBA = "IR050170000000123456789012"


def _recreate(database_url: str) -> str:
    import psycopg
    from psycopg import sql

    parts = urlsplit(database_url)
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(BENCH_DB))
        )
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(BENCH_DB)))
    return urlunsplit(parts._replace(path=f"/{BENCH_DB}"))


def prepare_database(database_url: str | None) -> None:
    from config import services

    if not database_url:
        os.environ["BAZARCHEH_DATA_DIR"] = str(ROOT / ".data" / "bench-ledger")
        database_url = services.start_embedded_postgres()
    os.environ["DATABASE_URL"] = _recreate(database_url)
    os.environ.update({"BAZARCHEH_DEV": "1", "DJANGO_SETTINGS_MODULE": "config.settings"})
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v", "0"], check=True, env=os.environ)
    import django

    django.setup()


def bench_completion(rounds: int = 5) -> list[tuple[int, int, float]]:
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from marketplace.ledger import selectors, services
    from marketplace.orders import services as order_services
    from marketplace.sellers.models import Cooperative
    from tests.builders.catalog import make_variant
    from tests.builders.checkout import make_checkout
    from tests.builders.seed import ensure_seeded
    from tests.builders.sellers import make_seller

    ensure_seeded()
    coop_a = Cooperative.objects.create(name="تعاونی الف", slug="bench-a")
    coop_b = Cooperative.objects.create(name="تعاونی ب", slug="bench-b")
    sellers = [
        make_seller("bench-a@example.com", "الف", coop_a),
        make_seller("bench-b@example.com", "ب", coop_b),
        make_seller("bench-c@example.com", "ج", None),
    ]
    variants = [make_variant(sellers[i % 3], quantity=10_000, price=1_234_567) for i in range(10)]
    results = []
    for size in (1, 5, 10):
        counts, times = [], []
        for _round in range(rounds):
            checkout = make_checkout([(v, 1) for v in variants[:size]])
            order, _payment = order_services.complete_checkout(
                actor=None, checkout=checkout, gateway="cod"
            )
            for shipment in order.shipments.all():
                services.post_cash_collected(shipment=shipment, amount=selectors.cash_due(shipment))
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                with transaction.atomic():
                    services.post_order_completed(order=order)
                elapsed = time.perf_counter() - started
            counts.append(len(queries))
            times.append(elapsed)
        results.append((size, max(counts), statistics.median(times) * 1000))
    return results


def bench_payouts(count: int) -> tuple[float, int, int]:
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from marketplace.ledger import payouts, postings
    from marketplace.ledger.models import AccountKind, CauseKind
    from marketplace.sellers.models import Seller

    users = get_user_model().objects.bulk_create(
        get_user_model()(email=f"payee{i}@example.com") for i in range(count)
    )
    sellers = Seller.objects.bulk_create(
        Seller(
            owner=user,
            name=f"تولیدکننده {i}",
            slug=f"payee-{i}",
            phone="+989151000001",
            status="APPROVED",
            payout_iban=SHEBA,
            payout_holder=f"Payee {i}",
        )
        for i, user in enumerate(users)
    )
    keys = [postings.key(AccountKind.SELLER, ("seller", s.pk)) for s in sellers]
    source_key = postings.key(AccountKind.ESCROW)
    found = postings.accounts("IRR", [*keys, source_key])
    source = found[source_key]
    amount = Decimal(5_000_000)
    postings.post_many(
        cause_kind=CauseKind.REVERSAL,
        currency="IRR",
        postings=[(f"bench-{k[1]}", amount, [(source, amount), (found[k], -amount)]) for k in keys],
    )
    started = time.perf_counter()
    batch = payouts.run_payouts(currency="IRR", now=timezone.now() + timedelta(days=8))
    elapsed = time.perf_counter() - started
    return elapsed, batch.payouts.count(), len(batch.bank_file.encode())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sellers", type=int, default=10_000)
    args = parser.parse_args()
    prepare_database(os.environ.get("DATABASE_URL"))
    completion = bench_completion()
    elapsed, made, size = bench_payouts(args.sellers)
    print("| order lines (3 sellers) | completion queries | completion median ms |")
    print("| --- | --- | --- |")
    for lines, queries, ms in completion:
        print(f"| {lines} | {queries} | {ms:.1f} |")
    print()
    print("| payees | payouts made | batch seconds | Paya file bytes |")
    print("| --- | --- | --- | --- |")
    print(f"| {args.sellers} | {made} | {elapsed:.1f} | {size} |")


if __name__ == "__main__":
    main()
