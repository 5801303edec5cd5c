"""Fields for those who act for a seller or a cooperative (the producers' and the
cooperatives' panel): the resolvers of `Seller.warehouses`, `Seller.sales` and
`Cooperative.applicants`, and the SellerSale type.

The seller types declare the fields. The order types import the seller types, so
SellerSale names them by import string.
"""

from __future__ import annotations

import graphene

from marketplace.api.core import batch
from marketplace.api.core.connection import paginate
from marketplace.inventory import selectors as inventory_selectors
from marketplace.orders import selectors as order_selectors
from marketplace.orders.models import OrderLine as OrderLineModel
from marketplace.sellers import permissions, selectors
from marketplace.sellers.models import Cooperative as CooperativeModel
from marketplace.sellers.models import Seller as SellerModel


class SellerSale(graphene.ObjectType):
    """One order line of the seller's goods, with where its order and parcel stand."""

    line = graphene.Field(graphene.NonNull("marketplace.api.orders.types.OrderLine"))
    order_number = graphene.String(required=True)
    shipment_status = graphene.Field("marketplace.api.orders.types.ShipmentStatus", required=True)
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
