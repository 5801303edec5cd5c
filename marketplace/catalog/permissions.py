from __future__ import annotations

from marketplace.catalog.models import Product
from marketplace.core.errors import DomainError, ErrorCode
from marketplace.inventory.models import Warehouse
from marketplace.sellers import permissions as seller_permissions
from marketplace.sellers.models import Seller, SellerStatus


def can_edit_products_of(user, seller: Seller) -> bool:
    """The seller's owner, their cooperative's staff and platform staff."""
    return seller_permissions.can_manage_seller(user, seller)


def require_editor(
    user, seller: Seller, field: str | None = None, *, product: Product | None = None
) -> None:
    """Nothing when `user` edits the seller's products. Otherwise PERMISSION_DENIED on
    what `user` can see (an approved seller, a published product), NOT_FOUND on what is
    hidden from them, so a refusal never confirms that a draft or an applicant exists."""
    if can_edit_products_of(user, seller):
        return
    visible = seller.status == SellerStatus.APPROVED and (
        product is None or (product.is_published and not product.is_hidden)
    )
    if not visible and seller_permissions.is_authenticated(user):
        visible = user.is_superuser or seller_permissions.has_platform_perm(
            user, "catalog.view_product"
        )
    code = ErrorCode.PERMISSION_DENIED if visible else ErrorCode.NOT_FOUND
    raise DomainError.of(code, field or "id")


def warehouse_holds_goods_of(warehouse: Warehouse, seller: Seller) -> bool:
    """A cooperative's warehouses hold its members' goods; a seller's own hold only theirs."""
    if warehouse.seller_id is not None:
        return warehouse.seller_id == seller.pk
    return (
        warehouse.cooperative_id is not None and warehouse.cooperative_id == seller.cooperative_id
    )
