import graphene
from graphene import relay

from marketplace.api.accounts.schema import AccountMutations, AccountQueries
from marketplace.api.channels.schema import ChannelQueries
from marketplace.api.inventory.schema import InventoryMutations
from marketplace.api.locations.schema import LocationQueries
from marketplace.api.sellers.schema import SellerMutations, SellerQueries


class Query(AccountQueries, ChannelQueries, LocationQueries, SellerQueries, graphene.ObjectType):
    node = relay.Node.Field()


class Mutation(AccountMutations, SellerMutations, InventoryMutations, graphene.ObjectType):
    pass


schema = graphene.Schema(query=Query, mutation=Mutation)
