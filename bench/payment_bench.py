"""Payment gateway round trip benchmark: the built-in sandbox gateway's protocol (the
Zarinpal v4 exchange the shaparak adapter speaks) against the production server.

    .venv/bin/python bench/payment_bench.py [--duration 15] [--buyers 1,4,8]

On a fresh, migrated database of its own (on the server of DATABASE_URL when set, else
in the embedded PostgreSQL under .data/bench-payment), gunicorn is started as in the
other benchmarks (config/gunicorn.py, DEBUG off, PAYMENT_SANDBOX on). Virtual buyers
(threads, one keep-alive HTTP connection each) repeat one payment's round trip:
1. request.json (the merchant asks for a payment: an authority),
2. the StartPay page (GET, the buyer's browser) and Pay (POST, CSRF-protected),
3. verify.json with the same amount (code 100).
It prints completed round trips per second, requests per second (four per round trip),
and each step's median and p95 latency. Only loopback addresses are used.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import statistics
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BENCH_DB = "bazarcheh_bench_payment"
API = "/payments/sandbox/pg/v4/payment"
MERCHANT = "00000000-0000-0000-0000-00000000sand"
AMOUNT = 4_560_000  # rial
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
STEPS = ("request", "page", "pay", "verify")


class Failed(Exception):
    pass


def prepare_database(database_url: str | None) -> dict[str, str]:
    from bench.database import fresh_database

    return fresh_database(BENCH_DB, "bench-payment", database_url)


def _json(conn: http.client.HTTPConnection, path: str, body: dict) -> dict:
    conn.request(
        "POST",
        path,
        body=json.dumps(body),
        headers={"Content-Type": "application/json", "Accept": "application/json"},
    )
    response = conn.getresponse()
    data = response.read()
    if response.status != 200:
        raise Failed(f"{path.rsplit('/', 1)[-1]} {response.status}")
    return json.loads(data)


def round_trip(conn: http.client.HTTPConnection, timings: dict[str, list[float]]) -> None:
    began = time.perf_counter()
    asked = _json(
        conn,
        f"{API}/request.json",
        {
            "merchant_id": MERCHANT,
            "amount": AMOUNT,
            "currency": "IRR",
            "callback_url": "http://127.0.0.1/payments/sandbox/callback/",
            "description": "Bazarcheh benchmark",
        },
    )
    authority = (asked.get("data") or {}).get("authority")
    if not authority:
        raise Failed("request refused")
    timings["request"].append(time.perf_counter() - began)

    began = time.perf_counter()
    url = f"/payments/sandbox/pg/StartPay/{authority}"
    conn.request("GET", url)
    page = conn.getresponse()
    html = page.read().decode()
    cookie = (page.getheader("Set-Cookie") or "").split(";")[0]
    match = CSRF_INPUT.search(html)
    if page.status != 200 or match is None:
        raise Failed(f"page {page.status}")
    timings["page"].append(time.perf_counter() - began)

    began = time.perf_counter()
    body = urlencode({"csrfmiddlewaretoken": match.group(1), "result": "paid"})
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie}
    conn.request("POST", url, body=body, headers=headers)
    decided = conn.getresponse()
    decided.read()
    if decided.status != 302 or "Status=OK" not in (decided.getheader("Location") or ""):
        raise Failed(f"pay {decided.status}")
    timings["pay"].append(time.perf_counter() - began)

    began = time.perf_counter()
    verified = _json(
        conn,
        f"{API}/verify.json",
        {"merchant_id": MERCHANT, "authority": authority, "amount": AMOUNT},
    )
    if (verified.get("data") or {}).get("code") != 100:
        raise Failed("verify not 100")
    timings["verify"].append(time.perf_counter() - began)


def run_load(port: int, buyers: int, duration: float) -> tuple[int, float, dict, Counter]:
    timings: dict[str, list[float]] = {step: [] for step in STEPS}
    failures: Counter = Counter()
    done = [0]
    lock = threading.Lock()
    stop = time.monotonic() + duration

    def buyer() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine: dict[str, list[float]] = {step: [] for step in STEPS}
        count = 0
        while time.monotonic() < stop:
            try:
                round_trip(conn, mine)
                count += 1
            except (Failed, OSError, http.client.HTTPException, ValueError) as exc:
                with lock:
                    failures[str(exc)[:60]] += 1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.close()
        with lock:
            done[0] += count
            for step in STEPS:
                timings[step].extend(mine[step])

    began = time.monotonic()
    threads = [threading.Thread(target=buyer) for _ in range(buyers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return done[0], time.monotonic() - began, timings, failures


def _ms(values: list[float], quantile: float | None = None) -> str:
    if not values:
        return "—"
    if quantile is None:
        return f"{1000 * statistics.median(values):.1f}"
    return f"{1000 * statistics.quantiles(values, n=100)[int(quantile * 100) - 1]:.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=float, default=15)
    parser.add_argument("--buyers", default="1,4,8")
    args = parser.parse_args()
    levels = [int(b) for b in args.buyers.split(",")]
    env = prepare_database(os.environ.get("DATABASE_URL"))
    from bench.catalog_bench import server_workers, start_server, stop_server

    proc, base = start_server({**env, "PAYMENT_SANDBOX": "1"}, cache_seconds=0)
    port = urlsplit(base).port
    rows = []
    load_before = os.getloadavg()[0]
    try:
        run_load(port, server_workers() + 1, 3)  # warm-up
        for buyers in levels:
            rows.append((buyers, *run_load(port, buyers, args.duration)))
    finally:
        stop_server(proc)
    print(
        f"\nSandbox gateway round trips (request → page → Pay → verify); gunicorn "
        f"{server_workers()} sync workers, DEBUG off; {args.duration:.0f} s per row; "
        f"{os.cpu_count()} CPUs, 1-min load average {load_before:.2f} before, "
        f"{os.getloadavg()[0]:.2f} after\n"
    )
    header = " | ".join(f"{step} p50 / p95" for step in STEPS)
    print(f"| buyers | round trips/s | requests/s | {header} | failed |")
    print("| --- | --- | --- | " + " | ".join("---" for _ in STEPS) + " | --- |")
    failures: Counter = Counter()
    for buyers, completed, seconds, timings, failed in rows:
        cells = " | ".join(f"{_ms(timings[s])} / {_ms(timings[s], 0.95)}" for s in STEPS)
        print(
            f"| {buyers} | {completed / seconds:.1f} | {4 * completed / seconds:.1f} | "
            f"{cells} | {sum(failed.values())} |"
        )
        failures.update(failed)
    print("\nLatency in ms, measured by the client.")
    if failures:
        print("Failures:", dict(failures.most_common(5)))


if __name__ == "__main__":
    main()
