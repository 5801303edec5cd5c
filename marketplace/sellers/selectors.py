from __future__ import annotations

from django.db.models import Q, QuerySet

from marketplace.core.normalize import normalize_text
from marketplace.sellers import permissions
from marketplace.sellers.models import Cooperative, CooperativeStaff, Seller, SellerStatus


def visible_sellers(user) -> QuerySet[Seller]:
    """Approved sellers for everyone; a user also sees their own seller, cooperative staff
    their members and platform staff all."""
    queryset = Seller.objects.select_related("village__county__province")
    if permissions.has_platform_perm(user, "sellers.view_seller"):
        return queryset
    condition = Q(status=SellerStatus.APPROVED)
    if permissions.is_authenticated(user):
        condition |= Q(owner_id=user.pk) | Q(cooperative__staff_links__user_id=user.pk)
    return queryset.filter(condition).distinct()


def search_sellers(user, query: str | None) -> QuerySet[Seller]:
    queryset = visible_sellers(user)
    text = normalize_text(query or "")
    if text:
        queryset = queryset.filter(
            Q(name__icontains=text)
            | Q(slug__icontains=text)
            | Q(village__search_text__icontains=text)
        )
    return queryset.order_by("name", "id")


def seller_for_user(user, *, pk: int | None = None, slug: str | None = None) -> Seller | None:
    queryset = visible_sellers(user)
    if pk is not None:
        return queryset.filter(pk=pk).first()
    if slug:
        return queryset.filter(slug=slug).first()
    return None


def cooperatives() -> QuerySet[Cooperative]:
    return Cooperative.objects.filter(is_active=True).order_by("name", "id")


def cooperative_by(*, pk: int | None = None, slug: str | None = None) -> Cooperative | None:
    if pk is not None:
        return cooperatives().filter(pk=pk).first()
    if slug:
        return cooperatives().filter(slug=slug).first()
    return None


def members_by_cooperative(user, cooperative_ids: list[int]) -> dict[int, list[Seller]]:
    """Visible members of each cooperative, in one query."""
    result: dict[int, list[Seller]] = {pk: [] for pk in cooperative_ids}
    rows = visible_sellers(user).filter(cooperative_id__in=cooperative_ids).order_by("name", "id")
    for seller in rows:
        result[seller.cooperative_id].append(seller)
    return result


def cooperatives_by_id(ids: list[int]) -> dict[int, Cooperative]:
    return {c.pk: c for c in Cooperative.objects.filter(pk__in=ids)}


def staff_cooperatives_by_user(user_ids: list[int]) -> dict[int, list[Cooperative]]:
    result: dict[int, list[Cooperative]] = {pk: [] for pk in user_ids}
    links = (
        CooperativeStaff.objects.filter(user_id__in=user_ids)
        .select_related("cooperative")
        .order_by("cooperative__name", "cooperative_id")
    )
    for link in links:
        result[link.user_id].append(link.cooperative)
    return result


def sellers_by_owner(user_ids: list[int]) -> dict[int, Seller]:
    return {s.owner_id: s for s in Seller.objects.filter(owner_id__in=user_ids)}


def seller_owned_by(user) -> Seller | None:
    """The seller `user` owns, if any (a user owns at most one)."""
    return Seller.objects.filter(owner_id=user.pk).first()


def applicants(user, cooperative: Cooperative) -> QuerySet[Seller]:
    """Sellers waiting for `cooperative`'s approval, oldest first: for its staff and
    platform staff; nobody else sees them."""
    if not permissions.can_manage_cooperative(user, cooperative):
        return Seller.objects.none()
    return (
        Seller.objects.select_related("village__county__province")
        .filter(cooperative_id=cooperative.pk, status=SellerStatus.PENDING)
        .order_by("created", "id")
    )
