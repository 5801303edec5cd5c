from __future__ import annotations

import graphene
from graphene import relay

from marketplace.api.catalog import sellers as catalog_fields
from marketplace.api.core import batch
from marketplace.api.core.connection import connection_field, paginate
from marketplace.api.core.types import ModelObjectType
from marketplace.api.inventory.types import Warehouse
from marketplace.api.ledger.fields import statement_url_field
from marketplace.api.locations.types import Village
from marketplace.api.reviews import types as review_fields
from marketplace.api.sellers import editor_fields
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
    applicants = connection_field(
        "Seller",
        lambda: Seller,
        resolver=editor_fields.resolve_cooperative_applicants,
        description="Sellers waiting for approval, oldest first: for its staff and "
        "platform staff; empty for others.",
    )
    reviews = connection_field(
        "Review",
        "marketplace.api.reviews.types.Review",
        unanswered=graphene.Boolean(description="Only those not answered yet."),
        resolver=review_fields.resolve_cooperative_reviews,
        description="Visible reviews of its members' products, newest first: what its "
        "staff may answer for them.",
    )
    balance = graphene.Field(
        "marketplace.api.ledger.types.Balance",
        channel=graphene.String(),
        description="Its staff and platform staff; null for others.",
    )
    payouts = graphene.Field(
        "marketplace.api.ledger.types.PayoutCountableConnection",
        first=graphene.Int(),
        after=graphene.String(),
        description="Same readers as balance.",
    )
    statement_url = statement_url_field("its staff and platform staff")
    fees_earned = graphene.Field(
        "marketplace.api.core.money.Money",
        start=graphene.Date(required=True),
        end=graphene.Date(required=True),
        channel=graphene.String(),
        description="Its fees on its members' lines of orders completed in the period; "
        "same readers as balance.",
    )

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

    @staticmethod
    def resolve_balance(root: CooperativeModel, info, channel=None):
        from marketplace.api.ledger import types as ledger_types

        return ledger_types.cooperative_balance(root, info, channel)

    @staticmethod
    def resolve_payouts(root: CooperativeModel, info, first=None, after=None):
        from marketplace.api.ledger import types as ledger_types

        return ledger_types.cooperative_payouts(root, info, first=first, after=after)

    @staticmethod
    def resolve_statement_url(root: CooperativeModel, info, start, end, format=None, channel=None):
        from marketplace.api.ledger import types as ledger_types

        return ledger_types.cooperative_statement_url(root, info, start, end, format, channel)

    @staticmethod
    def resolve_fees_earned(root: CooperativeModel, info, start, end, channel=None):
        from marketplace.api.ledger import types as ledger_types

        return ledger_types.cooperative_fees_earned(root, info, start, end, channel)

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
    products = connection_field(
        "Product",
        "marketplace.api.catalog.types.Product",
        channel=graphene.String(),
        resolver=catalog_fields.resolve_products,
        description="Newest first: the public ones, and all but hidden to their editors.",
    )
    rating = graphene.Float(
        resolver=catalog_fields.resolve_rating,
        description="The mean of the visible reviews of the seller's products; null without any.",
    )
    review_count = graphene.Int(
        required=True, description="How many visible reviews `rating` is the mean of."
    )
    reviews = connection_field(
        "Review",
        "marketplace.api.reviews.types.Review",
        unanswered=graphene.Boolean(description="Only those the seller has not answered."),
        resolver=review_fields.resolve_seller_reviews,
        description="Visible reviews of the seller's products, newest first.",
    )
    warehouses = graphene.List(
        graphene.NonNull(Warehouse),
        resolver=editor_fields.resolve_seller_warehouses,
        description="The seller's own warehouses (not their cooperative's): for the "
        "owner, their cooperative's staff and platform staff; null for others.",
    )
    sales = connection_field(
        "SellerSale",
        editor_fields.SellerSale,
        resolver=editor_fields.resolve_seller_sales,
        description="Order lines of the seller's goods, newest first: for the owner, "
        "their cooperative's staff and platform staff; empty for others.",
    )
    balance = graphene.Field(
        "marketplace.api.ledger.types.Balance",
        channel=graphene.String(),
        description="The owner, their cooperative's staff, platform staff; null for others.",
    )
    payouts = graphene.Field(
        "marketplace.api.ledger.types.PayoutCountableConnection",
        first=graphene.Int(),
        after=graphene.String(),
        description="Same readers as balance.",
    )
    statement_url = statement_url_field("same readers as balance")
    pending_orders = graphene.List(
        graphene.NonNull("marketplace.api.ledger.types.PendingOrder"),
        channel=graphene.String(),
        description="Orders whose money is in escrow for the seller until the buyer "
        "confirms receipt, newest first; same readers as balance.",
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

    @staticmethod
    def resolve_balance(root: SellerModel, info, channel=None):
        from marketplace.api.ledger import types as ledger_types

        return ledger_types.seller_balance(root, info, channel)

    @staticmethod
    def resolve_payouts(root: SellerModel, info, first=None, after=None):
        from marketplace.api.ledger import types as ledger_types

        return ledger_types.seller_payouts(root, info, first=first, after=after)

    @staticmethod
    def resolve_statement_url(root: SellerModel, info, start, end, format=None, channel=None):
        from marketplace.api.ledger import types as ledger_types

        return ledger_types.seller_statement_url(root, info, start, end, format, channel)

    @staticmethod
    def resolve_pending_orders(root: SellerModel, info, channel=None):
        from marketplace.api.ledger import types as ledger_types

        return ledger_types.seller_pending_orders(root, info, channel)

    @classmethod
    def get_node(cls, info, id):
        return selectors.seller_for_user(info.context.user, pk=id)
