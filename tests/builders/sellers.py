"""Sellers, each with an owner of their own."""

from __future__ import annotations

from marketplace.sellers.models import Cooperative, Seller, SellerStatus
from tests.builders.accounts import make_user


def make_seller(
    email: str, name: str, cooperative: Cooperative | None, status=SellerStatus.APPROVED
) -> Seller:
    owner = make_user(email)
    return Seller.objects.create(
        owner=owner,
        name=name,
        slug=email.split("@")[0],
        phone="+989151000001",
        cooperative=cooperative,
        status=status,
    )
