"""Checkout load benchmark: whole cash-on-delivery checkouts against the production server.

    .venv/bin/python bench/checkout_bench.py [--products 2000] [--duration 20] [--buyers 8,32]

What it does, on a fresh database of its own (created on the server of DATABASE_URL when
set, else in an embedded PostgreSQL under .data/bench-checkout):
1. migrates, loads the demo marketplace and seeds synthetic products (seed_products);
   statistics are refreshed (ANALYZE) after seeding and again after the warm-up, as
   autovacuum would keep them;
2. picks the variants the buyers buy: a few hot ones (every buyer wants the same stock
   rows: contention) and many (each buyer hits other rows: no contention), two
   fulfillers per cart so every checkout has two groups; gives them plenty of stock;
3. counts the SQL queries of each mutation of one checkout, in process;
4. starts gunicorn (DEBUG off, config/gunicorn.py: sync workers, one more than the CPUs;
   persistent database connections) and, for
   each scenario and number of buyers, runs virtual buyers (threads, one keep-alive HTTP
   connection each) for --duration seconds. A buyer repeats: checkoutCreate,
   checkoutLinesAdd, checkoutShippingAddressUpdate, checkoutDeliveryMethodUpdate for each
   group, checkoutComplete with `cod`; every request is timed. The "sandbox" rows pay
   online instead: checkoutComplete with the built-in `sandbox` gateway, then the
   buyer's browser steps: the gateway's page (GET), Pay (POST), and our callback (GET),
   which verifies the payment and confirms the order; with --rounds, each row's time
   is cut in slices and the scenarios take turns. The sandbox runs as a server of its
   own (bench/servers.py), as a real gateway does: the marketplace calls its API over
   HTTP, and its CPU is counted apart; --gateway-in-process serves it inside the
   marketplace instead, as `make run` does;
5. prints a Markdown table: completed checkouts per second and each mutation's median
   (and the completion's p95) latency, plus the query counts of each gateway's steps,
   and the paid (sandbox) row next to the cash-on-delivery row of the same carts and
   buyers: their rates, the marketplace's CPU per checkout and its ratio, and the
   gateway's CPU per paid checkout.
Only loopback addresses are used; --scenarios picks rows (e.g. many,sandbox).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.servers import Servers, marketplace_env, start_gateway  # noqa: E402

BENCH_DB = "bazarcheh_bench_checkout"
STEPS = ("create", "linesAdd", "shippingAddress", "deliveryMethod", "complete", "callback")
PLENTY = 10_000_000

CREATE = """mutation($input: CheckoutCreateInput!) { checkoutCreate(input: $input) {
  checkout { id } errors { field code message } } }"""
LINES_ADD = """mutation($id: ID!, $lines: [CheckoutLineInput!]!) {
  checkoutLinesAdd(id: $id, lines: $lines) {
    checkout { id totalPrice { gross { amount } } } errors { field code message } } }"""
ADDRESS = """mutation($id: ID!, $address: AddressInput!) {
  checkoutShippingAddressUpdate(id: $id, shippingAddress: $address) {
    checkout { groups { id availableDeliveryMethods { id kind price { amount } } } }
    errors { field code message } } }"""
DELIVERY = """mutation($id: ID!, $group: ID!, $method: ID!) {
  checkoutDeliveryMethodUpdate(id: $id, groupId: $group, deliveryMethodId: $method) {
    checkout { shippingPrice { gross { amount } } totalPrice { gross { amount } } }
    errors { field code message } } }"""
COMPLETE = """mutation($id: ID!, $gateway: String!) {
  checkoutComplete(id: $id, paymentGateway: $gateway) {
  order { id number status paymentStatus total { gross { amount } } }
  payment { status action { kind url } } errors { field code message } } }"""
ADDRESS_INPUT = {
    "firstName": "سارا",
    "lastName": "احمدی",
    "phone": "۰۹۱۲۱۲۳۴۵۶۷",
    "countryArea": "خراسان رضوی",
    "city": "مشهد",
    "streetAddress1": "خیابان امام رضا، پلاک ۱",
    "postalCode": "۹۱۷۷۹۴۸۹۷۴",
}


# ---------------------------------------------------------------- database


def _server_url(database_url: str, name: str) -> str:
    parts = urlsplit(database_url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def _recreate(database_url: str) -> None:
    """Drop and create the benchmark database on the server of `database_url`."""
    import psycopg
    from psycopg import sql

    parts = urlsplit(database_url)
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(BENCH_DB))
        )
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(BENCH_DB)))


def prepare_database(products: int, database_url: str | None) -> dict[str, str]:
    from config import launcher, services

    env = dict(os.environ)
    if not database_url:
        os.environ["BAZARCHEH_DATA_DIR"] = str(ROOT / ".data" / "bench-checkout")
        env["BAZARCHEH_DATA_DIR"] = os.environ["BAZARCHEH_DATA_DIR"]
        database_url = services.start_embedded_postgres()
    _recreate(database_url)
    env["DATABASE_URL"] = _server_url(database_url, BENCH_DB)
    env.update({"BAZARCHEH_DEV": "1", "DJANGO_SETTINGS_MODULE": "config.settings"})
    # Every buyer here is a guest from one address with one phone, paying on delivery:
    # the per-client and per-phone bounds would stop the measured traffic itself.
    env.update(
        {
            "CHECKOUT_CREATE_PER_CLIENT": "1000000",
            "GUEST_UNPAID_ORDERS_PER_PHONE": "1000000",
            "GUEST_UNPAID_ORDERS_PER_CLIENT_DAY": "1000000",
        }
    )
    os.environ.update(env)
    launcher.compile_translations()
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v", "0"], check=True, env=env)
    subprocess.run([*manage, "load_demo_data", "--without-catalog"], check=True, env=env)
    subprocess.run([*manage, "seed_products", str(products)], check=True, env=env)
    import django

    django.setup()
    analyze()
    return env


@dataclass
class Carts:
    """Pairs of variant IDs from two different fulfillers."""

    hot: list[tuple[str, str]]
    many: list[tuple[str, str]]


def pick_variants(many: int) -> Carts:
    from django.db.models import Exists, OuterRef
    from graphql_relay import to_global_id

    from marketplace.catalog.models import ProductVariant, VariantChannelListing
    from marketplace.checkout.info import group_key_for
    from marketplace.inventory.models import Stock
    from marketplace.sellers.models import SellerStatus

    priced = VariantChannelListing.objects.filter(variant=OuterRef("pk"), channel__slug="ir")
    variants = list(
        ProductVariant.objects.filter(
            Exists(priced),
            product__is_published=True,
            product__is_hidden=False,
            product__seller__status=SellerStatus.APPROVED,
            stocks__isnull=False,
        )
        .select_related("product__seller")
        .distinct()
        .order_by("pk")
    )
    by_group: dict[str, list] = defaultdict(list)
    for variant in variants:
        by_group[group_key_for(variant.product.seller)].append(variant)
    groups = sorted(by_group.values(), key=len, reverse=True)
    if len(groups) < 2:
        sys.exit("The benchmark needs sellable variants of at least two fulfillers.")
    rng = random.Random(1405)
    hot_a, hot_b = groups[0][:2], groups[1][:2]
    hot = [(a, b) for a in hot_a for b in hot_b]
    pool = []
    for _ in range(many):
        first, second = rng.sample(groups, 2)
        pool.append((rng.choice(first), rng.choice(second)))
    # Plenty of stock: the benchmark measures locking and work, not running out.
    used = {v.pk for pair in hot + pool for v in pair}
    Stock.objects.filter(variant_id__in=used).update(quantity=PLENTY, quantity_allocated=0)

    def ids(pairs):
        return [tuple(to_global_id("ProductVariant", v.pk) for v in pair) for pair in pairs]

    return Carts(hot=ids(hot), many=ids(pool))


def prepare_checkouts(pairs: list[tuple[str, str]], count: int) -> list[str]:
    """`count` checkouts ready to complete, written through the models and the shared
    stock functions as the checkout mutations leave them (for --complete-only)."""
    from django.db import transaction
    from graphql_relay import from_global_id, to_global_id

    from marketplace.accounts.models import Address
    from marketplace.channels.models import Channel
    from marketplace.checkout.info import build_checkout_info
    from marketplace.checkout.models import Checkout, CheckoutDelivery, CheckoutLine
    from marketplace.inventory import stock
    from marketplace.locations.models import Province
    from marketplace.shipping.models import DeliveryMethod

    channel = Channel.objects.get(slug="ir")
    province = Province.objects.get(code="IR-09")
    method = DeliveryMethod.objects.filter(
        cooperative=None, seller=None, is_active=True, rates__channel=channel
    ).order_by("pk")[0]
    ids = []
    for n in range(count):
        with transaction.atomic():
            address = Address.objects.create(
                first_name="سارا",
                last_name="احمدی",
                phone="+989121234567",
                country="IR",
                country_area=province.name,
                province=province,
                city="مشهد",
                street_address_1="خیابان امام رضا، پلاک ۱",
                postal_code="9177948974",
            )
            checkout = Checkout.objects.create(
                email=f"ready{n}@example.com", channel=channel, shipping_address=address
            )
            for variant_id in pairs[n % len(pairs)]:
                line = CheckoutLine.objects.create(
                    checkout=checkout, variant_id=int(from_global_id(variant_id)[1]), quantity=1
                )
                stock.reserve(line=line, quantity=1, field="lines")
            CheckoutDelivery.objects.bulk_create(
                CheckoutDelivery(
                    checkout=checkout, cooperative=g.cooperative, seller=g.seller, method=method
                )
                for g in build_checkout_info(checkout).groups
            )
        ids.append(to_global_id("Checkout", str(checkout.pk)))
    return ids


# ---------------------------------------------------------------- one checkout


class Failed(Exception):
    def __init__(self, step: str, detail: object) -> None:
        super().__init__(f"{step}: {detail}")
        self.step = step
        self.detail = detail


def checkout_once(
    post,
    pair: tuple[str, str],
    email: str,
    timings: dict[str, list],
    gateway: str = "cod",
    pay=None,
) -> None:
    """One buyer's whole checkout; `post(query, variables)` returns (data, seconds);
    `pay(url)` takes the buyer through an online gateway's page and back."""

    def call(step: str, name: str, query: str, variables: dict) -> dict:
        data, seconds = post(query, variables)
        timings[step].append(seconds)
        payload = (data.get("data") or {}).get(name)
        if payload is None:
            raise Failed(step, data.get("errors"))
        if payload["errors"]:
            raise Failed(step, payload["errors"][0]["code"])
        return payload

    first, second = pair
    created = call(
        "create",
        "checkoutCreate",
        CREATE,
        {
            "input": {
                "channel": "ir",
                "email": email,
                "lines": [{"variantId": first, "quantity": 1}],
            }
        },
    )
    checkout_id = created["checkout"]["id"]
    call(
        "linesAdd",
        "checkoutLinesAdd",
        LINES_ADD,
        {"id": checkout_id, "lines": [{"variantId": second, "quantity": 1}]},
    )
    address = call(
        "shippingAddress",
        "checkoutShippingAddressUpdate",
        ADDRESS,
        {"id": checkout_id, "address": ADDRESS_INPUT},
    )
    for group in address["checkout"]["groups"]:
        methods = group["availableDeliveryMethods"]
        if not methods:
            raise Failed("deliveryMethod", "no method serves the address")
        call(
            "deliveryMethod",
            "checkoutDeliveryMethodUpdate",
            DELIVERY,
            {"id": checkout_id, "group": group["id"], "method": methods[0]["id"]},
        )
    variables = {"id": checkout_id, "gateway": gateway}
    completed = call("complete", "checkoutComplete", COMPLETE, variables)
    if gateway != "cod":
        action = completed["payment"]["action"] or {}
        if action.get("kind") != "REDIRECT":
            raise Failed("complete", completed["payment"]["status"])
        timings["callback"].append(pay(action["url"]))
        return
    if completed["order"]["status"] != "CONFIRMED":
        raise Failed("complete", completed["order"]["status"])


CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Browser:
    """One buyer's keep-alive connections, one per origin (the marketplace's, and the
    gateway's when it runs as a server of its own); relative URLs go to the marketplace."""

    def __init__(self, port: int) -> None:
        self.home = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.others: dict[str, http.client.HTTPConnection] = {}

    def to(self, url: str) -> tuple[http.client.HTTPConnection, str]:
        parts = urlsplit(url)
        target = urlunsplit(("", "", parts.path, parts.query, ""))
        if not parts.netloc or parts.port == self.home.port:
            return self.home, target
        if parts.netloc not in self.others:
            self.others[parts.netloc] = http.client.HTTPConnection(
                parts.hostname, parts.port, timeout=60
            )
        return self.others[parts.netloc], target

    def close(self) -> None:
        for conn in [self.home, *self.others.values()]:
            conn.close()


def sandbox_pay(browser: Browser, url: str) -> float:
    """The buyer on the sandbox's page: open it, press Pay, follow the redirect to our
    callback, which verifies and confirms. Returns the seconds it took."""
    began = time.perf_counter()
    conn, url = browser.to(url)
    conn.request("GET", url, headers={"Accept-Language": "fa"})
    page = conn.getresponse()
    html = page.read().decode()
    cookie = (page.getheader("Set-Cookie") or "").split(";")[0]
    match = CSRF_INPUT.search(html)
    if page.status != 200 or match is None:
        raise Failed("callback", f"page {page.status}")
    body = urlencode({"csrfmiddlewaretoken": match.group(1), "result": "paid"})
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie}
    conn.request("POST", url, body=body, headers=headers)
    decided = conn.getresponse()
    decided.read()
    location = decided.getheader("Location") or ""
    if decided.status != 302 or "Status=OK" not in location:
        raise Failed("callback", f"pay {decided.status}")
    conn, location = browser.to(location)
    conn.request("GET", location, headers={"Accept-Language": "fa"})
    back = conn.getresponse()
    back.read()
    if back.status != 200:
        raise Failed("callback", f"callback {back.status}")
    return time.perf_counter() - began


def complete_once(post, checkout_id: str, timings: dict[str, list]) -> None:
    data, seconds = post(COMPLETE, {"id": checkout_id, "gateway": "cod"})
    timings["complete"].append(seconds)
    payload = (data.get("data") or {}).get("checkoutComplete")
    if payload is None or payload["errors"]:
        raise Failed("complete", payload["errors"][0]["code"] if payload else data.get("errors"))


# ---------------------------------------------------------------- in process: query counts


def query_counts(carts: Carts, gateway: str = "cod") -> dict[str, int]:
    """The SQL queries of each step of one checkout through `gateway`, in process; for
    the sandbox, `callback` counts our callback alone (the gateway's page and Pay are
    the gateway's, not ours), verification with the gateway included."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    counts: dict[str, list[int]] = defaultdict(list)

    def post(query: str, variables: dict):
        with CaptureQueriesContext(connection) as ctx:
            response = client.post(
                "/graphql/",
                json.dumps({"query": query, "variables": variables}),
                content_type="application/json",
            )
        counts[_step_of(query)].append(len(ctx.captured_queries))
        return response.json(), 0.0

    def pay(url: str) -> float:
        client.get(url)
        location = client.post(url, {"result": "paid"})["Location"]
        with CaptureQueriesContext(connection) as ctx:
            back = client.get(location)
        if back.status_code != 200:
            raise Failed("callback", back.status_code)
        counts["callback"].append(len(ctx.captured_queries))
        return 0.0

    # Twice, the same cart: the first payment to its parties opens their ledger
    # accounts; the second is every later one.
    for n in range(2):
        counts.clear()
        checkout_once(post, carts.many[0], f"count{n}@example.com", defaultdict(list), gateway, pay)
    return {step: max(values) for step, values in counts.items()}


def _step_of(query: str) -> str:
    for step, text in zip(STEPS[:5], (CREATE, LINES_ADD, ADDRESS, DELIVERY, COMPLETE), strict=True):
        if query is text:
            return step
    raise KeyError(query)


# ---------------------------------------------------------------- the server and the load


@dataclass
class Result:
    completed: int = 0
    seconds: float = 0.0
    # Checkouts finished at all (also just after the window) and the CPU the server's
    # processes (gunicorn and its PostgreSQL backends) used meanwhile: a cost per
    # checkout that other load on the machine does not inflate much.
    finished: int = 0
    server_cpu: float = 0.0
    # Of which the PostgreSQL backends'.
    database_cpu: float = 0.0
    # The sandbox gateway's, when it runs as a server of its own (not in server_cpu).
    gateway_cpu: float = 0.0
    timings: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    failures: Counter = field(default_factory=Counter)


def run_load(
    servers: Servers,
    pairs: list[tuple[str, str]],
    buyers: int,
    duration: float,
    ready: list[str] | None = None,
    gateway: str = "cod",
) -> Result:
    """`buyers` threads, each with its own keep-alive connection, checking out until the
    time is up; only checkouts begun and finished inside the window count. With `ready`
    (checkout IDs), buyers only complete those."""
    result = Result()
    lock = threading.Lock()
    start_barrier = threading.Barrier(buyers + 1)
    stop_at = [0.0]

    def buyer(index: int) -> None:
        browser = Browser(servers.port)
        conn = browser.home
        headers = {"Content-Type": "application/json", "Accept-Language": "fa"}
        rng = random.Random(index)
        timings: dict[str, list[float]] = defaultdict(list)
        failures: Counter = Counter()
        completed = finished = 0

        def post(query: str, variables: dict):
            body = json.dumps({"query": query, "variables": variables})
            began = time.perf_counter()
            conn.request("POST", "/graphql/", body=body, headers=headers)
            response = conn.getresponse()
            payload = response.read()
            elapsed = time.perf_counter() - began
            if response.status != 200:
                raise Failed("http", response.status)
            return json.loads(payload), elapsed

        start_barrier.wait()
        n = 0
        while time.perf_counter() < stop_at[0]:
            n += 1
            try:
                if ready is not None:
                    with lock:
                        if not ready:
                            break
                        checkout_id = ready.pop()
                    complete_once(post, checkout_id, timings)
                else:
                    checkout_once(
                        post,
                        rng.choice(pairs),
                        f"b{index}-{n}@example.com",
                        timings,
                        gateway,
                        lambda url: sandbox_pay(browser, url),
                    )
                finished += 1
                if time.perf_counter() <= stop_at[0]:
                    completed += 1
            except Failed as exc:
                failures[f"{exc.step}: {exc.detail}"] += 1
        browser.close()
        with lock:
            result.completed += completed
            result.finished += finished
            for step, values in timings.items():
                result.timings[step].extend(values)
            result.failures.update(failures)

    threads = [threading.Thread(target=buyer, args=(i,)) for i in range(buyers)]
    for thread in threads:
        thread.start()
    before = servers.usage()
    began = time.perf_counter()
    stop_at[0] = began + duration
    start_barrier.wait()
    for thread in threads:
        thread.join()
    # Prepared checkouts may run out before the time is up.
    result.seconds = min(duration, time.perf_counter() - began)
    used = servers.usage() - before
    result.database_cpu = used.database
    result.server_cpu = used.app + used.database
    result.gateway_cpu = used.gateway
    return result


def stop_servers(procs: list[subprocess.Popen]) -> None:
    from bench.catalog_bench import stop_server

    for server in procs:
        stop_server(server)


def merge(into: Result, part: Result) -> None:
    into.completed += part.completed
    into.seconds += part.seconds
    into.finished += part.finished
    into.server_cpu += part.server_cpu
    into.database_cpu += part.database_cpu
    into.gateway_cpu += part.gateway_cpu
    for step, values in part.timings.items():
        into.timings[step].extend(values)
    into.failures.update(part.failures)


def analyze() -> None:
    """Planner statistics as autovacuum keeps them in production: without any, PostgreSQL
    guesses that a checkout has dozens of lines and reads every variant to join them.
    Run once the checkout tables hold rows (after the warm-up), so they describe them;
    autovacuum, off on some test servers, would do the same as they grow."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def median_ms(values: list[float]) -> str:
    return f"{1000 * statistics.median(values):.1f}" if values else "—"


def p95_ms(values: list[float]) -> str:
    if len(values) < 20:
        return "—"
    return f"{1000 * statistics.quantiles(values, n=20)[-1]:.1f}"


# --scenarios name → (row label, carts, gateway); the paid row is compared with the
# cash-on-delivery row of the same carts and buyers.
SCENARIOS = {
    "many": ("many products", "many", "cod"),
    "hot": ("hot products", "hot", "cod"),
    "sandbox": ("many products, sandbox", "many", "sandbox"),
}


def print_paid_against_cod(rows: list[tuple[str, int, Result]]) -> None:
    """Completed paid checkouts (checkout + gateway page + callback) next to cash on
    delivery, same carts, same number of buyers, same run."""
    found = {(scenario, buyers): r for scenario, buyers, r in rows}
    pairs = [
        (buyers, found[("many products", buyers)], r)
        for (scenario, buyers), r in found.items()
        if scenario == "many products, sandbox" and ("many products", buyers) in found
    ]
    if not pairs:
        return

    def per_checkout(r: Result, seconds: float) -> float:
        return 1000 * seconds / r.finished if r.finished else 0.0

    print("\nPaid online (sandbox) against cash on delivery, many products:")
    print(
        "| buyers | cash on delivery checkouts/s | sandbox paid checkouts/s | paid / cod "
        "| cod CPU ms (database) | paid CPU ms (database) | paid / cod by CPU "
        "| gateway CPU ms per paid checkout |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for buyers, cod, paid in pairs:
        cod_rate, paid_rate = cod.completed / cod.seconds, paid.completed / paid.seconds
        cod_cpu, paid_cpu = per_checkout(cod, cod.server_cpu), per_checkout(paid, paid.server_cpu)
        rate_ratio = f"{100 * paid_rate / cod_rate:.0f}%" if cod_rate else "—"
        cpu_ratio = f"{cod_cpu / paid_cpu:.0%}" if paid_cpu else "—"
        cod_db, paid_db = per_checkout(cod, cod.database_cpu), per_checkout(paid, paid.database_cpu)
        gateway = (
            f"{per_checkout(paid, paid.gateway_cpu):.0f}" if paid.gateway_cpu else "in process"
        )
        print(
            f"| {buyers} | {cod_rate:.1f} | {paid_rate:.1f} | {rate_ratio} "
            f"| {cod_cpu:.0f} ({cod_db:.0f}) | {paid_cpu:.0f} ({paid_db:.0f}) | {cpu_ratio} "
            f"| {gateway} |"
        )
    print(
        "paid / cod by CPU: the marketplace's CPU (gunicorn and its PostgreSQL backends) "
        "per cash-on-delivery checkout over that per paid one: the ratio of rates on the "
        "marketplace's own cores, with the gateway's page and API on the gateway's "
        "machines as in production. The gateway's CPU (the sandbox as a server of its "
        "own) is not in it; on this one machine it shares the cores, which the rates show."
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--products", type=int, default=2000)
    parser.add_argument("--duration", type=float, default=20)
    parser.add_argument("--buyers", default="1,8,32", help="concurrent buyers per run")
    parser.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="run each row in this many slices of its time, the scenarios taking turns",
    )
    parser.add_argument(
        "--scenarios",
        default=",".join(SCENARIOS),
        help="which scenarios to run, comma-separated: " + ", ".join(SCENARIOS),
    )
    parser.add_argument(
        "--complete-only",
        action="store_true",
        help="prepare the checkouts through the models and time only checkoutComplete",
    )
    parser.add_argument(
        "--gateway-in-process",
        action="store_true",
        help="serve the sandbox gateway inside the marketplace's server, as `make run` "
        "does, instead of as a server of its own",
    )
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL", ""),
        help="a PostgreSQL server to create the benchmark database on (default: "
        "DATABASE_URL, else an embedded server)",
    )
    args = parser.parse_args()
    env = prepare_database(args.products, args.database_url)
    carts = pick_variants(many=2000)
    levels = [int(b) for b in args.buyers.split(",")]
    chosen = [name.strip() for name in args.scenarios.split(",")]
    unknown = set(chosen) - set(SCENARIOS)
    if unknown:
        sys.exit(f"Unknown scenarios: {', '.join(sorted(unknown))}")
    pools = {"many": carts.many, "hot": carts.hot}
    scenarios = [
        (label, pools[carts_kind], gateway)
        for name, (label, carts_kind, gateway) in SCENARIOS.items()
        if name in chosen
    ]
    ready: dict[tuple[str, int], list[str]] = {}
    if args.complete_only:
        for scenario, pairs, _gateway in scenarios:
            for buyers in levels:
                # More than the server can complete in the time (rows say if it ran out).
                rate = 150 if buyers > 1 else 60
                ready[(scenario, buyers)] = prepare_checkouts(pairs, int(rate * args.duration))
        ready[("warm-up", 0)] = prepare_checkouts(carts.many, 200)
        counts = {}
    else:
        counts = {gateway: query_counts(carts, gateway) for _s, _p, gateway in scenarios}
    load_before = os.getloadavg()[0]
    from bench.catalog_bench import free_port, server_workers, start_server

    # The same production server as the catalogue benchmark; checkouts are never cached.
    # The built-in sandbox gateway for the online-payment rows: a server of its own, as
    # a real gateway is, unless --gateway-in-process (as in the demo).
    servers = Servers(_server_url(env["DATABASE_URL"], "postgres"), BENCH_DB)
    procs = []
    gateway = None
    try:
        if not args.gateway_in_process and any(g != "cod" for _s, _p, g in scenarios):
            gateway_proc, gateway = start_gateway(env)
            procs.append(gateway_proc)
            servers.gateway = gateway_proc.pid
        port = free_port()
        proc, _base = start_server(
            marketplace_env(env, port=port, gateway=gateway), cache_seconds=0, port=port
        )
    except BaseException:
        # The marketplace did not start (start_server exits): no gateway left running.
        stop_servers(procs)
        raise
    procs.append(proc)
    servers.marketplace, servers.port = proc.pid, port
    try:
        # Warm up the workers and their connections.
        run_load(servers, carts.many, server_workers() + 1, 3, ready=ready.get(("warm-up", 0)))
        analyze()
        # Each row's time in --rounds slices, the scenarios taking turns: a change of the
        # machine's other load falls on every row alike, not on one.
        merged: dict[tuple[str, int], Result] = {}
        for buyers in levels:
            for _round in range(args.rounds):
                for scenario, pairs, gateway in scenarios:
                    if ready and gateway != "cod":
                        continue
                    result = run_load(
                        servers,
                        pairs,
                        buyers,
                        args.duration / args.rounds,
                        ready=ready.get((scenario, buyers)),
                        gateway=gateway,
                    )
                    merge(merged.setdefault((scenario, buyers), Result()), result)
        rows = [
            (scenario, buyers, merged[(scenario, buyers)])
            for scenario, _pairs, _gateway in scenarios
            for buyers in levels
            if (scenario, buyers) in merged
        ]
    finally:
        stop_servers(procs)

    mode = "checkoutComplete only (checkouts prepared in the database)" if ready else "whole"
    print(
        f"\n{mode} checkouts; {args.products} synthetic products + demo marketplace; gunicorn "
        f"{server_workers()} sync workers, DEBUG off; {args.duration:.0f} s per row "
        f"in {args.rounds} turns; hot: {len(carts.hot)} carts "
        f"over 4 variants; many: {len(carts.many)} carts; 2 groups per cart; {os.cpu_count()} "
        f"CPUs, 1-min load average {load_before:.2f} before, {os.getloadavg()[0]:.2f} after\n"
    )
    print(
        "| scenario | buyers | checkouts/s | create | linesAdd | shippingAddress "
        "| deliveryMethod | complete | callback | complete p95 | failed "
        "| server CPU ms / checkout |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for scenario, buyers, r in rows:
        cells = " | ".join(median_ms(r.timings[step]) for step in STEPS)
        failed = sum(r.failures.values())
        cpu = f"{1000 * r.server_cpu / r.finished:.0f}" if r.finished else "—"
        print(
            f"| {scenario} | {buyers} | {r.completed / r.seconds:.1f} | {cells} | "
            f"{p95_ms(r.timings['complete'])} | {failed} | {cpu} |"
        )
    print(
        "\nMedian latency in ms, measured by the client. Server CPU: the marketplace's "
        "gunicorn and its PostgreSQL backends (not a separate gateway's), per finished "
        "checkout; 2 dedicated cores give at most 2000 / that many checkouts per second. "
        "callback: the sandbox page, Pay and our callback (verification included), one "
        "buyer's three requests. SQL queries per mutation (in process, sandbox included):"
    )
    print("| gateway | " + " | ".join(STEPS) + " |")
    print("| --- | " + " | ".join("---" for _ in STEPS) + " |")
    for gateway, steps in counts.items():
        print(f"| {gateway} | " + " | ".join(str(steps.get(step, "—")) for step in STEPS) + " |")
    print_paid_against_cod(rows)
    failures = Counter()
    for _s, _b, r in rows:
        failures.update(r.failures)
    if failures:
        print("\nFailures:", dict(failures.most_common(10)))


if __name__ == "__main__":
    main()
