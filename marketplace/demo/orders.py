"""Demo orders in every state, for every demo cooperative (and independent producer), so
a new user finds a working desk: parcels to pack, packed (one short), sent by post,
out with the cooperative's driver, waiting at the pickup point, delivered, completed,
canceled. Made through the same services as real orders; loaded once."""

from __future__ import annotations

import random
from decimal import Decimal

from django.db import transaction

from marketplace.accounts.models import Address, User
from marketplace.channels.models import Channel
from marketplace.checkout.info import build_checkout_info
from marketplace.checkout.models import Checkout, CheckoutDelivery, CheckoutLine
from marketplace.core.errors import DomainError
from marketplace.demo.accounts import BUYER_EMAIL
from marketplace.inventory import stock
from marketplace.inventory.models import Stock, Warehouse
from marketplace.locations.models import Province
from marketplace.logistics import services as logistics
from marketplace.logistics.models import Parcel
from marketplace.notifications.services import muted
from marketplace.orders import services as orders
from marketplace.orders.models import Order
from marketplace.reviews import services as reviews
from marketplace.sellers.models import Cooperative, Seller, SellerStatus
from marketplace.shipping.models import DeliveryKind, DeliveryMethod, DeliveryRate

# What happens to each demo order after it is placed, in this order per fulfiller.
STORIES = (
    "to_pack",
    "to_pack",
    "packed_short",
    "shipped_post",
    "on_route",
    "at_pickup",
    "delivered",
    "completed",
    "canceled",
)
ROUTE_PRICE = Decimal(300_000)
# What the demo buyer wrote about the goods of completed orders (delivered ones are left
# for the visitor to review).
REVIEW_TEXTS = (
    "تازه و خوش‌عطر بود؛ بسته‌بندی هم تمیز و محکم.",
    "همان چیزی بود که در عکس دیدم. زود هم رسید.",
    "کیفیت خوب، فقط کاش بستهٔ بزرگ‌تری هم داشت.",
)


def demo_orders_loaded() -> bool:
    return Order.objects.filter(user__email__iexact=BUYER_EMAIL).exists()


def _buyer_address(buyer: User) -> Address:
    found = Address.objects.filter(user=buyer).first()
    if found is not None:
        return found
    province = Province.objects.get(code="IR-09")
    return Address.objects.create(
        user=buyer,
        first_name=buyer.first_name or "سارا",
        last_name=buyer.last_name or "احمدی",
        phone=buyer.phone or "+989121234567",
        country="IR",
        country_area=province.name,
        province=province,
        city="مشهد",
        street_address_1="بلوار وکیل‌آباد، کوچه‌ی نسترن، پلاک ۱۲",
        postal_code="9189765432",
        is_default=True,
    )


def _own_methods(
    cooperative: Cooperative, post: DeliveryMethod, ir: Channel
) -> dict[str, DeliveryMethod]:
    """The cooperative's own delivery (its driver) and pickup at its warehouse, serving
    where the platform's post serves."""
    warehouse = Warehouse.objects.filter(cooperative=cooperative).first()
    methods = {}
    for kind, name, name_en in (
        (DeliveryKind.COOP_DELIVERY, "ارسال با خودروی تعاونی", "Cooperative van"),
        (DeliveryKind.PICKUP, "تحویل در انبار تعاونی", "Pickup at the cooperative"),
    ):
        if kind == DeliveryKind.PICKUP and warehouse is None:
            continue
        method, created = DeliveryMethod.objects.get_or_create(
            cooperative=cooperative,
            kind=kind,
            defaults={
                "name": name,
                "name_en": name_en,
                "pickup_warehouse": warehouse if kind == DeliveryKind.PICKUP else None,
                "min_days": 1,
                "max_days": 3,
            },
        )
        if created:
            method.zones.set(post.zones.all())
            price = ROUTE_PRICE if kind == DeliveryKind.COOP_DELIVERY else Decimal(0)
            DeliveryRate.objects.create(method=method, channel=ir, price=price)
        methods[kind] = method
    return methods


def _stocked_variants(seller_ids: list[int]) -> list[int]:
    return list(
        Stock.objects.filter(
            variant__product__seller_id__in=seller_ids, variant__product__is_published=True
        )
        .order_by("variant_id")
        .values_list("variant_id", flat=True)
        .distinct()[:40]
    )


def _try_place(
    buyer, address, ir, variants: list[int], method: DeliveryMethod, rng: random.Random
) -> Order:
    checkout = Checkout.objects.create(
        user=buyer, email=buyer.email, channel=ir, shipping_address=address, language="fa"
    )
    for variant_id in rng.sample(variants, k=min(2, len(variants))):
        line = CheckoutLine.objects.create(
            checkout=checkout, variant_id=variant_id, quantity=rng.randint(1, 3)
        )
        stock.reserve(line=line, quantity=line.quantity, field="lines")
    for group in build_checkout_info(checkout).groups:
        CheckoutDelivery.objects.create(
            checkout=checkout, cooperative=group.cooperative, seller=group.seller, method=method
        )
    order, _payment = orders.complete_checkout(actor=buyer, checkout=checkout, gateway="cod")
    return order


def _place(
    buyer, address, ir, variants: list[int], method: DeliveryMethod, rng: random.Random
) -> Order | None:
    """An order of one or two of `variants`; other ones when these are sold out."""
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return _try_place(buyer, address, ir, variants, method, rng)
        except DomainError:
            continue
    return None


def _tell(story: str, order: Order, clerk, buyer, serial: int) -> None:
    shipment = order.shipments.get()
    if story == "canceled":
        orders.cancel_order(actor=buyer, order=order)
        return
    if story == "to_pack":
        return
    short = None
    if story == "packed_short":
        line = shipment.lines.order_by("-quantity").first()
        if line.quantity > 1:
            short = {line.pk: line.quantity - 1}
    logistics.pack_shipment(actor=clerk, shipment=shipment, quantities=short)
    if story == "packed_short":
        return
    number = f"{serial:024d}" if story in ("shipped_post", "delivered", "completed") else ""
    logistics.ship_shipment(
        actor=clerk, shipment=shipment, tracking_number=number, carrier="post" if number else ""
    )
    if story in ("shipped_post", "on_route", "at_pickup"):
        return
    due = Parcel.objects.get(shipment=shipment).cash_to_collect
    logistics.deliver_shipment(actor=clerk, shipment=shipment, cash_collected=due)
    if story == "completed":
        logistics.confirm_receipt(actor=buyer, order=order)
        line = order.lines.order_by("pk").first()
        text = REVIEW_TEXTS[serial % len(REVIEW_TEXTS)]
        reviews.create_review(actor=buyer, line_id=line.pk, rating=4 + serial % 2, text=text)


def load_demo_orders() -> int:
    """Orders of the demo buyer in every state; 0 when they exist or nothing is for sale."""
    buyer = User.objects.filter(email__iexact=BUYER_EMAIL).first()
    if buyer is None or demo_orders_loaded():
        return 0
    ir = Channel.objects.get(slug="ir")
    post = DeliveryMethod.objects.get(name="پست پیشتاز", cooperative=None, seller=None)
    rng = random.Random(1405)
    placed = 0
    serial = 7_000_000
    with muted(), transaction.atomic():
        address = _buyer_address(buyer)
        for cooperative in Cooperative.objects.filter(is_active=True).order_by("pk"):
            clerk = cooperative.staff.order_by("pk").first()
            members = list(
                Seller.objects.filter(
                    cooperative=cooperative, status=SellerStatus.APPROVED
                ).values_list("pk", flat=True)
            )
            variants = _stocked_variants(members)
            if clerk is None or not variants:
                continue
            methods = _own_methods(cooperative, post, ir)
            own = {
                "on_route": methods.get(DeliveryKind.COOP_DELIVERY),
                "at_pickup": methods.get(DeliveryKind.PICKUP),
            }
            for story in STORIES:
                method = own.get(story, post)
                if method is None:
                    continue
                order = _place(buyer, address, ir, variants, method, rng)
                if order is None:
                    continue
                serial += 1
                _tell(story, order, clerk, buyer, serial)
                placed += 1
        for seller in Seller.objects.filter(
            cooperative__isnull=True, status=SellerStatus.APPROVED
        ).order_by("pk")[:2]:
            variants = _stocked_variants([seller.pk])
            if not variants:
                continue
            for story in ("to_pack", "shipped_post", "completed"):
                order = _place(buyer, address, ir, variants, post, rng)
                if order is None:
                    continue
                serial += 1
                _tell(story, order, seller.owner, buyer, serial)
                placed += 1
    return placed
