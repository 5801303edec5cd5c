import graphene
from graphql import GraphQLError

from marketplace.api.core.connection import connection_field, paginate
from marketplace.api.core.errors import query_error
from marketplace.api.core.ids import decode_id, get_instance, get_optional_instance
from marketplace.api.core.mutations import BaseMutation, Payload
from marketplace.api.sellers.types import Cooperative, Seller
from marketplace.core.errors import DomainError
from marketplace.locations.models import County, Village
from marketplace.sellers import selectors, services
from marketplace.sellers.models import Cooperative as CooperativeModel
from marketplace.sellers.models import Seller as SellerModel

MAX_SEARCH = 200


def _lookup(id_value, slug, type_name, by):
    if id_value is None and not slug:
        raise GraphQLError("id or slug is required.", extensions={"code": "REQUIRED"})
    try:
        pk = decode_id(id_value, type_name, field="id") if id_value is not None else None
    except DomainError as exc:
        raise query_error(exc) from None
    return by(pk=pk, slug=None if pk is not None else slug)


def _villages():
    return Village.objects.select_related("county__province")


class SellerQueries(graphene.ObjectType):
    sellers = connection_field("Seller", Seller, search=graphene.String())
    seller = graphene.Field(Seller, id=graphene.ID(), slug=graphene.String())
    cooperatives = connection_field("Cooperative", Cooperative)
    cooperative = graphene.Field(Cooperative, id=graphene.ID(), slug=graphene.String())

    @staticmethod
    def resolve_sellers(root, info, search=None, first=None, after=None):
        rows = selectors.search_sellers(info.context.user, (search or "")[:MAX_SEARCH])
        return paginate(rows, first=first, after=after)

    @staticmethod
    def resolve_seller(root, info, id=None, slug=None):
        user = info.context.user
        return _lookup(id, slug, "Seller", lambda **kw: selectors.seller_for_user(user, **kw))

    @staticmethod
    def resolve_cooperatives(root, info, first=None, after=None):
        return paginate(selectors.cooperatives(), first=first, after=after)

    @staticmethod
    def resolve_cooperative(root, info, id=None, slug=None):
        return _lookup(id, slug, "Cooperative", selectors.cooperative_by)


class CooperativeInput(graphene.InputObjectType):
    name = graphene.String(required=True)
    slug = graphene.String()
    description = graphene.String()
    fee_rate = graphene.Float(description="Share of the line total, e.g. 0.05.")
    county = graphene.ID()
    phone = graphene.String()


class CooperativeMutation(Payload):
    cooperative = graphene.Field(Cooperative)


class CooperativeCreate(BaseMutation):
    class Meta:
        output = CooperativeMutation

    class Arguments:
        input = CooperativeInput(required=True)

    @classmethod
    def perform(cls, info, input):
        county = get_optional_instance(
            County.objects.all(), input.get("county"), "County", field="county"
        )
        cooperative = services.create_cooperative(
            actor=info.context.user,
            name=input.get("name"),
            slug=input.get("slug"),
            description=input.get("description"),
            fee_rate=input.get("fee_rate"),
            county=county,
            phone=input.get("phone"),
        )
        return CooperativeMutation.ok(cooperative=cooperative)


class CooperativeStaffAdd(BaseMutation):
    class Meta:
        output = CooperativeMutation

    class Arguments:
        cooperative = graphene.ID(required=True)
        email = graphene.String(required=True)

    @classmethod
    def perform(cls, info, cooperative, email):
        instance = get_instance(
            CooperativeModel.objects.all(), cooperative, "Cooperative", field="cooperative"
        )
        instance = services.add_cooperative_staff(
            actor=info.context.user, cooperative=instance, email=email
        )
        return CooperativeMutation.ok(cooperative=instance)


class SellerCreateInput(graphene.InputObjectType):
    name = graphene.String(required=True)
    description = graphene.String()
    phone = graphene.String(required=True)
    village = graphene.ID()
    cooperative = graphene.ID()
    payout_iban = graphene.String(description="Sheba (IBAN) for payouts, e.g. IR06 2960 …")
    payout_holder = graphene.String()


class SellerUpdateInput(graphene.InputObjectType):
    name = graphene.String()
    description = graphene.String()
    phone = graphene.String()
    village = graphene.ID()
    payout_iban = graphene.String()
    payout_holder = graphene.String()


class SellerMutation(Payload):
    seller = graphene.Field(Seller)


class SellerCreate(BaseMutation):
    class Meta:
        output = SellerMutation

    class Arguments:
        input = SellerCreateInput(required=True)

    @classmethod
    def perform(cls, info, input):
        village = get_optional_instance(
            _villages(), input.get("village"), "Village", field="village"
        )
        cooperative = get_optional_instance(
            CooperativeModel.objects.filter(is_active=True),
            input.get("cooperative"),
            "Cooperative",
            field="cooperative",
        )
        seller = services.create_seller(
            actor=info.context.user,
            name=input.get("name"),
            phone=input.get("phone"),
            description=input.get("description"),
            village=village,
            cooperative=cooperative,
            payout_iban=input.get("payout_iban"),
            payout_holder=input.get("payout_holder"),
        )
        return SellerMutation.ok(seller=seller)


class SellerUpdate(BaseMutation):
    class Meta:
        output = SellerMutation

    class Arguments:
        id = graphene.ID(required=True)
        input = SellerUpdateInput(required=True)

    @classmethod
    def perform(cls, info, id, input):
        seller = get_instance(SellerModel.objects.all(), id, "Seller", field="id")
        village = get_optional_instance(
            _villages(), input.get("village"), "Village", field="village"
        )
        seller = services.update_seller(
            actor=info.context.user,
            seller=seller,
            name=input.get("name"),
            description=input.get("description"),
            phone=input.get("phone"),
            village=village,
            payout_iban=input.get("payout_iban"),
            payout_holder=input.get("payout_holder"),
        )
        return SellerMutation.ok(seller=seller)


class SellerApprove(BaseMutation):
    class Meta:
        output = SellerMutation

    class Arguments:
        id = graphene.ID(required=True)

    @classmethod
    def perform(cls, info, id):
        seller = get_instance(SellerModel.objects.all(), id, "Seller", field="id")
        seller = services.approve_seller(actor=info.context.user, seller=seller)
        return SellerMutation.ok(seller=seller)


class SellerReject(BaseMutation):
    """Turn a pending applicant down with a reason, which they receive by email."""

    class Meta:
        output = SellerMutation

    class Arguments:
        id = graphene.ID(required=True)
        reason = graphene.String(required=True)

    @classmethod
    def perform(cls, info, id, reason):
        seller = get_instance(SellerModel.objects.all(), id, "Seller", field="id")
        seller = services.reject_seller(actor=info.context.user, seller=seller, reason=reason)
        return SellerMutation.ok(seller=seller)


class SellerMutations(graphene.ObjectType):
    cooperative_create = CooperativeCreate.Field()
    cooperative_staff_add = CooperativeStaffAdd.Field()
    seller_create = SellerCreate.Field()
    seller_update = SellerUpdate.Field()
    seller_approve = SellerApprove.Field()
    seller_reject = SellerReject.Field()
