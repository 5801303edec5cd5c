import graphene
from graphene import relay

from marketplace.accounts.addresses import saved_addresses
from marketplace.accounts.models import User as UserModel
from marketplace.api.accounts.addresses import Address
from marketplace.api.core import batch
from marketplace.api.core.connection import connection_field
from marketplace.api.core.types import ModelObjectType
from marketplace.api.orders.users import resolve_user_orders
from marketplace.api.sellers.types import Cooperative, Seller
from marketplace.sellers import selectors as seller_selectors


class User(ModelObjectType):
    email = graphene.String()
    phone = graphene.String()
    first_name = graphene.String(required=True)
    last_name = graphene.String(required=True)
    is_staff = graphene.Boolean(required=True)
    language = graphene.String(required=True)
    has_password = graphene.Boolean(
        required=True, description="False for an account made by SMS sign-in until it adds one."
    )
    seller = graphene.Field(Seller, description="The seller this user owns, if any.")
    addresses = graphene.List(
        graphene.NonNull(Address), required=True, description="Saved addresses, the default first."
    )
    cooperatives = graphene.List(
        graphene.NonNull(Cooperative),
        required=True,
        description="Cooperatives where this user is staff.",
    )
    orders = connection_field(
        "Order",
        "marketplace.api.orders.types.Order",
        resolver=resolve_user_orders,
        description="The user's orders, newest first (the user and platform staff).",
    )

    class Meta:
        model = UserModel
        interfaces = (relay.Node,)

    @staticmethod
    def resolve_has_password(root: UserModel, info) -> bool:
        viewer = info.context.user
        own = viewer.is_authenticated and viewer.pk == root.pk
        return root.has_usable_password() if own else True

    @staticmethod
    def resolve_seller(root: UserModel, info):
        return batch.load(
            info, "user.seller", root, key=lambda u: u.pk, fetch=seller_selectors.sellers_by_owner
        )

    @staticmethod
    def resolve_addresses(root: UserModel, info):
        viewer = info.context.user
        return saved_addresses(root) if viewer.is_authenticated and viewer.pk == root.pk else []

    @staticmethod
    def resolve_cooperatives(root: UserModel, info):
        return batch.load(
            info,
            "user.cooperatives",
            root,
            key=lambda u: u.pk,
            fetch=seller_selectors.staff_cooperatives_by_user,
            default=list,
        )

    @classmethod
    def get_node(cls, info, id):
        user = info.context.user
        if user.is_authenticated and (user.pk == int(id) or user.is_staff):
            return UserModel.objects.filter(pk=id).first()
        return None
