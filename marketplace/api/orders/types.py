"""Orders and shipments in the API.

Every relation is batch-loaded (`marketplace.api.core.batch`): an order with 20 lines in
5 shipments costs the same queries as one with 5 lines in 2, and a page of orders the
same as one order. An order read by a fulfiller's staff carries its scope (see
`marketplace.orders.selectors`): its shipments and lines keep only that fulfiller's
part, its amounts are those of that part, and its payments, history, voucher and
buyer's email are not shown.
"""

from __future__ import annotations

from decimal import Decimal

import graphene
from graphene import relay

from marketplace.api.accounts.addresses import Address
from marketplace.api.channels.types import Channel
from marketplace.api.checkout.types import Fulfiller
from marketplace.api.core import batch
from marketplace.api.core.money import Money, TaxedMoney, money, taxed_money
from marketplace.api.core.types import ModelObjectType
from marketplace.api.payments.types import Payment, PaymentStatus
from marketplace.api.reviews.types import LineReviewFields
from marketplace.api.sellers.types import Seller
from marketplace.api.shipping.types import DeliveryMethod
from marketplace.orders import events, permissions, selectors
from marketplace.orders.models import Order as OrderModel
from marketplace.orders.models import OrderEvent as OrderEventModel
from marketplace.orders.models import OrderLine as OrderLineModel
from marketplace.orders.models import OrderStatus as OrderStatusChoices
from marketplace.orders.models import Shipment as ShipmentModel
from marketplace.orders.models import ShipmentStatus as ShipmentStatusChoices
from marketplace.sellers import selectors as seller_selectors
from marketplace.shipping.selectors import with_price

OrderStatus = graphene.Enum.from_enum(
    OrderStatusChoices, name="OrderStatus", description="Where an order stands."
)
ShipmentStatus = graphene.Enum.from_enum(
    ShipmentStatusChoices, name="ShipmentStatus", description="Where a shipment stands."
)


# ---------------------------------------------------------------- loaders


def _seller(info, root: OrderLineModel | ShipmentModel):
    # Lines and shipments both name a seller by `seller_id`; one loader serves both.
    return batch.load(
        info, "orders.seller", root, key=lambda o: o.seller_id, fetch=selectors.sellers_by_id
    )


def _all_shipments_of(info, order: OrderModel) -> list[ShipmentModel]:
    """Every shipment of the order, whoever asks (batched over the page's orders)."""
    return batch.load(
        info,
        "order.shipments",
        order,
        key=lambda o: o.pk,
        fetch=selectors.shipments_by_order,
        default=list,
    )


def _shipments_of(info, order: OrderModel) -> list[ShipmentModel]:
    shipments = _all_shipments_of(info, order)
    for shipment in shipments:
        # The shipment's order is this one, with its scope: no query to reach it.
        if not ShipmentModel.order.is_cached(shipment):
            shipment.order = order
    scope = selectors.scope_of(order)
    if scope is None:
        return shipments
    return [s for s in shipments if scope.covers(s.cooperative_id, s.seller_id)]


def _lines_of(info, order: OrderModel) -> list[OrderLineModel]:
    lines = batch.load(
        info,
        "order.lines",
        order,
        key=lambda o: o.pk,
        fetch=selectors.lines_by_order,
        default=list,
    )
    if selectors.scope_of(order) is None:
        return lines
    visible = {s.pk for s in _shipments_of(info, order)}
    return [line for line in lines if line.shipment_id in visible]


def _is_whole(order: OrderModel) -> bool:
    return selectors.scope_of(order) is None


def _amounts(info, order: OrderModel) -> tuple[Decimal, Decimal, Decimal, Decimal]:
    """Subtotal, shipping, discount and total as the caller may see them: the whole
    order's, or for a fulfiller's staff those of their own lines and parcels only."""
    if _is_whole(order):
        return order.subtotal, order.shipping_price, order.discount, order.total
    subtotal = sum((line.total_price for line in _lines_of(info, order)), Decimal(0))
    shipping = sum((s.shipping_price for s in _shipments_of(info, order)), Decimal(0))
    return subtotal, shipping, Decimal(0), subtotal + shipping


# ---------------------------------------------------------------- types


class OrderLine(ModelObjectType):
    """What was bought, as it was then: names, SKU, seller and price are copies."""

    product_name = graphene.String(required=True)
    variant_name = graphene.String(required=True)
    sku = graphene.String()
    quantity = graphene.Int(required=True)
    unit_price = graphene.Field(graphene.NonNull(TaxedMoney))
    total_price = graphene.Field(graphene.NonNull(TaxedMoney))
    seller = graphene.Field(graphene.NonNull(Seller))
    review = graphene.Field(
        "marketplace.api.reviews.types.Review",
        resolver=LineReviewFields.resolve_review,
        description="The buyer's review of this line (for the buyer).",
    )
    can_review = graphene.Boolean(
        required=True,
        resolver=LineReviewFields.resolve_can_review,
        description="The caller bought this line, received it and has not reviewed it.",
    )

    class Meta:
        model = OrderLineModel
        interfaces = (relay.Node,)

    @staticmethod
    def resolve_sku(root: OrderLineModel, info) -> str | None:
        return root.sku or None

    @staticmethod
    def resolve_unit_price(root: OrderLineModel, info):
        return taxed_money(root.unit_price, root.currency)

    @staticmethod
    def resolve_total_price(root: OrderLineModel, info):
        return taxed_money(root.total_price, root.currency)

    @staticmethod
    def resolve_seller(root: OrderLineModel, info):
        return _seller(info, root)

    @classmethod
    def get_node(cls, info, id):
        line = OrderLineModel.objects.filter(pk=id).first()
        if line is None:
            return None
        order = selectors.order_for_user(info.context.user, line.order_id)
        if order is None or line not in _lines_of(info, order):
            return None
        return line


class OrderEvent(graphene.ObjectType):
    """One step of the order's history."""

    type = graphene.String(required=True)
    message = graphene.String(required=True)
    created = graphene.DateTime(required=True)

    @staticmethod
    def resolve_message(root: OrderEventModel, info) -> str:
        return events.describe(root)


class Shipment(ModelObjectType):
    """The part of an order one fulfiller packs and ships."""

    order = graphene.Field(graphene.NonNull(lambda: Order))
    status = graphene.Field(ShipmentStatus, required=True)
    fulfiller = graphene.Field(graphene.NonNull(Fulfiller))
    lines = graphene.List(graphene.NonNull(OrderLine), required=True)
    delivery_method = graphene.Field(
        graphene.NonNull(DeliveryMethod), description="Its price is what the buyer paid."
    )
    shipping_price = graphene.Field(graphene.NonNull(Money))
    carrier = graphene.String()
    tracking_number = graphene.String()
    created = graphene.DateTime(required=True)
    # Fulfilment's fields: types and resolvers in marketplace.api.logistics.types.
    events = graphene.List(
        graphene.NonNull("marketplace.api.logistics.types.ShipmentEvent"),
        required=True,
        description="Newest last: packed, shipped, carrier scans, delivered.",
    )
    tracking_url = graphene.String(description="The carrier's page.")
    packing_slip_url = graphene.String(
        description="A signed link to the PDF; the fulfiller and platform staff only."
    )
    label_url = graphene.String(
        description="A signed link to the carrier label PDF; the fulfiller only."
    )
    pickup_code = graphene.String(
        description="The buyer's 6-digit code at the pickup point (the buyer only)."
    )
    cash_to_collect = graphene.Field(
        Money,
        description="Cash on delivery: what the courier collects (before packing, expected).",
    )
    cash_collected = graphene.Field(Money)
    short_amount = graphene.Field(
        Money, description="What the buyer paid for units that were not packed."
    )

    class Meta:
        model = ShipmentModel
        interfaces = (relay.Node,)

    @staticmethod
    def resolve_order(root: ShipmentModel, info):
        if ShipmentModel.order.is_cached(root):
            return root.order
        user = info.context.user
        return batch.load(
            info,
            "shipment.order",
            root,
            key=lambda s: s.order_id,
            fetch=lambda ids: selectors.orders_seen_by(user, ids),
        )

    @staticmethod
    def resolve_status(root: ShipmentModel, info):
        return root.status

    @staticmethod
    def resolve_events(root: ShipmentModel, info):
        from marketplace.api.logistics import types as logistics_types

        return logistics_types.resolve_events(root, info)

    @staticmethod
    def resolve_tracking_url(root: ShipmentModel, info):
        from marketplace.api.logistics import types as logistics_types

        return logistics_types.resolve_tracking_url(root, info)

    @staticmethod
    def resolve_packing_slip_url(root: ShipmentModel, info):
        from marketplace.api.logistics import types as logistics_types

        return logistics_types.resolve_packing_slip_url(root, info)

    @staticmethod
    def resolve_label_url(root: ShipmentModel, info):
        from marketplace.api.logistics import types as logistics_types

        return logistics_types.resolve_label_url(root, info)

    @staticmethod
    def resolve_pickup_code(root: ShipmentModel, info):
        from marketplace.api.logistics import types as logistics_types

        return logistics_types.resolve_pickup_code(root, info)

    @staticmethod
    def resolve_cash_to_collect(root: ShipmentModel, info):
        from marketplace.api.logistics import types as logistics_types

        return logistics_types.resolve_cash_to_collect(root, info)

    @staticmethod
    def resolve_cash_collected(root: ShipmentModel, info):
        from marketplace.api.logistics import types as logistics_types

        return logistics_types.resolve_cash_collected(root, info)

    @staticmethod
    def resolve_short_amount(root: ShipmentModel, info):
        from marketplace.api.logistics import types as logistics_types

        return logistics_types.resolve_short_amount(root, info)

    @staticmethod
    def resolve_fulfiller(root: ShipmentModel, info):
        if root.cooperative_id is not None:
            return batch.load(
                info,
                "shipment.cooperative",
                root,
                key=lambda s: s.cooperative_id,
                fetch=seller_selectors.cooperatives_by_id,
            )
        return _seller(info, root)

    @staticmethod
    def resolve_lines(root: ShipmentModel, info):
        return batch.load(
            info,
            "shipment.lines",
            root,
            key=lambda s: s.pk,
            fetch=selectors.lines_by_shipment,
            default=list,
        )

    @staticmethod
    def resolve_delivery_method(root: ShipmentModel, info):
        method = batch.load(
            info,
            "shipment.deliveryMethod",
            root,
            key=lambda s: s.delivery_method_id,
            fetch=selectors.delivery_methods_by_id,
        )
        # The method as it was charged for this parcel, whatever its rates say today.
        return with_price(method, root.shipping_price, _currency(info, root))

    @staticmethod
    def resolve_shipping_price(root: ShipmentModel, info):
        return money(root.shipping_price, _currency(info, root))

    @staticmethod
    def resolve_carrier(root: ShipmentModel, info) -> str | None:
        return root.carrier or None

    @staticmethod
    def resolve_tracking_number(root: ShipmentModel, info) -> str | None:
        return root.tracking_number or None

    @classmethod
    def get_node(cls, info, id):
        return selectors.shipment_for_user(info.context.user, int(id))


def _currency(info, shipment: ShipmentModel) -> str:
    return Shipment.resolve_order(shipment, info).currency


class Order(ModelObjectType):
    number = graphene.String(required=True)
    status = graphene.Field(OrderStatus, required=True)
    payment_status = graphene.Field(PaymentStatus, required=True)
    email = graphene.String(description="Null for fulfillers' staff.")
    channel = graphene.Field(graphene.NonNull(Channel))
    lines = graphene.List(graphene.NonNull(OrderLine), required=True)
    shipments = graphene.List(graphene.NonNull(Shipment), required=True)
    payments = graphene.List(
        graphene.NonNull(Payment), required=True, description="Empty for fulfillers' staff."
    )
    shipping_address = graphene.Field(graphene.NonNull(Address))
    subtotal = graphene.Field(
        graphene.NonNull(TaxedMoney),
        description="For fulfillers' staff: of their lines only.",
    )
    shipping_price = graphene.Field(
        graphene.NonNull(TaxedMoney),
        description="For fulfillers' staff: of their parcels only.",
    )
    discount = graphene.Field(
        graphene.NonNull(Money),
        description="Zero for fulfillers' staff: the voucher is not theirs.",
    )
    total = graphene.Field(
        graphene.NonNull(TaxedMoney),
        description="For fulfillers' staff: their lines and parcels, before any voucher.",
    )
    voucher_code = graphene.String(description="Null for fulfillers' staff.")
    created = graphene.DateTime(required=True)
    expires_at = graphene.DateTime(
        description="An unpaid order is canceled at this time and its items released."
    )
    can_cancel = graphene.Boolean(
        required=True, description="Whether the caller may cancel the order now."
    )
    events = graphene.List(
        graphene.NonNull(OrderEvent),
        required=True,
        description="The history, oldest first; empty for fulfillers' staff.",
    )
    returns = graphene.List(
        graphene.NonNull("marketplace.api.returns.types.ReturnRequest"),
        required=True,
        description="Returns asked for, oldest first; fulfillers' staff see their part.",
    )

    class Meta:
        model = OrderModel
        interfaces = (relay.Node,)

    @staticmethod
    def resolve_number(root: OrderModel, info) -> str:
        return str(root.number)

    @staticmethod
    def resolve_status(root: OrderModel, info):
        return root.status

    @staticmethod
    def resolve_payment_status(root: OrderModel, info):
        return root.payment_status

    @staticmethod
    def resolve_email(root: OrderModel, info) -> str | None:
        return (root.email or None) if _is_whole(root) else None

    @staticmethod
    def resolve_channel(root: OrderModel, info):
        if OrderModel.channel.is_cached(root):
            return root.channel
        return batch.load(
            info, "order.channel", root, key=lambda o: o.channel_id, fetch=selectors.channels_by_id
        )

    @staticmethod
    def resolve_lines(root: OrderModel, info):
        return _lines_of(info, root)

    @staticmethod
    def resolve_shipments(root: OrderModel, info):
        return _shipments_of(info, root)

    @staticmethod
    def resolve_payments(root: OrderModel, info):
        if not _is_whole(root):
            return []
        return batch.load(
            info,
            "order.payments",
            root,
            key=lambda o: o.pk,
            fetch=selectors.payments_by_order,
            default=list,
        )

    @staticmethod
    def resolve_shipping_address(root: OrderModel, info):
        if OrderModel.shipping_address.is_cached(root):
            return root.shipping_address
        return batch.load(
            info,
            "order.shippingAddress",
            root,
            key=lambda o: o.shipping_address_id,
            fetch=selectors.addresses_by_id,
        )

    @staticmethod
    def resolve_subtotal(root: OrderModel, info):
        return taxed_money(_amounts(info, root)[0], root.currency)

    @staticmethod
    def resolve_shipping_price(root: OrderModel, info):
        return taxed_money(_amounts(info, root)[1], root.currency)

    @staticmethod
    def resolve_discount(root: OrderModel, info):
        return money(_amounts(info, root)[2], root.currency)

    @staticmethod
    def resolve_total(root: OrderModel, info):
        return taxed_money(_amounts(info, root)[3], root.currency)

    @staticmethod
    def resolve_voucher_code(root: OrderModel, info) -> str | None:
        return (root.voucher_code or None) if _is_whole(root) else None

    @staticmethod
    def resolve_can_cancel(root: OrderModel, info) -> bool:
        allowed, _as_staff = permissions.can_cancel(info.context.user, root)
        if not allowed:
            return False
        # Cancelability depends on every shipment, also those outside the caller's scope.
        shipments = _all_shipments_of(info, root)
        return permissions.is_cancelable(root, {s.status for s in shipments})

    @staticmethod
    def resolve_events(root: OrderModel, info):
        if not _is_whole(root):
            return []
        return batch.load(
            info,
            "order.events",
            root,
            key=lambda o: o.pk,
            fetch=selectors.events_by_order,
            default=list,
        )

    @staticmethod
    def resolve_returns(root: OrderModel, info):
        from marketplace.returns import selectors as returns

        rows = batch.load(
            info,
            "order.returns",
            root,
            key=lambda o: o.pk,
            fetch=returns.returns_by_order,
            default=list,
        )
        return returns.seen_part(root, rows)

    @classmethod
    def get_node(cls, info, id):
        return selectors.order_for_user(info.context.user, int(id))
