"""Fulfilment benchmark: polling a carrier for 1,000 parcels on their way, and the pick
list and packing slips of 200 shipments as PDFs.

    .venv/bin/python bench/tracking_bench.py [--parcels 1000] [--picklist 200]

What it does, on a fresh database of its own (created on the server of DATABASE_URL when
set, else in an embedded PostgreSQL under .data/bench-tracking):
1. migrates, loads the demo marketplace and seeds 300 synthetic products;
2. writes --parcels cash-on-delivery orders of two lines each, their shipments SHIPPED
   with the courier (rows written in bulk: the setup is not what is measured);
3. starts the courier's local server (tests/logistics/carrier_server.py, the API of
   integrations/logistics/courier.py) with two events per parcel, "in transit" and
   "delivered" with the cash;
4. times one poll (marketplace.logistics.tracking.poll_carrier: batches of 100 numbers,
   each event applied in its own transaction, every delivery making its order FULFILLED)
   and a second poll that finds only events seen before;
5. times the pick list and the packing slips of --picklist shipments (WeasyPrint);
6. prints a Markdown table. Targets: the poll under 60 s, the pick list under 5 s.
Only loopback addresses are used.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BENCH_DB = "bazarcheh_bench_tracking"


def prepare_database(database_url: str | None) -> None:
    from bench.checkout_bench import _server_url
    from config import launcher, services

    if not database_url:
        os.environ["BAZARCHEH_DATA_DIR"] = str(ROOT / ".data" / "bench-tracking")
        database_url = services.start_embedded_postgres()
    _recreate(database_url)
    env = dict(os.environ)
    env["DATABASE_URL"] = _server_url(database_url, BENCH_DB)
    env.update({"BAZARCHEH_DEV": "1", "DJANGO_SETTINGS_MODULE": "config.settings"})
    os.environ.update(env)
    launcher.compile_translations()
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v", "0"], check=True, env=env)
    subprocess.run([*manage, "load_demo_data", "--without-catalog"], check=True, env=env)
    subprocess.run([*manage, "seed_products", "300"], check=True, env=env)
    import django

    django.setup()


def _recreate(database_url: str) -> None:
    import psycopg
    from psycopg import sql

    from bench.checkout_bench import _server_url

    with psycopg.connect(_server_url(database_url, "postgres"), autocommit=True) as conn:
        name = sql.Identifier(BENCH_DB)
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(name))


def write_shipped_orders(count: int) -> list[int]:
    """`count` COD orders of one cooperative, two lines each, SHIPPED with the courier."""
    from marketplace.accounts.models import Address, User
    from marketplace.catalog.models import ProductVariant
    from marketplace.channels.models import Channel
    from marketplace.demo.accounts import BUYER_EMAIL
    from marketplace.locations.models import Province
    from marketplace.logistics.models import Parcel
    from marketplace.orders.models import Order, OrderLine, OrderStatus, Shipment, ShipmentStatus
    from marketplace.payments.models import Payment
    from marketplace.shipping.models import DeliveryKind, DeliveryMethod

    rng = random.Random(11)
    buyer = User.objects.get(email=BUYER_EMAIL)
    channel = Channel.objects.get(slug="ir")
    province = Province.objects.get(code="IR-09")
    variants = list(
        ProductVariant.objects.filter(product__seller__cooperative__isnull=False)
        .select_related("product__seller")
        .order_by("pk")[:200]
    )
    cooperative_id = variants[0].product.seller.cooperative_id
    variants = [v for v in variants if v.product.seller.cooperative_id == cooperative_id]
    courier, _ = DeliveryMethod.objects.get_or_create(
        kind=DeliveryKind.COURIER, cooperative=None, seller=None, defaults={"name": "پیک"}
    )
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
    price = Decimal(500_000)
    orders = Order.objects.bulk_create(
        Order(
            user=buyer,
            email=buyer.email,
            channel=channel,
            status=OrderStatus.CONFIRMED,
            shipping_address=address,
            currency="IRR",
            subtotal=price * 2,
            shipping_price=0,
            total=price * 2,
        )
        for _ in range(count)
    )
    Payment.objects.bulk_create(
        Payment(order=o, gateway="cod", status="NOT_CHARGED", total=o.total, currency="IRR")
        for o in orders
    )
    shipments = Shipment.objects.bulk_create(
        Shipment(
            order=o,
            cooperative_id=cooperative_id,
            delivery_method=courier,
            shipping_price=0,
            status=ShipmentStatus.SHIPPED,
            carrier="courier",
            tracking_number=f"CR{9_000_000_000 + i:010d}",
        )
        for i, o in enumerate(orders)
    )
    OrderLine.objects.bulk_create(
        OrderLine(
            order=s.order,
            shipment=s,
            variant=v,
            seller=v.product.seller,
            product_name=v.product.name,
            variant_name=v.name,
            sku=v.sku or "",
            quantity=1,
            unit_price=price,
            total_price=price,
            currency="IRR",
        )
        for s in shipments
        for v in rng.sample(variants, 2)
    )
    Parcel.objects.bulk_create(Parcel(shipment=s, cash_to_collect=price * 2) for s in shipments)
    return [s.pk for s in shipments]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--parcels", type=int, default=1000)
    parser.add_argument("--picklist", type=int, default=200)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    args = parser.parse_args()
    prepare_database(args.database_url)

    from django.conf import settings

    from marketplace.logistics import carriers, paperwork, tracking
    from marketplace.orders.models import Order, Shipment
    from tests.logistics.carrier_server import CarrierServer

    ids = write_shipped_orders(args.parcels)
    rows = []
    with CarrierServer("courier") as server:
        settings.LOGISTICS_CARRIERS = {"courier": server.carrier_settings(poll=True, timeout=10)}
        carriers.reset()
        for number in Shipment.objects.filter(pk__in=ids).values_list("tracking_number", flat=True):
            server.scan(number, "IN_TRANSIT", location="مشهد")
            server.scan(number, "DELIVERED", cash=1_000_000)
        courier = carriers.get_carrier("courier")
        started = time.perf_counter()
        first = tracking.poll_carrier(courier)
        rows.append((f"poll {args.parcels} parcels (first)", time.perf_counter() - started, first))
        fulfilled = Order.objects.filter(status="FULFILLED").count()
        # Delivered parcels are no longer asked about; ask about them all again for the
        # deduplication's cost.
        Shipment.objects.filter(pk__in=ids).update(status="SHIPPED")
        started = time.perf_counter()
        again = tracking.poll_carrier(courier)
        rows.append(
            (f"poll {args.parcels} parcels (all seen)", time.perf_counter() - started, again)
        )

    shipments = list(
        Shipment.objects.filter(pk__in=ids[: args.picklist])
        .select_related(
            "order__channel", "order__shipping_address", "delivery_method", "cooperative"
        )
        .order_by("pk")
    )
    for kind in ("picklist", "slip"):
        started = time.perf_counter()
        pdf = paperwork.render(kind, shipments)
        rows.append(
            (
                f"{kind} PDF of {len(shipments)} shipments",
                time.perf_counter() - started,
                {"bytes": len(pdf)},
            )
        )

    print(f"\nOrders FULFILLED by the first poll: {fulfilled} of {args.parcels}\n")
    print("| step | seconds | outcome |")
    print("|---|---:|---|")
    for name, seconds, outcome in rows:
        print(f"| {name} | {seconds:.2f} | {outcome} |")


if __name__ == "__main__":
    main()
