"""Product search benchmark: latency of the test set's queries over 100,000 products.

    .venv/bin/python bench/search_bench.py [--products 100000] [--rounds 20] [--reindex]
        [--vacuum-full] [--random-page-cost 1.1] [--json test-artifacts/search_bench.json]

With DATABASE_URL set (the project's usual `postgresql://…/bazarcheh`), the benchmark
uses a database of its own on the same server, `bazarcheh_search_bench` (or the name
given with --database); without it, the embedded PostgreSQL under .data. Steps:
1. migrates that database; when it holds fewer than --products products, loads the demo
   sellers and adds synthetic products with bulk inserts (marketplace.demo.synthetic),
   which then rebuilds the index with `reindex_all` (timed); a database seeded before
   is reused as it is (--reindex times a fresh `reindex_all` on it anyway). Then
   VACUUM (ANALYZE) — or VACUUM FULL with --vacuum-full, as after a bulk load — and
   ANALYZE of everything, since bulk inserts leave the planner's statistics behind;
2. starts the production server (gunicorn as configured, DEBUG off, the anonymous response
   cache off: bench/catalog_bench.py's) and sends every query of
   tests/catalog/search/cases.py --rounds times (after one warm-up round), one request at
   a time on a kept-alive connection, as the GraphQL `products(first: 20, search:,
   sortBy: {field: RANK, direction: DESC})` with the card fields; reports p50/p95/p99 of
   the request as the client sees it, per query class and overall, and the slowest
   queries with how many products they match;
3. shows EXPLAIN (ANALYZE, BUFFERS) of the SQL queries the listing runs for the first
   page of a broad one-word query and of a misspelt multiword one (catalog/search/tiers.py:
   the newest products ranked, then the older ones that could rank higher), and of the
   latter's spelling-correction lookup (the trigram GIN index of the vocabulary).
--random-page-cost sets that planner cost for the benchmark database only (the server's
value otherwise); the report prints it with shared_buffers and the machine's load, which
the numbers depend on. The report is printed as Markdown; --json writes the numbers too.
"""

from __future__ import annotations

import argparse
import http.client
import json
import math
import os
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PAGE = 21  # the API's first page of 20, plus one row to know whether there is more
EXPLAINED = ("زعفران", "زعفرن سرگل ۵ گرمی")
CARD = """name slug thumbnail(size: 240) { url } rating
  pricing { priceRange { start { gross { amount currency } } } }
  seller { name } origin { name } cooperative { name }"""
LISTING = (
    "query { products(first: 20) { edges { node { %s } } pageInfo { hasNextPage endCursor } } }"
    % CARD
)
SEARCH = (
    "query($q: String) { products(first: 20, search: $q, sortBy: {field: RANK, direction: DESC})"
    " { edges { node { %s } } pageInfo { hasNextPage endCursor } } }" % CARD
)


def database_url(name: str) -> str:
    """The benchmark's own database: on DATABASE_URL's server, or the embedded one."""
    url = os.environ.get("DATABASE_URL")
    if not url:
        from config import services

        return services.start_embedded_postgres(database=name)
    parts = urlsplit(url)
    own = urlunsplit(parts._replace(path=f"/{name}"))
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
    return own


def setup_django(url: str) -> None:
    os.environ.update(
        {
            "DATABASE_URL": url,
            "BAZARCHEH_DEV": "1",
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "MEDIA_ROOT": str(ROOT / ".data" / "search-bench" / "media"),
            "LOG_LEVEL": "WARNING",
        }
    )
    import django

    django.setup()


def planner_setting(database: str, random_page_cost: float | None) -> None:
    """Set (or reset to the server's) random_page_cost for the benchmark database only."""
    from django.db import connection

    value = "DEFAULT" if random_page_cost is None else str(float(random_page_cost))
    with connection.cursor() as cursor:
        cursor.execute(f'ALTER DATABASE "{database}" SET random_page_cost = {value}')
    connection.close()  # the setting applies to new sessions


def prepare(products: int, reindex: bool, vacuum_full: bool) -> dict:
    from django.core.management import call_command

    from marketplace.catalog.models import Product
    from marketplace.catalog.search import index as search

    call_command("migrate", verbosity=0)
    facts: dict = {}
    missing = products - Product.objects.count()
    if missing > 0:
        from marketplace.demo.synthetic import seed_products

        print(f"Seeding {missing:,} synthetic products …", file=sys.stderr)
        report = seed_products(missing)
        facts.update(
            seeded=report.products,
            insert_seconds=round(report.insert_seconds, 1),
            reindex_seconds=round(report.index_seconds, 1),
            reindex_method=report.index_method,
        )
    elif reindex:
        print("Reindexing …", file=sys.stderr)
        started = time.perf_counter()
        search.reindex_all()
        facts.update(reindex_seconds=round(time.perf_counter() - started, 1))
    from django.db import connection

    with connection.cursor() as cursor:
        # Bulk inserts leave the planner's statistics behind; autovacuum would catch up
        # in time, a benchmark should not wait for it.
        cursor.execute(f"VACUUM ({'FULL, ' if vacuum_full else ''}ANALYZE) catalog_product")
        cursor.execute("ANALYZE")
        cursor.execute(
            "SELECT pg_size_pretty(pg_table_size('catalog_product')),"
            " pg_size_pretty(pg_relation_size('catalog_product_search_vec')),"
            " pg_size_pretty(pg_relation_size('catalog_product_search_trgm')),"
            f" (SELECT count(*) FROM {search.VOCABULARY})"
        )
        table, vec, trgm, words = cursor.fetchone()
    with connection.cursor() as cursor:
        cursor.execute("SHOW random_page_cost")
        (random_page_cost,) = cursor.fetchone()
        cursor.execute("SHOW shared_buffers")
        (shared_buffers,) = cursor.fetchone()
    facts.update(
        random_page_cost=random_page_cost,
        shared_buffers=shared_buffers,
        vacuum_full=vacuum_full,
        products=Product.objects.count(),
        published=Product.objects.filter(is_published=True).count(),
        table_size=table,
        vector_index_size=vec,
        trigram_index_size=trgm,
        vocabulary_words=words,
    )
    return facts


class Client:
    """GraphQL over one kept-alive HTTP connection to the server under test."""

    def __init__(self, base: str) -> None:
        parts = urlsplit(base)
        self.connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)

    def search(self, query: str | None) -> int:
        """One request; without a query, the same listing unsearched (the reference)."""
        document = SEARCH if query is not None else LISTING
        variables = {"q": query} if query is not None else {}
        body = json.dumps({"query": document, "variables": variables}).encode()
        headers = {"Content-Type": "application/json", "Accept-Language": "fa"}
        self.connection.request("POST", "/graphql/", body, headers)
        response = self.connection.getresponse()
        data = json.loads(response.read())
        if response.status != 200 or "errors" in data:
            raise RuntimeError(f"{query}: {response.status} {str(data)[:300]}")
        return len(data["data"]["products"]["edges"])


def matches(channel, query: str) -> int:
    from django.contrib.auth.models import AnonymousUser

    from marketplace.catalog.selectors import product_listing

    return product_listing(AnonymousUser(), channel, search=query).count()


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, math.ceil(p / 100 * len(ordered)) - 1))  # nearest rank
    return ordered[index]


def stats(values: list[float]) -> dict[str, float]:
    return {
        "n": len(values),
        "p50": round(percentile(values, 50), 2),
        "p95": round(percentile(values, 95), 2),
        "p99": round(percentile(values, 99), 2),
        "mean": round(statistics.fmean(values), 2),
    }


def measure(client: Client, rounds: int) -> tuple[dict, dict, list]:
    from marketplace.channels.models import Channel
    from tests.catalog.search.cases import CASES

    channel = Channel.objects.get(slug="ir")
    for case in CASES:  # warm-up: connections, caches, plans, parsed documents
        client.search(case.query)
    by_kind: dict[str, list[float]] = defaultdict(list)
    by_query: dict[str, list[float]] = defaultdict(list)
    reference: list[float] = []
    for _ in range(rounds):
        for number, case in enumerate(CASES):
            started = time.perf_counter()
            client.search(case.query)
            elapsed = (time.perf_counter() - started) * 1000
            by_kind[case.kind].append(elapsed)
            by_query[case.query].append(elapsed)
            if number % 8 == 0:  # the same server and moment, without a search
                started = time.perf_counter()
                client.search(None)
                reference.append((time.perf_counter() - started) * 1000)
    everything = [v for values in by_kind.values() for v in values]
    kinds = {kind: stats(values) for kind, values in by_kind.items()}
    kinds["overall"] = stats(everything)
    kinds["reference: products(first: 20), no search"] = stats(reference)
    slowest = sorted(
        (
            (query, stats(values)["p50"], stats(values)["p95"], matches(channel, query))
            for query, values in by_query.items()
        ),
        key=lambda row: -row[2],
    )[:8]
    return kinds, {q: stats(v) for q, v in by_query.items()}, slowest


def explain(query: str) -> str:
    """EXPLAIN of each SQL query the listing runs for the first page of `query`, replayed
    in order in one transaction (so the planner settings the listing sets apply)."""
    from django.contrib.auth.models import AnonymousUser
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from marketplace.catalog.selectors import product_listing
    from marketplace.channels.models import Channel

    channel = Channel.objects.get(slug="ir")
    with CaptureQueriesContext(connection) as captured:
        product_listing(AnonymousUser(), channel, search=query)[0:PAGE]
    plans = []
    with transaction.atomic(), connection.cursor() as cursor:
        for number, executed in enumerate(captured.captured_queries, 1):
            sql = executed["sql"]
            if sql.startswith(("BEGIN", "COMMIT", "SAVEPOINT", "RELEASE")):
                continue
            if sql.startswith("SET LOCAL"):
                cursor.execute(sql)
                plans.append(f"-- query {number}: {sql}")
                continue
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
            plan = "\n".join(row[0] for row in cursor.fetchall())
            plans.append(f"-- query {number}, {executed['time']} s when run:\n{plan}")
        transaction.set_rollback(True)
    return "\n\n".join(plans)


def explain_corrections(query: str) -> str:
    """The spelling-correction lookup that runs before the listing query."""
    from django.db import connection

    from marketplace.catalog.search import query as search

    words = [w for w in search.parse_query(query).words if len(w) >= search.MIN_CORRECTED_LENGTH]
    with connection.cursor() as cursor:
        cursor.execute(
            "EXPLAIN (ANALYZE, BUFFERS) " + search.CORRECTIONS_SQL, [words, search.MIN_SIMILARITY]
        )
        return "\n".join(row[0] for row in cursor.fetchall())


def report(facts: dict, kinds: dict, slowest: list, plans: dict[str, str]) -> str:
    lines = ["# Product search benchmark", ""]
    lines.append(
        f"{facts['products']:,} products ({facts['published']:,} published); table "
        f"{facts['table_size']}, tsvector GIN {facts['vector_index_size']}, trigram GIN "
        f"{facts['trigram_index_size']}; vocabulary {facts['vocabulary_words']:,} words"
        + ("; compacted with VACUUM FULL." if facts["vacuum_full"] else ".")
    )
    lines.append(
        f"Server: shared_buffers {facts['shared_buffers']}, random_page_cost "
        f"{facts['random_page_cost']}; {os.cpu_count()} CPUs, load average "
        + ", ".join(f"{x:.1f}" for x in os.getloadavg())
        + " at the end."
    )
    if "reindex_seconds" in facts:
        seeded = (
            f"seeded {facts['seeded']:,} products in {facts['insert_seconds']} s; "
            if "seeded" in facts
            else ""
        )
        lines.append(f"{seeded}reindex_all: {facts['reindex_seconds']} s.")
    lines += [
        "",
        "Latency of one search request (GraphQL `products(first: 20, search:, sortBy: RANK)`"
        " with the card fields, gunicorn, response cache off), as the client sees it, ms:",
        "",
        "| class | runs | p50 | p95 | p99 | mean |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for kind, row in kinds.items():
        name = f"**{kind}**" if kind == "overall" else kind
        lines.append(
            f"| {name} | {row['n']} | {row['p50']} | {row['p95']} | {row['p99']} | {row['mean']} |"
        )
    lines += ["", "Slowest queries (by p95):", "", "| query | p50 | p95 | matches |"]
    lines.append("| --- | --- | --- | --- |")
    for query, p50, p95, count in slowest:
        lines.append(f"| {query} | {p50} | {p95} | {count:,} |")
    for query, plan in plans.items():
        lines += ["", f"EXPLAIN (ANALYZE, BUFFERS) for «{query}»:", "", "```", plan, "```"]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--database", default="bazarcheh_search_bench")
    parser.add_argument("--reindex", action="store_true", help="time reindex_all again")
    parser.add_argument(
        "--random-page-cost",
        type=float,
        help="set the planner's random_page_cost for the benchmark database (e.g. 1.1, the "
        "usual value for SSDs or a cache-resident catalogue); the server's value by default",
    )
    parser.add_argument(
        "--vacuum-full",
        action="store_true",
        help="compact the products table first (VACUUM FULL), as after a bulk load",
    )
    parser.add_argument("--json", type=Path, help="also write the numbers to this file")
    args = parser.parse_args()
    setup_django(database_url(args.database))
    planner_setting(args.database, args.random_page_cost)
    facts = prepare(args.products, args.reindex, args.vacuum_full)
    from bench.catalog_bench import start_server, stop_server

    server, base = start_server(dict(os.environ), cache_seconds=0)
    try:
        kinds, queries, slowest = measure(Client(base), args.rounds)
    finally:
        stop_server(server)
    plans = {query: explain(query) for query in EXPLAINED}
    plans[f"{EXPLAINED[1]} (spelling-correction lookup)"] = explain_corrections(EXPLAINED[1])
    print(report(facts, kinds, slowest, plans))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(
            json.dumps(
                {"facts": facts, "classes": kinds, "queries": queries, "plans": plans},
                ensure_ascii=False,
                indent=2,
            ),
            encoding="utf-8",
        )


if __name__ == "__main__":
    main()
