"""Fulfilment mutations: pack, ship, deliver, pickup check-in, confirm receipt. Only
translation: the rules are in marketplace.logistics.services."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

import graphene

from marketplace.api.core.ids import decode_id
from marketplace.api.core.mutations import BaseMutation, Payload
from marketplace.api.orders.schema import OrderMutation
from marketplace.api.orders.types import Shipment
from marketplace.core.errors import DomainError, ErrorCode
from marketplace.logistics import services
from marketplace.orders import selectors


class ShipmentMutation(Payload):
    shipment = graphene.Field(Shipment)


def _shipment(info, value: str):
    shipment = selectors.shipment_for_user(
        info.context.user, decode_id(value, "Shipment", field="id")
    )
    if shipment is None:
        raise DomainError.of(ErrorCode.NOT_FOUND, "id")
    return shipment


def _amount(value: float | str | None, field: str) -> Decimal | None:
    if value is None:
        return None
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        raise DomainError.of(ErrorCode.INVALID, field) from None
    if not amount.is_finite():
        raise DomainError.of(ErrorCode.INVALID, field)
    return amount


class PackLineInput(graphene.InputObjectType):
    line_id = graphene.ID(required=True, description="An OrderLine of the shipment.")
    quantity = graphene.Int(
        required=True, description="Units packed; fewer than ordered when short."
    )


class ShipInput(graphene.InputObjectType):
    carrier = graphene.String(description="post, courier; default: the delivery method's.")
    tracking_number = graphene.String(
        description="Without one, the parcel is booked with the carrier."
    )


class ShipmentPack(BaseMutation):
    """The fulfiller packs the parcel; `lines` packs fewer units than ordered (the rest
    are released and refunded, or not collected for cash on delivery)."""

    owns_transaction = True

    class Meta:
        output = ShipmentMutation

    class Arguments:
        id = graphene.ID(required=True)
        lines = graphene.List(graphene.NonNull(PackLineInput))

    @classmethod
    def perform(cls, info, id, lines=None):
        shipment = _shipment(info, id)
        quantities = None
        if lines:
            quantities = {}
            for index, line in enumerate(lines):
                pk = decode_id(line.line_id, "OrderLine", field=f"lines.{index}.line_id")
                if pk in quantities:
                    raise DomainError.of(ErrorCode.UNIQUE, f"lines.{index}.line_id")
                quantities[pk] = line.quantity
        shipment = services.pack_shipment(
            actor=info.context.user, shipment=shipment, quantities=quantities
        )
        return ShipmentMutation.ok(shipment=shipment)


class ShipmentShip(BaseMutation):
    """Send a packed parcel: with a tracking number it is recorded; without, the parcel
    is booked with the carrier, whose tracking number and label are kept."""

    owns_transaction = True

    class Meta:
        output = ShipmentMutation

    class Arguments:
        id = graphene.ID(required=True)
        input = ShipInput()

    @classmethod
    def perform(cls, info, id, input=None):
        shipment = _shipment(info, id)
        data = input or {}
        shipment = services.ship_shipment(
            actor=info.context.user,
            shipment=shipment,
            tracking_number=data.get("tracking_number") or "",
            carrier=data.get("carrier") or "",
        )
        return ShipmentMutation.ok(shipment=shipment)


class ShipmentDeliver(BaseMutation):
    """The parcel reached the buyer; for cash on delivery, with the cash collected."""

    owns_transaction = True

    class Meta:
        output = ShipmentMutation

    class Arguments:
        id = graphene.ID(required=True)
        cash_collected = graphene.Float(description="Cash on delivery: the amount collected.")

    @classmethod
    def perform(cls, info, id, cash_collected=None):
        shipment = _shipment(info, id)
        shipment = services.deliver_shipment(
            actor=info.context.user,
            shipment=shipment,
            cash_collected=_amount(cash_collected, "cash_collected"),
        )
        return ShipmentMutation.ok(shipment=shipment)


class ShipmentPickupCheck(BaseMutation):
    """Hand a pickup parcel over against the buyer's 6-digit code (five tries)."""

    owns_transaction = True

    class Meta:
        output = ShipmentMutation

    class Arguments:
        id = graphene.ID(required=True)
        code = graphene.String(required=True)

    @classmethod
    def perform(cls, info, id, code):
        shipment = _shipment(info, id)
        shipment = services.check_pickup(actor=info.context.user, shipment=shipment, code=code)
        return ShipmentMutation.ok(shipment=shipment)


class OrderConfirmReceipt(BaseMutation):
    """The buyer received everything: the order is COMPLETED (escrow is released)."""

    owns_transaction = True

    class Meta:
        output = OrderMutation

    class Arguments:
        id = graphene.ID(required=True)

    @classmethod
    def perform(cls, info, id):
        order = selectors.order_for_user(info.context.user, decode_id(id, "Order", field="id"))
        if order is None:
            raise DomainError.of(ErrorCode.NOT_FOUND, "id")
        order = services.confirm_receipt(actor=info.context.user, order=order)
        return OrderMutation.ok(order=order)


class LogisticsMutations(graphene.ObjectType):
    shipment_pack = ShipmentPack.Field()
    shipment_ship = ShipmentShip.Field()
    shipment_deliver = ShipmentDeliver.Field()
    shipment_pickup_check = ShipmentPickupCheck.Field()
    order_confirm_receipt = OrderConfirmReceipt.Field()
