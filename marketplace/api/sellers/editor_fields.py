"""Fields for those who act for a seller or a cooperative (the producers' and the
cooperatives' panel): `Seller.warehouses`, `Seller.sales` and `Cooperative.applicants`.

They read order lines and warehouses, whose types import the seller types, so
`extend_editor_fields()` adds them before the schema is built.
"""

from __future__ import annotations

import graphene

from marketplace.api.core import batch
from marketplace.api.core.connection import countable_connection, paginate
from marketplace.api.inventory.types import Warehouse
from marketplace.api.orders.types import OrderLine, ShipmentStatus
from marketplace.api.sellers.types import Cooperative, Seller
from marketplace.inventory import selectors as inventory_selectors
from marketplace.orders import selectors as order_selectors
from marketplace.orders.models import OrderLine as OrderLineModel
from marketplace.sellers import permissions, selectors
from marketplace.sellers.models import Cooperative as CooperativeModel
from marketplace.sellers.models import Seller as SellerModel


class SellerSale(graphene.ObjectType):
    """One order line of the seller's goods, with where its order and parcel stand."""

    line = graphene.Field(graphene.NonNull(OrderLine))
    order_number = graphene.String(required=True)
    shipment_status = graphene.Field(ShipmentStatus, required=True)
    created = graphene.DateTime(required=True, description="When the order was placed.")

    @staticmethod
    def resolve_line(root: OrderLineModel, info) -> OrderLineModel:
        return root

    @staticmethod
    def resolve_order_number(root: OrderLineModel, info) -> str:
        return str(root.order.number)

    @staticmethod
    def resolve_shipment_status(root: OrderLineModel, info):
        return root.shipment.status

    @staticmethod
    def resolve_created(root: OrderLineModel, info):
        return root.order.created


def resolve_seller_warehouses(root: SellerModel, info):
    if not permissions.can_manage_seller(info.context.user, root):
        return None
    return batch.load(
        info,
        "seller.warehouses",
        root,
        key=lambda s: s.pk,
        fetch=inventory_selectors.warehouses_by_seller,
        default=list,
    )


def resolve_seller_sales(root: SellerModel, info, first=None, after=None):
    return paginate(
        order_selectors.lines_sold_by(info.context.user, root), first=first, after=after
    )


def resolve_cooperative_applicants(root: CooperativeModel, info, first=None, after=None):
    return paginate(selectors.applicants(info.context.user, root), first=first, after=after)


def extend_editor_fields() -> None:
    seller_fields = Seller._meta.fields
    if "warehouses" not in seller_fields:
        seller_fields["warehouses"] = graphene.Field(
            graphene.List(graphene.NonNull(Warehouse)),
            resolver=resolve_seller_warehouses,
            description="The seller's own warehouses (not their cooperative's): for the "
            "owner, their cooperative's staff and platform staff; null for others.",
        )
    if "sales" not in seller_fields:
        seller_fields["sales"] = graphene.Field(
            graphene.NonNull(countable_connection("SellerSale", SellerSale)),
            first=graphene.Int(),
            after=graphene.String(),
            resolver=resolve_seller_sales,
            description="Order lines of the seller's goods, newest first: for the owner, "
            "their cooperative's staff and platform staff; empty for others.",
        )
    cooperative_fields = Cooperative._meta.fields
    if "applicants" not in cooperative_fields:
        cooperative_fields["applicants"] = graphene.Field(
            graphene.NonNull(countable_connection("Seller", Seller)),
            first=graphene.Int(),
            after=graphene.String(),
            resolver=resolve_cooperative_applicants,
            description="Sellers waiting for approval, oldest first: for its staff and "
            "platform staff; empty for others.",
        )
