import graphene
from django.utils.translation import get_language

from marketplace.accounts import services
from marketplace.api.accounts.types import User
from marketplace.api.core.mutations import BaseMutation, client_address, require_alone


class AccountRegisterInput(graphene.InputObjectType):
    email = graphene.String(required=True)
    password = graphene.String(required=True)
    first_name = graphene.String()
    last_name = graphene.String()
    phone = graphene.String(description="Mobile number; Persian or Arabic digits are accepted.")


class AccountRegister(BaseMutation):
    """Creates an account unless the email or mobile number already has one; the answer
    is the same either way (no errors, no user), so it never tells whether an address is
    in use. Then sign in with `tokenCreate`. Tries are limited per client address."""

    # The throttle's count must survive the refusal of bad input.
    owns_transaction = True
    user = graphene.Field(User, description="Always null; see the mutation's description.")

    class Arguments:
        input = AccountRegisterInput(required=True)

    @classmethod
    def perform(cls, info, input):
        services.register_user(
            email=input.get("email"),
            password=input.get("password"),
            first_name=input.get("first_name"),
            last_name=input.get("last_name"),
            phone=input.get("phone"),
            language=(get_language() or "fa")[:2],
            client=client_address(info),
        )
        return cls.ok(user=None)


class TokenCreate(BaseMutation):
    """Sign in with a password. Sent alone in its request; failed tries are limited per
    account and per client address."""

    owns_transaction = True
    token = graphene.String()
    refresh_token = graphene.String()
    user = graphene.Field(User)

    class Arguments:
        email = graphene.String(required=True, description="Email or mobile number.")
        password = graphene.String(required=True)

    @classmethod
    def perform(cls, info, email, password):
        require_alone(info)
        user, access, refresh = services.create_tokens(
            login=email, password=password, client=client_address(info)
        )
        return cls.ok(token=access, refresh_token=refresh, user=user)


class TokenRefresh(BaseMutation):
    token = graphene.String()
    user = graphene.Field(User)

    class Arguments:
        refresh_token = graphene.String(required=True)

    @classmethod
    def perform(cls, info, refresh_token):
        user, access = services.refresh_access_token(refresh_token=refresh_token)
        return cls.ok(token=access, user=user)


class TokenRevoke(BaseMutation):
    """Sign out everywhere: every access and refresh token issued to the caller so far
    stops working. The caller is the bearer token's user or the one `refreshToken`
    names."""

    class Arguments:
        refresh_token = graphene.String()

    @classmethod
    def perform(cls, info, refresh_token=None):
        services.revoke_tokens(actor=info.context.user, refresh_token=refresh_token)
        return cls.ok()


class AccountQueries(graphene.ObjectType):
    me = graphene.Field(User)

    @staticmethod
    def resolve_me(root, info):
        user = info.context.user
        return user if user.is_authenticated else None


class AccountMutations(graphene.ObjectType):
    account_register = AccountRegister.Field()
    token_create = TokenCreate.Field()
    token_refresh = TokenRefresh.Field()
    token_revoke = TokenRevoke.Field()
