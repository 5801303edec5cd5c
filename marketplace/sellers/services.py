from __future__ import annotations

from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from marketplace.accounts.models import User
from marketplace.core.errors import DomainError, ErrorCode, ErrorCollector
from marketplace.core.validators import (
    clean_email,
    clean_iban,
    clean_mobile,
    clean_rate,
    clean_slug,
    clean_text,
    unique_slug,
)
from marketplace.core.versioning import bump_catalog_version
from marketplace.locations.models import County, Village
from marketplace.notifications import announce as notifications
from marketplace.sellers import permissions
from marketplace.sellers.models import Cooperative, CooperativeStaff, Seller, SellerStatus

DEFAULT_FEE_RATE = Decimal("0.05")


@transaction.atomic
def create_cooperative(
    *,
    actor: User,
    name: str | None,
    slug: str | None = None,
    description: str | None = None,
    fee_rate: float | Decimal | None = None,
    county: County | None = None,
    phone: str | None = None,
) -> Cooperative:
    permissions.require(permissions.has_platform_perm(actor, "sellers.add_cooperative"))
    errors = ErrorCollector()
    name = errors.collect(clean_text, name, field="name", max_length=200, required=True)
    description = errors.collect(
        clean_text, description, field="description", max_length=5000, multiline=True
    )
    rate = errors.collect(clean_rate, fee_rate, field="fee_rate", default=DEFAULT_FEE_RATE)
    slug_value = errors.collect(clean_slug, slug, field="slug", fallback=name or "")
    phone = errors.collect(clean_mobile, phone, field="phone", required=False)
    if slug and slug_value and Cooperative.objects.filter(slug=slug_value).exists():
        errors.add(ErrorCode.UNIQUE, "slug")
    errors.raise_if_any()
    cooperative = Cooperative.objects.create(
        name=name,
        slug=slug_value if slug else unique_slug(Cooperative, slug_value, fallback="cooperative"),
        description=description or "",
        fee_rate=rate,
        county=county,
        phone=phone or "",
    )
    bump_catalog_version()
    return cooperative


@transaction.atomic
def add_cooperative_staff(
    *, actor: User, cooperative: Cooperative, email: str | None
) -> Cooperative:
    permissions.require(permissions.has_platform_perm(actor, "sellers.add_cooperativestaff"))
    email = clean_email(email)
    user = User.objects.filter(email__iexact=email, is_active=True).first()
    if user is None:
        raise DomainError.of(ErrorCode.NOT_FOUND, "email", _("No account has this email address."))
    CooperativeStaff.objects.get_or_create(cooperative=cooperative, user=user)
    return cooperative


@transaction.atomic
def create_seller(
    *,
    actor: User,
    name: str | None,
    phone: str | None,
    description: str | None = None,
    village: Village | None = None,
    cooperative: Cooperative | None = None,
    payout_iban: str | None = None,
    payout_holder: str | None = None,
) -> Seller:
    """A signed-in user applies to sell; the seller starts PENDING until approved."""
    permissions.require(permissions.is_authenticated(actor))
    # Lock the user row so two concurrent applications cannot both pass the check.
    User.objects.select_for_update().get(pk=actor.pk)
    if Seller.objects.filter(owner_id=actor.pk).exists():
        raise DomainError.of(ErrorCode.UNIQUE, None, _("You already have a seller profile."))
    errors = ErrorCollector()
    name = errors.collect(clean_text, name, field="name", max_length=200, required=True)
    description = errors.collect(
        clean_text, description, field="description", max_length=5000, multiline=True
    )
    phone = errors.collect(clean_mobile, phone, field="phone")
    iban = errors.collect(clean_iban, payout_iban, field="payout_iban")
    holder = errors.collect(clean_text, payout_holder, field="payout_holder", max_length=200)
    if cooperative is not None and not cooperative.is_active:
        errors.add(ErrorCode.NOT_FOUND, "cooperative")
    errors.raise_if_any()
    try:
        seller = Seller.objects.create(
            owner=actor,
            name=name,
            slug=unique_slug(Seller, clean_slug(None, fallback=name), fallback="seller"),
            description=description or "",
            phone=phone,
            village=village,
            cooperative=cooperative,
            payout_iban=iban or "",
            payout_holder=holder or "",
        )
    except IntegrityError:
        raise DomainError.of(
            ErrorCode.UNIQUE, None, _("You already have a seller profile.")
        ) from None
    notifications.seller_applied(seller=seller)
    return seller


@transaction.atomic
def update_seller(
    *,
    actor: User,
    seller: Seller,
    name: str | None = None,
    description: str | None = None,
    phone: str | None = None,
    village: Village | None = None,
    payout_iban: str | None = None,
    payout_holder: str | None = None,
) -> Seller:
    permissions.require(permissions.can_manage_seller(actor, seller))
    seller = Seller.objects.select_for_update().get(pk=seller.pk)
    errors = ErrorCollector()
    if name is not None:
        seller.name = errors.collect(clean_text, name, field="name", max_length=200, required=True)
    if description is not None:
        seller.description = errors.collect(
            clean_text, description, field="description", max_length=5000, multiline=True
        )
    if phone is not None:
        seller.phone = errors.collect(clean_mobile, phone, field="phone")
    if village is not None:
        seller.village = village
    if payout_iban is not None:
        # Only the owner may redirect where the money goes.
        if seller.owner_id != actor.pk:
            errors.add(ErrorCode.PERMISSION_DENIED, "payout_iban")
        else:
            seller.payout_iban = errors.collect(clean_iban, payout_iban, field="payout_iban")
    if payout_holder is not None:
        seller.payout_holder = errors.collect(
            clean_text, payout_holder, field="payout_holder", max_length=200
        )
    errors.raise_if_any()
    # A new name reaches the search index on commit (catalog.search.sync).
    seller.save()
    bump_catalog_version()
    return seller


@transaction.atomic
def approve_seller(*, actor: User, seller: Seller) -> Seller:
    """The seller's cooperative staff (or platform staff) approve a pending seller."""
    permissions.require(permissions.can_approve_seller(actor, seller))
    seller = Seller.objects.select_for_update().get(pk=seller.pk)
    if seller.status == SellerStatus.APPROVED:
        return seller
    if seller.status != SellerStatus.PENDING:
        raise DomainError.of(ErrorCode.INVALID_STATUS, "id")
    seller.status = SellerStatus.APPROVED
    seller.approved_at = timezone.now()
    seller.approved_by = actor
    seller.save(update_fields=["status", "approved_at", "approved_by"])
    bump_catalog_version()
    notifications.seller_approved(seller=seller)
    return seller


MAX_REASON_LENGTH = 2000


@transaction.atomic
def reject_seller(*, actor: User, seller: Seller, reason: str | None) -> Seller:
    """The seller's cooperative staff (or platform staff) turn a pending applicant down,
    saying why; the applicant is told by email."""
    permissions.require(permissions.can_approve_seller(actor, seller))
    reason = clean_text(
        reason, field="reason", max_length=MAX_REASON_LENGTH, required=True, multiline=True
    )
    seller = Seller.objects.select_for_update().get(pk=seller.pk)
    if seller.status != SellerStatus.PENDING:
        raise DomainError.of(ErrorCode.INVALID_STATUS, "id")
    seller.status = SellerStatus.REJECTED
    seller.rejection_reason = reason
    seller.save(update_fields=["status", "rejection_reason"])
    notifications.seller_rejected(seller=seller)
    return seller
