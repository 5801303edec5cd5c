"""Signing in with a code sent by SMS, and a first password for phone-only accounts."""

import graphene
from django.utils.translation import get_language

from marketplace.accounts import login_codes
from marketplace.api.accounts.schema import TokenCreate
from marketplace.api.accounts.types import User
from marketplace.api.core.mutations import BaseMutation, Payload, client_address, require_alone
from marketplace.core.errors import DomainError, ErrorCode


def _language() -> str:
    return (get_language() or "fa")[:2]


class LoginCodeRequest(Payload):
    """The answer of accountRequestLoginCode: only errors, whether or not the phone has
    an account."""


class AccountRequestLoginCode(BaseMutation):
    owns_transaction = True

    class Arguments:
        phone = graphene.String(required=True)

    class Meta:
        output = LoginCodeRequest

    @classmethod
    def perform(cls, info, phone):
        require_alone(info)
        login_codes.request_code(phone=phone, client=client_address(info), language=_language())
        return LoginCodeRequest.ok()


class TokenCreateFromLoginCode(BaseMutation):
    owns_transaction = True

    class Arguments:
        phone = graphene.String(required=True)
        code = graphene.String(required=True)

    class Meta:
        output = TokenCreate

    @classmethod
    def perform(cls, info, phone, code):
        require_alone(info)
        user, access, refresh = login_codes.sign_in(
            phone=phone, code=code, client=client_address(info), language=_language()
        )
        return TokenCreate.ok(token=access, refresh_token=refresh, user=user)


class AccountSetPassword(BaseMutation):
    """A first password for an account made by SMS sign-in; returns fresh tokens."""

    token = graphene.String()
    refresh_token = graphene.String()
    user = graphene.Field(User)

    class Arguments:
        password = graphene.String(required=True)

    @classmethod
    def perform(cls, info, password):
        actor = info.context.user
        if not actor.is_authenticated:
            raise DomainError.of(ErrorCode.PERMISSION_DENIED, None)
        user, access, refresh = login_codes.set_first_password(actor=actor, password=password)
        return cls.ok(token=access, refresh_token=refresh, user=user)


class LoginCodeMutations(graphene.ObjectType):
    account_request_login_code = AccountRequestLoginCode.Field()
    token_create_from_login_code = TokenCreateFromLoginCode.Field()
    account_set_password = AccountSetPassword.Field()
