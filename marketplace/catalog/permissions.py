from __future__ import annotations

from marketplace.inventory.models import Warehouse
from marketplace.sellers import permissions as seller_permissions
from marketplace.sellers.models import Seller


def can_edit_products_of(user, seller: Seller) -> bool:
    """The seller's owner, their cooperative's staff and platform staff."""
    return seller_permissions.can_manage_seller(user, seller)


def warehouse_holds_goods_of(warehouse: Warehouse, seller: Seller) -> bool:
    """A cooperative's warehouses hold its members' goods; a seller's own hold only theirs."""
    if warehouse.seller_id is not None:
        return warehouse.seller_id == seller.pk
    return (
        warehouse.cooperative_id is not None and warehouse.cooperative_id == seller.cooperative_id
    )
