"""Every hand-written statement (core.sql.STATEMENTS) is EXPLAINed against a seeded and
analysed database, with parameters like the ones it runs with: its plan must use each
index it declares. A change to a statement (or to the indexes) that leaves it reading
whole tables fails here, not in production.

The planner runs with its ordinary settings: the seeded tables are large enough that
reading them whole costs more than the declared index."""

from __future__ import annotations

import importlib
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone
from psycopg.types.json import Jsonb

from marketplace.accounts.models import Address, User
from marketplace.catalog.models import Product, ProductChannelListing, ProductVariant
from marketplace.channels.models import Channel
from marketplace.checkout.models import Checkout, CheckoutDelivery, CheckoutLine
from marketplace.core import sql
from marketplace.demo.synthetic import seed_products
from marketplace.inventory.models import Reservation, Stock
from marketplace.ledger.models import Account, AccountKind, CauseKind, Posting
from marketplace.locations.models import Province
from marketplace.notifications.models import Notification
from marketplace.notifications.services import record_parameters
from marketplace.orders.models import Order, OrderEvent, OrderLine, OrderStatus, Shipment
from marketplace.payments.models import Payment, SandboxSession, SandboxStatus, Transaction
from marketplace.sellers.models import Seller, SellerStatus
from marketplace.shipping.models import DeliveryMethod

ROOT = Path(__file__).resolve().parents[2]

# The modules that register statements, imported so the registry is complete.
MODULES = (
    "integrations.payments.sandbox_server",
    "marketplace.catalog.product_page",
    "marketplace.catalog.public_listing",
    "marketplace.catalog.search.index",
    "marketplace.catalog.search.query",
    "marketplace.catalog.search.tiers",
    "marketplace.checkout.info",
    "marketplace.checkout.selectors",
    "marketplace.checkout.services",
    "marketplace.checkout.transactions",
    "marketplace.core.outbox",
    "marketplace.core.throttle",
    "marketplace.inventory.stock",
    "marketplace.ledger.postings",
    "marketplace.ledger.services",
    "marketplace.ledger.split",
    "marketplace.notifications.services",
    "marketplace.orders.events",
    "marketplace.orders.guests",
    "marketplace.payments.locks",
    "marketplace.payments.selectors",
    "marketplace.payments.services",
    "marketplace.payments.writes",
    "marketplace.shipping.selectors",
)
# Modules that run SQL of their own without registering it, and why.
UNREGISTERED = {
    # Runs the statements the other modules register (Shape.one).
    "marketplace/core/sql.py",
    # Maintenance commands: VACUUM, ANALYZE, advisory locks and planner settings.
    "marketplace/catalog/management/commands/reindex_products.py",
    "marketplace/demo/catalog.py",
    "marketplace/demo/loader.py",
    # A commit setting for polled tracking reports (SET LOCAL synchronous_commit).
    "marketplace/logistics/tracking.py",
    # Diagnostics of one search (explain): its columns grow with the query's words.
    "marketplace/catalog/search/query.py",
}

PRODUCTS = 800
SELLERS = 1000
CHECKOUTS = 1500
ORDERS = 1500


@dataclass
class Sample:
    """Ids of the seeded data, for the statements' parameters."""

    channel: Channel
    products: list[Product]
    variants: list[int]
    stocks: list[int]
    sellers: list[int]
    cooperatives: list[int]
    checkout: Checkout
    lines: list[int]
    method: DeliveryMethod
    province: Province
    category: int
    order: int
    payment: int

    @property
    def now(self):
        return timezone.now()


def _seed_sellers(count: int) -> None:
    users = User.objects.bulk_create(
        User(email=f"plan-seller-{n}@example.com", password="!") for n in range(count)
    )
    Seller.objects.bulk_create(
        Seller(
            owner=user,
            name=f"فروشنده {n}",
            slug=f"plan-seller-{n}",
            phone="+989151000001",
            status=SellerStatus.APPROVED,
        )
        for n, user in enumerate(users)
    )
    # Each seller's escrow and available accounts, as their orders' postings open them.
    Account.objects.bulk_create(
        Account(kind=kind, currency="IRR", seller=seller)
        for seller in Seller.objects.filter(slug__startswith="plan-seller-")
        for kind in (AccountKind.ESCROW, AccountKind.SELLER)
    )


def _seed_checkouts(count: int, channel: Channel, variants: list[ProductVariant]) -> None:
    """Checkouts of the last days, each with two lines held by live reservations and a
    delivery chosen for one of its fulfillers."""
    checkouts = Checkout.objects.bulk_create(Checkout(channel=channel) for _ in range(count))
    lines = CheckoutLine.objects.bulk_create(
        CheckoutLine(checkout=checkout, variant=variants[(2 * n + k) % len(variants)], quantity=1)
        for n, checkout in enumerate(checkouts)
        for k in range(2)
    )
    stock_of = dict(Stock.objects.values_list("variant_id", "pk"))
    until = timezone.now() + timedelta(minutes=10)
    Reservation.objects.bulk_create(
        Reservation(
            checkout_line=line, stock_id=stock_of[line.variant_id], quantity=1, reserved_until=until
        )
        for line in lines
        if line.variant_id in stock_of
    )
    method = DeliveryMethod.objects.filter(cooperative=None, seller=None).first()
    sellers = dict(ProductVariant.objects.values_list("pk", "product__seller_id"))
    CheckoutDelivery.objects.bulk_create(
        CheckoutDelivery(checkout=line.checkout, seller_id=sellers[line.variant_id], method=method)
        for line in lines[::2]
    )


def authority(n: int) -> str:
    return f"S{n:035d}"


def _seed_orders(count: int, channel: Channel, variants: list[ProductVariant]) -> None:
    """Orders placed, each with one parcel of two lines, a payment, a posting and a
    sandbox gateway's session."""
    address = Address.objects.create(
        first_name="سارا", last_name="احمدی", phone="+989121234567", country="IR"
    )
    orders = Order.objects.bulk_create(
        Order(
            channel=channel,
            status=OrderStatus.CONFIRMED,
            shipping_address=address,
            currency="IRR",
            subtotal=200_000,
            shipping_price=0,
            total=200_000,
        )
        for _ in range(count)
    )
    method = DeliveryMethod.objects.filter(cooperative=None, seller=None).first()
    sellers = dict(ProductVariant.objects.values_list("pk", "product__seller_id"))
    shipments = Shipment.objects.bulk_create(
        Shipment(
            order=order,
            seller_id=sellers[variants[n % len(variants)].pk],
            delivery_method=method,
            shipping_price=0,
        )
        for n, order in enumerate(orders)
    )
    Payment.objects.bulk_create(
        Payment(order=order, gateway="cod", status="NOT_CHARGED", total=200_000, currency="IRR")
        for order in orders
    )
    SandboxSession.objects.bulk_create(
        SandboxSession(
            authority=authority(n),
            merchant_id="merchant",
            amount=2_000_000,
            currency="IRR",
            callback_url="https://shop.example.com/payments/sandbox/callback/",
            description="plan",
            status=SandboxStatus.NEW,
        )
        for n in range(count)
    )
    Posting.objects.bulk_create(
        Posting(
            cause_kind=CauseKind.CAPTURE,
            cause_id=str(order.pk),
            order=order,
            amount=200_000,
            currency="IRR",
        )
        for order in orders
    )
    OrderLine.objects.bulk_create(
        OrderLine(
            order=shipment.order,
            shipment=shipment,
            variant=variants[(n + k) % len(variants)],
            seller_id=sellers[variants[(n + k) % len(variants)].pk],
            product_name="زعفران",
            quantity=1,
            unit_price=100_000,
            total_price=100_000,
            currency="IRR",
        )
        for n, shipment in enumerate(shipments)
        for k in range(2)
    )


@pytest.fixture
def sample(db) -> Sample:
    seed_products(PRODUCTS, batch_size=1000)
    _seed_sellers(SELLERS)
    channel = Channel.objects.get(slug="ir")
    variants = list(ProductVariant.objects.order_by("pk")[:400])
    _seed_checkouts(CHECKOUTS, channel, variants)
    _seed_orders(ORDERS, channel, variants)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    checkout = Checkout.objects.order_by("created").last()
    listing = ProductChannelListing.objects.filter(channel=channel, is_visible=True).first()
    return Sample(
        channel=channel,
        products=list(Product.objects.order_by("-pk")[:20]),
        variants=[v.pk for v in variants[:3]],
        stocks=list(Stock.objects.filter(variant_id__in=variants[:3]).values_list("pk", flat=True)),
        sellers=list(Seller.objects.order_by("pk").values_list("pk", flat=True)[:3]),
        cooperatives=list(
            Seller.objects.exclude(cooperative=None).values_list("cooperative_id", flat=True)[:2]
        ),
        checkout=checkout,
        lines=list(checkout.lines.values_list("pk", flat=True)),
        method=DeliveryMethod.objects.filter(cooperative=None, seller=None).first(),
        province=Province.objects.get(code="IR-09"),
        category=listing.category_id,
        order=Order.objects.order_by("pk").last().pk,
        payment=Payment.objects.order_by("pk").last().pk,
    )


# Parameters like those each statement runs with.
def kept(s: Sample) -> list:
    """A kept exchange with a gateway (payments.writes), as its statements take it."""
    exchange = Transaction(
        payment_id=s.payment, kind="start", amount=Decimal(1000), is_success=True, raw={}
    )
    return sql.NewRows(Transaction).parameters([exchange])


PARAMETERS: dict[str, Callable[[Sample], list]] = {
    "catalog.product_by_id": lambda s: [s.channel.pk, s.products[0].pk],
    "catalog.product_by_slug": lambda s: [s.channel.pk, s.products[0].slug],
    "catalog.sellers_by_id": lambda s: [s.sellers],
    "catalog.variants_with_price": lambda s: [s.channel.pk, [p.pk for p in s.products]],
    "catalog.listing_newest": lambda s: [s.channel.pk, 20],
    "catalog.listing_by_price": lambda s: [s.channel.pk, 20, 40],
    "catalog.listing_category_by_price": lambda s: [s.channel.pk, s.category, 20],
    "catalog.listing_available": lambda s: [s.channel.pk, s.now, s.now, 20],
    "catalog.listing_by_rating": lambda s: [s.channel.pk, 20],
    "catalog.listing_count": lambda s: [s.channel.pk],
    "catalog.search_write": lambda s: [[s.products[0].pk], ["زعفران _زعفران"], ["زعفران"]],
    "catalog.search_add_words": lambda s: [["زعفران"], [True], [False]],
    "catalog.search_drop_unused": lambda s: [["زعفران", "کشمش"]],
    "catalog.search_corrections": lambda s: [["زعفرن"], 0.3],
    "catalog.search_vocabulary": lambda s: [["زعفران", "کشمش"]],
    "catalog.search_suggestions": lambda s: [["زعفرن", "گوشی"]],
    "core.outbox_enqueue": lambda s: ["task", "{}", "key", "PENDING", timedelta(minutes=2)],
    "core.throttle_count": lambda s: ["throttle:probe:key", 1, timedelta(minutes=1)],
    "checkout.lines": lambda s: [s.channel.pk, s.checkout.pk],
    "checkout.chosen_methods": lambda s: [s.checkout.pk, "IR", s.province.pk, s.province.pk],
    "checkout.by_token": lambda s: [s.checkout.pk],
    "checkout.by_token_locked": lambda s: [s.checkout.pk],
    "checkout.variants_to_buy": lambda s: [s.channel.pk, s.variants],
    "checkout.lines_with_held": lambda s: [s.now, s.checkout.pk],
    "checkout.choices": lambda s: [s.checkout.pk],
    "orders.guest_phone_lock": lambda s: ["guest-phone:+989121234567"],
    "checkout.lock": lambda s: [s.now, s.checkout.pk, None, s.now, timedelta(hours=1), s.now],
    "checkout.choose_for_cooperative": lambda s: [
        s.checkout.pk,
        s.cooperatives[0],
        None,
        s.method.pk,
    ],
    "checkout.choose_for_seller": lambda s: [s.checkout.pk, None, s.sellers[0], s.method.pk],
    "inventory.move_units": lambda s: [
        s.stocks[:1],
        [1],
        [1],
        s.stocks[:1],
        [1],
        s.lines,
    ],
    "inventory.usable_by_stock": lambda s: [s.now, s.now, s.lines, s.stocks],
    "inventory.free_by_stock": lambda s: [s.now, s.checkout.pk, s.stocks],
    "inventory.lock_stocks": lambda s: [s.variants],
    "ledger.accounts": lambda s: [["ESCROW", "CLEARING"], "IRR", s.sellers[:2], s.cooperatives[:1]],
    "ledger.accounts_locked": lambda s: [
        ["ESCROW", "CLEARING"],
        "IRR",
        s.sellers[:2],
        s.cooperatives[:1],
    ],
    "ledger.order_postings": lambda s: ["CAPTURE", "1", s.order],
    "ledger.split_lines": lambda s: [s.order],
    "ledger.split_shipments": lambda s: [s.order],
    "ledger.post": lambda s: [
        "CAPTURE",
        "probe",
        None,
        Decimal(100),
        "IRR",
        "",
        s.now,
        "IRR",
        [1, 2],
        [Decimal(100), Decimal(-100)],
    ],
    "notifications.record": lambda s: record_parameters(
        [
            Notification(
                template="payment.confirmed.buyer",
                event_key=f"order:{s.order}:paid",
                recipient="contact:+989121234567",
                channel="SMS",
                phone="+989121234567",
                context={"number": "1"},
            )
        ]
    ),
    "orders.record_events": lambda s: sql.NewRows(OrderEvent).parameters(
        [OrderEvent(order_id=s.order, type="PLACED", data={"lines": 2})]
    ),
    "payments.by_reference": lambda s: ["sandbox", authority(1)],
    "payments.sandbox_decide": lambda s: ["PAID", s.now, 1_000_000_001, authority(1), "NEW"],
    "payments.sandbox_session": lambda s: [authority(1)],
    "payments.sandbox_verify": lambda s: ["VERIFIED", authority(1), "merchant", 1000, "PAID"],
    "payments.lock_order_and_payment": lambda s: [s.order, s.payment],
    "payments.keep_exchange": lambda s: kept(s),
    "payments.store_start": lambda s: [
        *kept(s),
        authority(2),
        Jsonb({"kind": "REDIRECT"}),
        s.now,
        s.payment,
        "PENDING",
    ],
    "payments.capture": lambda s: [
        "CHARGED",
        Decimal(1000),
        s.now,
        s.now,
        s.payment,
        "CONFIRMED",
        "CHARGED",
        None,
        s.now,
        s.order,
        "UNCONFIRMED",
    ],
    "shipping.methods_for_groups": lambda s: [
        s.cooperatives,
        s.sellers,
        "IR",
        s.province.pk,
        s.province.pk,
        s.channel.pk,
    ],
    "shipping.rates_by_method": lambda s: [s.channel.pk, [s.method.pk]],
}


def _nodes(plan: dict) -> Iterator[dict]:
    yield plan
    for child in plan.get("Plans", ()):
        yield from _nodes(child)


def used_indexes(plan: dict) -> set[str]:
    """The indexes a plan reads (scans, and the arbiters of an INSERT … ON CONFLICT)."""
    used = set()
    for node in _nodes(plan):
        if "Index Name" in node:
            used.add(node["Index Name"])
        used.update(node.get("Conflict Arbiter Indexes", ()))
    return used


def index_names(use: sql.Index | str) -> set[str]:
    """The names of the indexes that answer for `use`."""
    if isinstance(use, str):
        return {use}
    table = use.model._meta.db_table
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    width = len(use.columns)
    return {
        name
        for name, info in constraints.items()
        if info["index"] or info["primary_key"] or info["unique"]
        if tuple(info["columns"][:width]) == use.columns
    }


def explain(statement: str, params: list) -> dict:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {statement}", params)
        (document,) = cursor.fetchone()
    # Django has psycopg hand JSON over as text.
    return (json.loads(document) if isinstance(document, str) else document)[0]["Plan"]


def test_every_statement_uses_its_indexes(sample):
    for module in MODULES:
        importlib.import_module(module)
    assert set(PARAMETERS) == set(sql.STATEMENTS)
    failures = {}
    for name, statement in sorted(sql.STATEMENTS.items()):
        plan = explain(statement.sql(), PARAMETERS[name](sample))
        used = used_indexes(plan)
        missing = [use for use in statement.uses if not index_names(use) & used]
        if missing:
            failures[name] = (missing, sorted(used))
    assert failures == {}


def test_every_module_running_sql_registers_it():
    running = {
        str(path.relative_to(ROOT))
        for path in (ROOT / "marketplace").rglob("*.py")
        if "migrations" not in path.parts and re.search(r"cursor\.execute\(", path.read_text())
    }
    registering = {module.replace(".", "/") + ".py" for module in MODULES}
    assert running - registering - UNREGISTERED == set()
