import graphene

from marketplace.api.accounts.addresses import AddressMutations, AddressQueries
from marketplace.api.accounts.login_codes import LoginCodeMutations
from marketplace.api.accounts.password_reset import PasswordResetMutations
from marketplace.api.accounts.schema import AccountMutations, AccountQueries
from marketplace.api.catalog.schema import CatalogMutations, CatalogQueries
from marketplace.api.catalog.variant_update import VariantUpdateMutations
from marketplace.api.channels.schema import ChannelQueries
from marketplace.api.checkout.schema import CheckoutMutations, CheckoutQueries
from marketplace.api.core.node import NodeField
from marketplace.api.inventory.schema import InventoryMutations
from marketplace.api.locations.mutations import LocationMutations
from marketplace.api.locations.schema import LocationQueries
from marketplace.api.logistics.desk import DeskQueries
from marketplace.api.logistics.schema import LogisticsMutations
from marketplace.api.notifications.schema import NotificationMutations, NotificationQueries
from marketplace.api.orders.schema import OrderMutations, OrderQueries
from marketplace.api.returns.schema import ReturnMutations, ReturnQueries
from marketplace.api.reviews.schema import ReviewMutations
from marketplace.api.sellers.schema import SellerMutations, SellerQueries
from marketplace.api.shipping.schema import ShippingMutations, ShippingQueries
from marketplace.api.site.schema import SiteQueries


class Query(
    AccountQueries,
    ChannelQueries,
    LocationQueries,
    SellerQueries,
    CatalogQueries,
    AddressQueries,
    ShippingQueries,
    OrderQueries,
    DeskQueries,
    ReturnQueries,
    CheckoutQueries,
    NotificationQueries,
    SiteQueries,
    graphene.ObjectType,
):
    node = NodeField()


class Mutation(
    AccountMutations,
    LoginCodeMutations,
    NotificationMutations,
    PasswordResetMutations,
    LocationMutations,
    SellerMutations,
    InventoryMutations,
    CatalogMutations,
    VariantUpdateMutations,
    AddressMutations,
    ShippingMutations,
    OrderMutations,
    LogisticsMutations,
    CheckoutMutations,
    ReturnMutations,
    ReviewMutations,
    graphene.ObjectType,
):
    pass


schema = graphene.Schema(query=Query, mutation=Mutation)
