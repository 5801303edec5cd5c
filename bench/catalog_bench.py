"""Catalogue load benchmark: the production server under wrk.

    .venv/bin/python bench/catalog_bench.py [--products 10000] [--duration 20] [--connections 8,32]

What it does, on a database of its own (an embedded PostgreSQL under .data/bench, or
DATABASE_URL when set):
1. migrates, loads the demo marketplace and seeds synthetic products up to --products;
2. starts gunicorn (DEBUG off, config/gunicorn.py: sync workers, one more than the CPUs;
   persistent database connections) twice: once
   with the anonymous response cache off, once with it on;
3. drives each scenario with wrk (Debian's `wrk`; installed with apt-get when missing and
   running as root) for --duration seconds at each concurrency, and reports requests/s
   and p50/p95/p99 latency, next to the floor: a plain Django view answering the first
   listing page from one hand-written SQL query (bench/floor.py);
4. counts the SQL queries of each scenario in process.
Only loopback addresses are used. The report is printed as Markdown.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

LUA = """
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Accept-Language"] = "fa"
local f = io.open(os.getenv("BENCH_BODY_FILE"), "r")
wrk.body = f:read("*a")
f:close()
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "errors": %d, "p50": %f, "p95": %f, "p99": %f}\\n',
    summary.requests, summary.duration, e.connect + e.read + e.write + e.status + e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
"""
LUA_GET = LUA.replace('wrk.method = "POST"', 'wrk.method = "GET"').replace(
    'local f = io.open(os.getenv("BENCH_BODY_FILE"), "r")\nwrk.body = f:read("*a")\nf:close()\n', ""
)

CARD = """name slug thumbnail(size: 240) { url } rating
  pricing { priceRange { start { gross { amount currency } } } }
  seller { name } origin { name } cooperative { name }"""


def scenarios(slug: str, category_id: str) -> dict[str, dict]:
    listing = (
        "query($first: Int) { products(first: $first) { edges { node { %s } } pageInfo { hasNextPage endCursor } } }"
        % CARD
    )
    return {
        "listing first 20": {"query": listing, "variables": {"first": 20}},
        "listing first 100": {"query": listing, "variables": {"first": 100}},
        "product page": {
            "query": """query($slug: String) { product(slug: $slug) { name description
              seller { name description village { name county } } cooperative { name }
              category { name } media { url(size: 960) alt } attributes { name value }
              variants { name sku weight quantityAvailable pricing { price { gross { amount currency } } } } } }""",
            "variables": {"slug": slug},
        },
        "Persian search": {
            "query": "query($q: String) { products(first: 20, search: $q) { edges { node { %s } } } }"
            % CARD,
            "variables": {"q": "زعفران سرگل"},
        },
        "filtered, price-sorted": {
            "query": """query($c: [ID!]) { products(first: 20, filter: {categories: $c, isAvailable: true},
              sortBy: {field: PRICE, direction: ASC}) { edges { node { %s } } } }"""
            % CARD,
            "variables": {"c": [category_id]},
        },
    }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def ensure_wrk() -> str:
    path = shutil.which("wrk")
    if path:
        return path
    if os.geteuid() == 0:
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=False)
    path = shutil.which("wrk")
    if not path:
        sys.exit("wrk is needed: apt-get install wrk")
    return path


def prepare_database(products: int) -> dict[str, str]:
    from config import launcher, services

    env = dict(os.environ)
    if not env.get("DATABASE_URL"):
        os.environ["BAZARCHEH_DATA_DIR"] = str(ROOT / ".data" / "bench")
        env["BAZARCHEH_DATA_DIR"] = os.environ["BAZARCHEH_DATA_DIR"]
        env["DATABASE_URL"] = services.start_embedded_postgres()
    env.update({"BAZARCHEH_DEV": "1", "DJANGO_SETTINGS_MODULE": "config.settings"})
    os.environ.update(env)
    launcher.compile_translations()
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v", "0"], check=True, env=env)
    subprocess.run([*manage, "load_demo_data"], check=True, env=env)
    import django

    django.setup()
    from marketplace.catalog.models import Product

    missing = products - Product.objects.count()
    if missing > 0:
        subprocess.run([*manage, "seed_products", str(missing)], check=True, env=env)
    # Fresh statistics, as autovacuum would leave them: planned on the empty tables'
    # estimates, a filtered listing walks every product instead of one index.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return env


def sample_ids() -> tuple[str, str]:
    from graphql_relay import to_global_id

    from marketplace.catalog.models import Category, Product

    product = Product.objects.filter(is_published=True, media__isnull=False).order_by("pk").first()
    product = product or Product.objects.filter(is_published=True).order_by("pk").first()
    category = (
        Category.objects.filter(parent__isnull=True, products__isnull=False).first()
        or Category.objects.first()
    )
    return product.slug, to_global_id("Category", category.pk)


def query_counts(cases: dict[str, dict]) -> dict[str, int]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    counts = {}
    for name, body in cases.items():
        with CaptureQueriesContext(connection) as ctx:
            response = client.post("/graphql/", json.dumps(body), content_type="application/json")
        assert response.status_code == 200 and "errors" not in response.json(), response.content[
            :500
        ]
        counts[name] = len(ctx.captured_queries)
    return counts


def start_server(
    env: dict[str, str], *, cache_seconds: int, port: int | None = None
) -> tuple[subprocess.Popen, str]:
    port = port or free_port()
    server_env = {
        **env,
        "BAZARCHEH_DEV": "",
        # Production needs a broker; without one here, jobs go nowhere, as no worker runs.
        "CELERY_BROKER_URL": env.get("CELERY_BROKER_URL") or env.get("REDIS_URL") or "memory://",
        "DEBUG": "0",
        "SECRET_KEY": "benchmark-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "BAZARCHEH_BENCH_FLOOR": "1",
        "API_RESPONSE_CACHE_SECONDS": str(cache_seconds),
        "LOG_LEVEL": "WARNING",
        "STATIC_ROOT": str(ROOT / ".data" / "bench" / "static"),
    }
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "--config",
            str(ROOT / "config" / "gunicorn.py"),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=server_env,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            with urllib.request.urlopen(f"{base}/health/", timeout=2):
                return proc, base
        except OSError:
            time.sleep(0.5)
    os.killpg(proc.pid, signal.SIGTERM)
    sys.exit("gunicorn did not start")


def stop_server(proc: subprocess.Popen) -> None:
    """Stop a server `start_server` started: its master and workers (one session)."""
    os.killpg(proc.pid, signal.SIGTERM)
    proc.wait(timeout=30)


def server_workers() -> int:
    """The number of gunicorn workers config/gunicorn.py starts here."""
    from config.gunicorn import workers

    return workers


def run_wrk(wrk: str, url: str, body: dict | None, connections: int, duration: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "bench.lua"
        script.write_text(LUA if body is not None else LUA_GET)
        env = dict(os.environ)
        if body is not None:
            body_file = Path(tmp) / "body.json"
            body_file.write_text(json.dumps(body))
            env["BENCH_BODY_FILE"] = str(body_file)
        threads = min(connections, 2)
        # Warm up: connections, caches, the parsed-document cache of each worker.
        subprocess.run(
            [wrk, "-t1", "-c2", "-d2s", "-s", str(script), url],
            env=env,
            capture_output=True,
            check=True,
        )
        result = subprocess.run(
            [wrk, f"-t{threads}", f"-c{connections}", f"-d{duration}s", "-s", str(script), url],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
    stats = json.loads(result.stdout.strip().splitlines()[-1])
    return {
        "rps": stats["requests"] / (stats["duration_us"] / 1e6),
        "p50": stats["p50"] / 1000,
        "p95": stats["p95"] / 1000,
        "p99": stats["p99"] / 1000,
        "errors": stats["errors"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--products", type=int, default=10_000)
    parser.add_argument("--duration", type=int, default=20)
    parser.add_argument("--connections", default="8,32")
    args = parser.parse_args()
    wrk = ensure_wrk()
    env = prepare_database(args.products)
    slug, category_id = sample_ids()
    cases = scenarios(slug, category_id)
    counts = query_counts(cases)
    levels = [int(c) for c in args.connections.split(",")]
    rows = []
    for cache_seconds, label in ((0, "uncached"), (300, "cached")):
        proc, base = start_server(env, cache_seconds=cache_seconds)
        try:
            for connections in levels:
                floor = run_wrk(
                    wrk, f"{base}/bench/floor/products/?first=20", None, connections, args.duration
                )
                rows.append(
                    (
                        "floor: one SQL query, JsonResponse",
                        label,
                        connections,
                        floor,
                        1,
                        floor["rps"],
                    )
                )
                for name, body in cases.items():
                    stats = run_wrk(wrk, f"{base}/graphql/", body, connections, args.duration)
                    rows.append((name, label, connections, stats, counts[name], floor["rps"]))
        finally:
            stop_server(proc)
    print(
        f"\n{args.products} products; gunicorn {server_workers()} workers, DEBUG off; "
        f"wrk {args.duration}s per row\n"
    )
    print(
        "| scenario | server | conn. | req/s | p50 ms | p95 ms | p99 ms | errors | SQL | of floor |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for name, label, connections, s, sql, floor_rps in rows:
        print(
            f"| {name} | {label} | {connections} | {s['rps']:.0f} | {s['p50']:.1f} | {s['p95']:.1f} | "
            f"{s['p99']:.1f} | {s['errors']} | {sql} | {100 * s['rps'] / floor_rps:.0f}% |"
        )


if __name__ == "__main__":
    main()
