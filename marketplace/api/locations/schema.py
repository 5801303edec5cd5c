import graphene

from marketplace.api.core.connection import connection_field, paginate
from marketplace.api.locations.types import Province, Village
from marketplace.locations import selectors

MAX_SEARCH = 200


class LocationQueries(graphene.ObjectType):
    villages = connection_field("Village", Village, search=graphene.String())
    # Villages producers named that await the caller's confirmation (the operator: all;
    # a cooperative's staff: their members').
    proposed_villages = connection_field("Village", Village)
    provinces = graphene.List(
        graphene.NonNull(Province), required=True, country=graphene.String(default_value="IR")
    )

    @staticmethod
    def resolve_villages(root, info, search=None, first=None, after=None):
        return paginate(
            selectors.search_villages((search or "")[:MAX_SEARCH]), first=first, after=after
        )

    @staticmethod
    def resolve_proposed_villages(root, info, first=None, after=None):
        return paginate(selectors.proposed_villages(info.context.user), first=first, after=after)

    @staticmethod
    def resolve_provinces(root, info, country="IR"):
        # An explicit null is no country named: the default's.
        return selectors.provinces(country or "IR")
