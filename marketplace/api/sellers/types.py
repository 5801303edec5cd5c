from __future__ import annotations

import graphene
from graphene import relay

from marketplace.api.core import batch
from marketplace.api.core.connection import connection_field, paginate
from marketplace.api.core.types import ModelObjectType
from marketplace.api.inventory.types import Warehouse
from marketplace.api.locations.types import Village
from marketplace.inventory import selectors as inventory_selectors
from marketplace.sellers import permissions, selectors
from marketplace.sellers.models import Cooperative as CooperativeModel
from marketplace.sellers.models import Seller as SellerModel
from marketplace.sellers.models import SellerStatus as SellerStatusChoices

SellerStatus = graphene.Enum.from_enum(
    SellerStatusChoices, name="SellerStatus", description="Where a seller's application stands."
)


class PayoutAccount(graphene.ObjectType):
    iban = graphene.String(required=True, description="Sheba (IBAN), compact form.")
    holder = graphene.String(required=True)


class Cooperative(ModelObjectType):
    name = graphene.String(required=True)
    slug = graphene.String(required=True)
    description = graphene.String(required=True)
    address = graphene.String(required=True)
    phone = graphene.String(required=True)
    fee_rate = graphene.Float(required=True, description="Share of each line total, e.g. 0.05.")
    members = connection_field("Seller", lambda: Seller)
    warehouses = graphene.List(graphene.NonNull(Warehouse), required=True)

    class Meta:
        model = CooperativeModel
        interfaces = (relay.Node,)

    @staticmethod
    def resolve_fee_rate(root: CooperativeModel, info) -> float:
        return float(root.fee_rate)

    @staticmethod
    def resolve_members(root: CooperativeModel, info, first=None, after=None):
        user = info.context.user
        members = batch.load(
            info,
            "cooperative.members",
            root,
            key=lambda c: c.pk,
            fetch=lambda ids: selectors.members_by_cooperative(user, ids),
            default=list,
        )
        return paginate(members, first=first, after=after)

    @staticmethod
    def resolve_warehouses(root: CooperativeModel, info):
        return batch.load(
            info,
            "cooperative.warehouses",
            root,
            key=lambda c: c.pk,
            fetch=inventory_selectors.warehouses_by_cooperative,
            default=list,
        )

    @classmethod
    def get_node(cls, info, id):
        return selectors.cooperative_by(pk=id)


class Seller(ModelObjectType):
    name = graphene.String(required=True)
    slug = graphene.String(required=True)
    description = graphene.String(required=True)
    village = graphene.Field(Village)
    cooperative = graphene.Field(Cooperative)
    status = graphene.Field(SellerStatus, required=True)
    photo_url = graphene.String(description="The producer's photo, if they have one.")
    phone = graphene.String(description="The owner, their cooperative's staff and platform staff.")
    payout_account = graphene.Field(
        PayoutAccount, description="The owner, their cooperative's staff and platform staff."
    )

    class Meta:
        model = SellerModel
        interfaces = (relay.Node,)

    @staticmethod
    def resolve_status(root: SellerModel, info):
        return root.status

    @staticmethod
    def resolve_photo_url(root: SellerModel, info) -> str | None:
        return root.photo.url if root.photo else None

    @staticmethod
    def resolve_cooperative(root: SellerModel, info):
        return batch.load(
            info,
            "seller.cooperative",
            root,
            key=lambda s: s.cooperative_id,
            fetch=selectors.cooperatives_by_id,
        )

    @staticmethod
    def resolve_phone(root: SellerModel, info):
        if permissions.can_see_private_seller_data(info.context.user, root):
            return root.phone
        return None

    @staticmethod
    def resolve_payout_account(root: SellerModel, info):
        if not root.payout_iban or not permissions.can_see_private_seller_data(
            info.context.user, root
        ):
            return None
        return PayoutAccount(iban=root.payout_iban, holder=root.payout_holder)

    @classmethod
    def get_node(cls, info, id):
        return selectors.seller_for_user(info.context.user, pk=id)
