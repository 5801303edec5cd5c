from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from marketplace.accounts.models import User
from marketplace.core.errors import DomainError, ErrorCode, ErrorCollector
from marketplace.core.validators import clean_text
from marketplace.core.versioning import bump_catalog_version
from marketplace.inventory.models import Warehouse
from marketplace.locations.models import Village
from marketplace.sellers import permissions
from marketplace.sellers.models import Cooperative, Seller


@transaction.atomic
def create_warehouse(
    *,
    actor: User,
    name: str | None,
    cooperative: Cooperative | None = None,
    seller: Seller | None = None,
    village: Village | None = None,
    address: str | None = None,
) -> Warehouse:
    """A cooperative's staff add its warehouses; a seller (or those acting for them) theirs."""
    if cooperative is not None and seller is not None:
        raise DomainError.of(
            ErrorCode.INVALID, "seller", _("Name either a cooperative or a seller, not both.")
        )
    if cooperative is None and seller is None:
        seller = getattr(actor, "seller", None) if permissions.is_authenticated(actor) else None
        if seller is None:
            raise DomainError.of(ErrorCode.REQUIRED, "cooperative")
    if cooperative is not None:
        permissions.require(permissions.can_manage_cooperative(actor, cooperative), "cooperative")
    else:
        permissions.require(permissions.can_manage_seller(actor, seller), "seller")
        permissions.require_approved(seller, "seller")
    errors = ErrorCollector()
    try:
        name = clean_text(name, field="name", max_length=200, required=True)
    except DomainError as exc:
        errors.extend(exc)
    try:
        address = clean_text(address, field="address", max_length=500, multiline=True)
    except DomainError as exc:
        errors.extend(exc)
    errors.raise_if_any()
    warehouse = Warehouse.objects.create(
        name=name, cooperative=cooperative, seller=seller, village=village, address=address
    )
    bump_catalog_version()
    return warehouse
