"""Villages producers name that the gazetteer lacks: proposed, then confirmed or merged
into the village they turn out to be."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from marketplace.accounts.models import User
from marketplace.core.errors import DomainError, ErrorCode, permission_denied
from marketplace.core.normalize import normalize_text
from marketplace.core.validators import clean_text
from marketplace.locations import selectors
from marketplace.locations.importer import clean_name
from marketplace.locations.models import County, Village

MAX_NAME_LENGTH = Village._meta.get_field("name").max_length


def county_for_proposal(name: str | None) -> County:
    county = selectors.county_named(name)
    if county is None:
        raise DomainError.of(ErrorCode.INVALID, "county", _("Name one county of Iran."))
    return county


@transaction.atomic
def propose_village(*, actor: User, county: County, name: str | None) -> Village:
    """The village `name` in `county`: the known one when the name matches (whatever the
    keyboard), else a new proposed one."""
    if not actor.is_authenticated:
        raise permission_denied()
    # Stored with Persian ی and ک, as the gazetteer's names are, whatever the keyboard.
    name = clean_name(clean_text(name, field="name", max_length=MAX_NAME_LENGTH, required=True))
    key = normalize_text(name).replace(" ", "")
    if not key:
        raise DomainError.of(ErrorCode.INVALID, "name", _("Enter the village's name."))
    for village in Village.objects.select_for_update().filter(county=county):
        if normalize_text(village.name).replace(" ", "") == key:
            return village
    village = Village(county=county, name=name, is_confirmed=False, proposed_by=actor)
    village.save()
    return village


def _may_review(actor: User) -> bool:
    return actor.is_authenticated and (actor.is_staff or actor.cooperative_links.exists())


@transaction.atomic
def confirm_villages(*, actor: User, villages: list[Village]) -> int:
    if not _may_review(actor):
        raise permission_denied()
    ids = [village.pk for village in villages]
    return Village.objects.filter(pk__in=ids, is_confirmed=False).update(is_confirmed=True)


@transaction.atomic
def merge_village(*, actor: User, village: Village, into: Village) -> Village:
    """Everything that names the proposed `village` names `into` instead; `village` goes."""
    if not _may_review(actor):
        raise permission_denied()
    if village.is_confirmed or village.pk == into.pk:
        raise DomainError.of(
            ErrorCode.INVALID_STATUS, "village", _("Only a proposed village can be merged.")
        )
    # Sellers, products and whatever else points at a village, without this app
    # importing theirs.
    for relation in Village._meta.related_objects:
        if relation.one_to_many or relation.one_to_one:
            relation.related_model._base_manager.filter(**{relation.field.name: village}).update(
                **{relation.field.name: into}
            )
    village.delete()
    return into
