"""Addresses in the API: the `Address` type and `AddressInput` (shared with checkouts and
orders), and the signed-in user's saved addresses."""

from __future__ import annotations

import graphene
from graphene import relay

from marketplace.accounts import addresses as services
from marketplace.accounts.models import Address as AddressModel
from marketplace.api.core import batch
from marketplace.api.core.ids import get_instance
from marketplace.api.core.mutations import BaseMutation, Payload
from marketplace.api.core.types import ModelObjectType
from marketplace.api.locations.types import Province
from marketplace.locations.models import Province as ProvinceModel


class Address(ModelObjectType):
    """A postal address: a saved one of the user's, or a checkout's or an order's copy."""

    first_name = graphene.String(required=True)
    last_name = graphene.String(required=True)
    phone = graphene.String(required=True, description="Mobile number in E.164 (+98912…).")
    country = graphene.String(required=True, description="ISO 3166-1 alpha-2 code.")
    country_area = graphene.String(required=True, description="Province (in Iran) or region.")
    city = graphene.String(required=True)
    street_address_1 = graphene.String(required=True)
    street_address_2 = graphene.String(required=True)
    postal_code = graphene.String(required=True)
    province = graphene.Field(Province, description="The province row, for Iranian addresses.")
    is_default = graphene.Boolean(
        required=True, description="The user's default address (saved addresses only)."
    )

    class Meta:
        model = AddressModel
        interfaces = (relay.Node,)

    @staticmethod
    def resolve_province(root: AddressModel, info):
        if AddressModel.province.is_cached(root):
            return root.province
        return batch.load(
            info,
            "address.province",
            root,
            key=lambda a: a.province_id,
            fetch=lambda ids: ProvinceModel.objects.in_bulk(ids),
        )

    @classmethod
    def get_node(cls, info, id):
        # Only the caller's own saved addresses are reachable by ID.
        user = info.context.user
        if not user.is_authenticated:
            return None
        return AddressModel.objects.filter(pk=id, user_id=user.pk).first()


class AddressInput(graphene.InputObjectType):
    first_name = graphene.String(required=True)
    last_name = graphene.String(required=True)
    phone = graphene.String(
        required=True, description="Mobile number; Persian or Arabic digits are accepted."
    )
    country = graphene.String(description="ISO 3166-1 alpha-2, default IR.")
    country_area = graphene.String(
        required=True, description="Province: its Persian or English name or ISO code (IR-09)."
    )
    city = graphene.String(required=True)
    street_address_1 = graphene.String(required=True)
    street_address_2 = graphene.String()
    postal_code = graphene.String(required=True, description="Iran: 10 digits.")


class AccountAddressMutation(Payload):
    address = graphene.Field(Address)
    addresses = graphene.List(
        graphene.NonNull(Address), description="The caller's saved addresses after the change."
    )


def _saved(info, value: str) -> AddressModel:
    # Checkout and order copies have no user and are never reachable here.
    return get_instance(
        AddressModel.objects.filter(user__isnull=False), value, "Address", field="id"
    )


def _payload(info, address: AddressModel | None) -> AccountAddressMutation:
    return AccountAddressMutation.ok(
        address=address,
        addresses=batch.mark_siblings(services.saved_addresses(info.context.user)),
    )


class AccountAddressCreate(BaseMutation):
    """Save an address (at most 20); the first one becomes the default. Field errors are
    named under `input`, e.g. `input.postalCode`."""

    class Meta:
        output = AccountAddressMutation

    class Arguments:
        input = AddressInput(required=True)
        set_default = graphene.Boolean(default_value=False)

    @classmethod
    def perform(cls, info, input, set_default=False):
        address = services.create_address(
            user=info.context.user, data=input, set_default=bool(set_default)
        )
        return _payload(info, address)


class AccountAddressUpdate(BaseMutation):
    class Meta:
        output = AccountAddressMutation

    class Arguments:
        id = graphene.ID(required=True)
        input = AddressInput(required=True)

    @classmethod
    def perform(cls, info, id, input):
        address = services.update_address(
            user=info.context.user, address=_saved(info, id), data=input
        )
        return _payload(info, address)


class AccountAddressDelete(BaseMutation):
    class Meta:
        output = AccountAddressMutation

    class Arguments:
        id = graphene.ID(required=True)

    @classmethod
    def perform(cls, info, id):
        services.delete_address(user=info.context.user, address=_saved(info, id))
        return _payload(info, None)


class AccountAddressSetDefault(BaseMutation):
    class Meta:
        output = AccountAddressMutation

    class Arguments:
        id = graphene.ID(required=True)

    @classmethod
    def perform(cls, info, id):
        address = services.set_default_address(user=info.context.user, address=_saved(info, id))
        return _payload(info, address)


class AddressQueries(graphene.ObjectType):
    my_addresses = graphene.List(
        graphene.NonNull(Address),
        required=True,
        description="The signed-in user's saved addresses, the default first; empty when "
        "signed out.",
    )

    @staticmethod
    def resolve_my_addresses(root, info):
        return batch.mark_siblings(services.saved_addresses(info.context.user))


class AddressMutations(graphene.ObjectType):
    account_address_create = AccountAddressCreate.Field()
    account_address_update = AccountAddressUpdate.Field()
    account_address_delete = AccountAddressDelete.Field()
    account_address_set_default = AccountAddressSetDefault.Field()
