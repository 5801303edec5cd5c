"""villagePropose: a producer names a village the list lacks."""

from __future__ import annotations

import graphene

from marketplace.api.core.ids import get_instance
from marketplace.api.core.mutations import BaseMutation
from marketplace.api.locations.types import Village
from marketplace.locations import services
from marketplace.locations.models import Village as VillageModel


class VillagePropose(BaseMutation):
    """The village `name` in `county` (a county's Persian or English name): the known
    one when it matches, else a new one kept as proposed until a cooperative clerk or
    the operator confirms it."""

    village = graphene.Field(Village)

    class Arguments:
        name = graphene.String(required=True)
        county = graphene.String(required=True)

    @classmethod
    def perform(cls, info, name, county):
        village = services.propose_village(
            actor=info.context.user, county=services.county_for_proposal(county), name=name
        )
        return cls.ok(village=village)


class VillageConfirm(BaseMutation):
    """A proposed village confirmed: it joins the village search."""

    village = graphene.Field(Village)

    class Arguments:
        id = graphene.ID(required=True)

    @classmethod
    def perform(cls, info, id):
        village = get_instance(VillageModel.objects.all(), id, "Village", field="id")
        services.confirm_villages(actor=info.context.user, villages=[village])
        village.refresh_from_db()
        return cls.ok(village=village)


class LocationMutations(graphene.ObjectType):
    village_propose = VillagePropose.Field()
    village_confirm = VillageConfirm.Field()
