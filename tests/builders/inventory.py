"""Warehouses and stock."""

from __future__ import annotations

from marketplace.catalog.models import ProductVariant
from marketplace.inventory.models import Stock, Warehouse
from marketplace.sellers.models import Seller


def warehouse_for(seller: Seller) -> Warehouse:
    """The warehouse of the seller's fulfiller: its cooperative's, or its own when it has
    none (made when missing)."""
    if seller.cooperative_id:
        found = Warehouse.objects.filter(cooperative_id=seller.cooperative_id).first()
        return found or Warehouse.objects.create(
            name=f"انبار {seller.cooperative_id}", cooperative_id=seller.cooperative_id
        )
    found = Warehouse.objects.filter(seller=seller).first()
    return found or Warehouse.objects.create(name=f"انبار {seller.name}", seller=seller)


def warehouse_of(seller: Seller) -> Warehouse:
    """The seller's own warehouse, cooperative member or not (made when missing)."""
    warehouse = Warehouse.objects.filter(seller=seller).first()
    return warehouse or Warehouse.objects.create(name=f"انبار {seller.name}", seller=seller)


def stock_of(variant: ProductVariant) -> Stock:
    return Stock.objects.get(variant=variant)
