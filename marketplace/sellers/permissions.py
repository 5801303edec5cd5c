"""Who may act on cooperatives and sellers. Services call these; the API relies on them."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from marketplace.core.errors import DomainError, ErrorCode, permission_denied
from marketplace.sellers.models import Cooperative, CooperativeStaff, Seller, SellerStatus


def is_authenticated(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def has_platform_perm(user, perm: str) -> bool:
    """Platform staff holding a Django permission (superusers hold all)."""
    return is_authenticated(user) and user.is_staff and user.has_perm(perm)


def platform_staff_with(*perms: str):
    """The active users for whom has_platform_perm(user, perm) holds for every one of
    `perms`: staff who hold each themselves or through a group, and staff superusers."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Permission

    users = get_user_model().objects.filter(is_active=True, is_staff=True)
    for perm in perms:
        app_label, codename = perm.split(".", 1)
        granted = Permission.objects.filter(content_type__app_label=app_label, codename=codename)
        # One filter() per permission: each may come from the user or any of their groups.
        users = users.filter(
            Q(is_superuser=True)
            | Q(user_permissions__in=granted)
            | Q(groups__permissions__in=granted)
        )
    return users.distinct()


def has_platform_perms(user, perms: tuple[str, ...]) -> bool:
    return all(has_platform_perm(user, perm) for perm in perms)


def is_cooperative_staff(user, cooperative_id: int | None) -> bool:
    if cooperative_id is None or not is_authenticated(user):
        return False
    cache = getattr(user, "_staff_cooperative_ids", None)
    if cache is None:
        cache = set(
            CooperativeStaff.objects.filter(user=user).values_list("cooperative_id", flat=True)
        )
        user._staff_cooperative_ids = cache
    return cooperative_id in cache


def can_manage_cooperative(user, cooperative: Cooperative) -> bool:
    return is_cooperative_staff(user, cooperative.pk) or has_platform_perm(
        user, "sellers.change_cooperative"
    )


def can_manage_seller(user, seller: Seller) -> bool:
    """The owner, their cooperative's staff and platform staff may act for a seller."""
    if not is_authenticated(user):
        return False
    return (
        seller.owner_id == user.pk
        or is_cooperative_staff(user, seller.cooperative_id)
        or has_platform_perm(user, "sellers.change_seller")
    )


def can_approve_seller(user, seller: Seller) -> bool:
    return is_cooperative_staff(user, seller.cooperative_id) or has_platform_perm(
        user, "sellers.change_seller"
    )


def can_see_private_seller_data(user, seller: Seller) -> bool:
    return can_manage_seller(user, seller)


def require_approved(seller: Seller, field: str | None = None) -> None:
    """Only an approved seller stocks, lists or sells: an applicant (or a suspended or
    rejected seller) would otherwise fill a cooperative's warehouse or the catalogue
    before anyone vouched for them. Checked after `can_manage_seller`, so it tells a
    seller's status only to those acting for the seller."""
    if seller.status != SellerStatus.APPROVED:
        raise DomainError.of(
            ErrorCode.INVALID_STATUS,
            field,
            _("Only an approved seller can stock, list or sell products."),
        )


def require(allowed: bool, field: str | None = None) -> None:
    if not allowed:
        raise permission_denied(field)
