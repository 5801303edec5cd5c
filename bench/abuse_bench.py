"""Abuse benchmark: ordinary shoppers while two clients send the heaviest accepted queries.

    .venv/bin/python bench/abuse_bench.py [--products 2000] [--duration 20] [--rounds 2]

What it does, on a fresh database of its own (created on the server of DATABASE_URL when
set, else in an embedded PostgreSQL under .data/bench-abuse), with the cache and
throttles in Redis when REDIS_URL is set (as in production):
1. migrates, loads the demo marketplace and seeds synthetic products;
2. builds the heaviest documents of three shapes (products → seller → products, aliased
   searches, aliased sorted pages with variants) that the limits of
   marketplace/api/core/limits.py still accept: each is grown (page size or aliases)
   until one step more would be refused; once up to the cost limit ("abuse"), once up
   to the cost no client budget counts (GRAPHQL_COST_FREE, "abuse, uncounted", see
   marketplace/api/core/budget.py); each one's latency alone is measured;
3. starts gunicorn (DEBUG off, config/gunicorn.py; anonymous response cache off, so
   every ordinary request really runs) behind one trusted proxy hop, so each virtual
   client has an address of its own (X-Forwarded-For), as real visitors do;
4. in each round runs 8 ordinary clients (the storefront's own documents: a listing
   page, a product page, a Persian search; one keep-alive connection each, no pause)
   for --duration seconds alone ("quiet"), then again while 2 more clients send the
   two slowest documents of each kind back to back;
5. prints each phase's ordinary p50/p95 and requests/s, what the heavy clients got
   (answers, refusals by status), and the load average before and after (the machine
   may be shared: the load tells how much else ran).
Target: the ordinary p95 under abuse stays below twice its quiet value. The settings
of the server come from the environment, e.g. GRAPHQL_COST_FREE=20000 turns the cost
budget off.
Only loopback addresses are used.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import random
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BENCH_DB = "bazarcheh_bench_abuse"
ORDINARY_CLIENTS = 8
HEAVY_CLIENTS = 2
SEARCHES = ("زعفران", "عسل", "زرشک", "پسته", "گلاب", "فرش", "کشمش", "نبات")


# ---------------------------------------------------------------- database


def prepare_database(products: int) -> dict[str, str]:
    """A fresh database with the demo marketplace and `products` synthetic products."""
    from bench.database import fresh_database

    env = fresh_database(BENCH_DB, "bench-abuse", os.environ.get("DATABASE_URL"))
    os.environ.update(env)
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "load_demo_data"], check=True, env=env)
    subprocess.run([*manage, "seed_products", str(products)], check=True, env=env)
    import django

    django.setup()
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return env


# ---------------------------------------------------------------- documents


def ordinary_requests(count: int, seed: int = 7) -> list[dict]:
    """A shuffled mix of the storefront's own requests: listing pages, product pages
    and searches, in the proportions a shop sees them (products most)."""
    from marketplace.catalog.models import Product
    from storefront.shop import queries

    slugs = list(
        Product.objects.filter(is_published=True)
        .order_by("-pk")
        .values_list("slug", flat=True)[:200]
    )
    rng = random.Random(seed)
    mix = []
    for index in range(count):
        kind = ("listing", "product", "product", "search")[index % 4]
        if kind == "listing":
            variables = {"first": 24, "filter": {"isAvailable": True}}
            mix.append({"kind": kind, "query": queries.LISTING, "variables": variables})
        elif kind == "product":
            variables = {"slug": rng.choice(slugs)}
            mix.append({"kind": kind, "query": queries.PRODUCT, "variables": variables})
        else:
            variables = {"first": 24, "search": rng.choice(SEARCHES)}
            mix.append({"kind": kind, "query": queries.LISTING, "variables": variables})
    rng.shuffle(mix)
    return mix


CARD_FIELDS = """id name slug isAvailable rating reviewCount thumbnail(size: 240) { url alt }
  pricing { priceRange { start { gross { amount currency } } } } seller { name slug }
  origin { name }"""


def _nested(size: int) -> str:
    return (
        "{ products(first: 100) { edges { node { name seller { name "
        f"products(first: {size}) {{ edges {{ node {{ name slug rating }} }} }} }} }} }} }} }}"
    )


def _aliased_listings(count: int) -> str:
    pages = " ".join(
        f"p{i}: products(first: 100, search: {json.dumps(SEARCHES[i % len(SEARCHES)])}) "
        f"{{ edges {{ node {{ {CARD_FIELDS} }} }} }}"
        for i in range(count)
    )
    return "{ " + pages + " }"


def _aliased_pages(count: int) -> str:
    pages = " ".join(
        f"p{i}: products(first: 100, sortBy: {{field: PRICE, direction: ASC}}, "
        f"filter: {{isAvailable: true}}) {{ edges {{ node {{ {CARD_FIELDS} "
        "variants { name sku quantityAvailable pricing { price { gross { amount } } } } "
        "} } }"
        for i in range(count)
    )
    return "{ " + pages + " }"


def _accepted(query: str, ceiling: int) -> bool:
    """Whether the limits accept this document and it costs at most `ceiling`."""
    from django.conf import settings
    from graphql import parse

    from marketplace.api.core.limits import CHECKS, measure
    from marketplace.api.schema import schema

    document = parse(query)
    fragments = {d.name.value: d for d in document.definitions if d.kind == "fragment_definition"}
    for operation in document.definitions:
        if operation.kind != "operation_definition":
            continue
        measured = measure(
            schema.graphql_schema, operation, fragments, cost_limit=settings.GRAPHQL_MAX_COST
        )
        if measured.cost > ceiling or any(check(operation, measured) for check in CHECKS):
            return False
    return True


def _largest_accepted(build, low: int, high: int, ceiling: int) -> int:
    """The largest n in [low, high] whose document is accepted (documents grow with n)."""
    if not _accepted(build(low), ceiling):
        return 0
    while low < high:
        middle = (low + high + 1) // 2
        if _accepted(build(middle), ceiling):
            low = middle
        else:
            high = middle - 1
    return low


def heavy_documents(ceiling: int) -> dict[str, str]:
    """The heaviest documents of each shape that the limits accept, costing at most
    `ceiling`."""
    from django.conf import settings

    found = {}
    size = _largest_accepted(_nested, 1, settings.GRAPHQL_MAX_FIRST, ceiling)
    if size:
        found[f"products(100) → seller → products({size})"] = _nested(size)
    count = _largest_accepted(_aliased_listings, 1, settings.GRAPHQL_MAX_ALIASES, ceiling)
    if count:
        found[f"{count} aliased searches of 100 cards"] = _aliased_listings(count)
    count = _largest_accepted(_aliased_pages, 1, settings.GRAPHQL_MAX_ALIASES, ceiling)
    if count:
        found[f"{count} aliased price-sorted pages of 100 cards with variants"] = _aliased_pages(
            count
        )
    return found


# ---------------------------------------------------------------- load


@dataclass
class Phase:
    ordinary: list[float] = field(default_factory=list)
    ordinary_errors: int = 0
    heavy: list[float] = field(default_factory=list)
    heavy_status: Counter = field(default_factory=Counter)
    seconds: float = 0.0
    load_before: tuple[float, float, float] = (0.0, 0.0, 0.0)
    load_after: tuple[float, float, float] = (0.0, 0.0, 0.0)


def _connection(base: str) -> http.client.HTTPConnection:
    parts = urlsplit(base)
    return http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)


def _post(conn: http.client.HTTPConnection, body: bytes, address: str) -> tuple[int, bytes]:
    conn.request(
        "POST",
        "/graphql/",
        body=body,
        headers={
            "Content-Type": "application/json",
            "Accept-Language": "fa",
            "X-Forwarded-For": address,
        },
    )
    response = conn.getresponse()
    return response.status, response.read()


def run_phase(
    base: str, ordinary: list[dict], heavy: list[str], duration: float, *, seed: int
) -> Phase:
    phase = Phase(load_before=os.getloadavg())
    lock = threading.Lock()
    stop = time.monotonic() + duration

    def shopper(index: int) -> None:
        conn = _connection(base)
        rng = random.Random(seed * 100 + index)
        bodies = [
            json.dumps({"query": r["query"], "variables": r["variables"]}).encode()
            for r in ordinary
        ]
        address = f"10.0.1.{index + 1}"
        while time.monotonic() < stop:
            body = rng.choice(bodies)
            started = time.perf_counter()
            status, content = _post(conn, body, address)
            elapsed = time.perf_counter() - started
            failed = status != 200 or b'"errors":' in content
            with lock:
                phase.ordinary.append(elapsed)
                phase.ordinary_errors += failed

    def abuser(index: int) -> None:
        conn = _connection(base)
        body = json.dumps({"query": heavy[index % len(heavy)]}).encode()
        address = f"10.0.2.{index + 1}"
        while time.monotonic() < stop:
            started = time.perf_counter()
            status, content = _post(conn, body, address)
            elapsed = time.perf_counter() - started
            outcome = (
                str(status) if status != 200 else ("errors" if b'"errors":' in content else "ok")
            )
            with lock:
                phase.heavy.append(elapsed)
                phase.heavy_status[outcome] += 1

    threads = [threading.Thread(target=shopper, args=(i,)) for i in range(ORDINARY_CLIENTS)]
    threads += [
        threading.Thread(target=abuser, args=(i,)) for i in range(len(heavy) and HEAVY_CLIENTS)
    ]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    phase.seconds = time.monotonic() - started
    phase.load_after = os.getloadavg()
    return phase


def single_latency(base: str, query: str, number: int, repeat: int = 3) -> tuple[float, int, str]:
    """Median seconds of one request alone, its answer's size and its outcome; each
    from an address of its own, whose cost budget is untouched."""
    conn = _connection(base)
    times, size, outcome = [], 0, ""
    for attempt in range(repeat):
        started = time.perf_counter()
        address = f"10.0.{3 + attempt}.{number}"
        status, content = _post(conn, json.dumps({"query": query}).encode(), address)
        times.append(time.perf_counter() - started)
        size = len(content)
        outcome = str(status) if status != 200 else ("errors" if b'"errors":' in content else "ok")
    return statistics.median(times), size, outcome


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[18] if len(values) >= 20 else max(values, default=0)


@contextlib.contextmanager
def serving(env: dict[str, str]) -> Iterator[str]:
    """gunicorn as in production, behind one trusted proxy hop; its base URL."""
    from bench.catalog_bench import start_server, stop_server

    proc, base = start_server({**env, "TRUSTED_PROXY_COUNT": "1"}, cache_seconds=0)
    try:
        yield base
    finally:
        stop_server(proc)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--products", type=int, default=2000)
    parser.add_argument("--duration", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    env = prepare_database(args.products)
    from django.conf import settings

    ordinary = ordinary_requests(64)
    kinds = {
        "abuse": heavy_documents(settings.GRAPHQL_MAX_COST),
        "abuse, uncounted": heavy_documents(settings.GRAPHQL_COST_FREE),
    }
    with serving(env) as base:
        # Warm up: every worker's connections and parsed documents.
        run_phase(base, ordinary, [], 3, seed=0)
        alone, sent = {}, {}
        for kind, found in kinds.items():
            for name, query in found.items():
                alone[name] = (kind, *single_latency(base, query, len(alone) + 1))
            slowest = sorted(found, key=lambda name: alone[name][1], reverse=True)
            sent[kind] = slowest[:HEAVY_CLIENTS]
        rounds = []
        for number in range(args.rounds):
            phases = [("quiet", run_phase(base, ordinary, [], args.duration, seed=number + 1))]
            for kind, found in kinds.items():
                heavy = [found[name] for name in sent[kind]]
                phases.append(
                    (kind, run_phase(base, ordinary, heavy, args.duration, seed=number + 1))
                )
            rounds.append(phases)
    from config.gunicorn import workers

    print(
        f"\n{args.products} synthetic products + demo marketplace; gunicorn {workers} workers, "
        f"DEBUG off, response cache off; {ORDINARY_CLIENTS} ordinary clients, "
        f"{HEAVY_CLIENTS} heavy; {args.duration}s per phase; {os.cpu_count()} CPUs; cost "
        f"limit {settings.GRAPHQL_MAX_COST}, budget {settings.GRAPHQL_COST_BUDGET} per "
        f"{settings.GRAPHQL_COST_BUDGET_SECONDS}s for documents over "
        f"{settings.GRAPHQL_COST_FREE}\n"
    )
    print("| heaviest accepted document | for | alone ms | answer bytes | outcome | sent |")
    print("| --- | --- | --- | --- | --- | --- |")
    for name, (kind, seconds, size, outcome) in alone.items():
        chosen = "yes" if name in sent[kind] else ""
        print(f"| {name} | {kind} | {seconds * 1000:.0f} | {size} | {outcome} | {chosen} |")
    print(
        "\n| round | phase | ordinary req/s | p50 ms | p95 ms | errors | heavy answers "
        "| heavy p50 ms | load avg before → after |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    ratios: dict[str, list[float]] = {kind: [] for kind in kinds}
    for number, phases in enumerate(rounds, 1):
        quiet = phases[0][1]
        for label, phase in phases:
            heavy = ", ".join(f"{k} {v}" for k, v in sorted(phase.heavy_status.items())) or "—"
            heavy_p50 = f"{statistics.median(phase.heavy) * 1000:.0f}" if phase.heavy else "—"
            load = f"{phase.load_before[0]:.2f} → {phase.load_after[0]:.2f}"
            print(
                f"| {number} | {label} | {len(phase.ordinary) / phase.seconds:.1f} "
                f"| {statistics.median(phase.ordinary) * 1000:.0f} | {p95(phase.ordinary) * 1000:.0f} "
                f"| {phase.ordinary_errors} | {heavy} | {heavy_p50} | {load} |"
            )
            if label != "quiet":
                ratios[label].append(p95(phase.ordinary) / p95(quiet.ordinary))
    print()
    for kind, values in ratios.items():
        verdict = "met" if max(values) < 2 else "missed"
        print(
            f"Ordinary p95 under {kind} / quiet: {', '.join(f'{r:.2f}' for r in values)} "
            f"(target below 2: {verdict})"
        )


if __name__ == "__main__":
    main()
