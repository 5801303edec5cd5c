"""requestPasswordReset and setPassword, as in Saleor."""

from __future__ import annotations

import graphene

from marketplace.accounts import password_reset
from marketplace.api.accounts.types import User
from marketplace.api.core.mutations import BaseMutation


class RequestPasswordReset(BaseMutation):
    """Email a link to set a new password; the answer is the same whether or not an
    account has that email."""

    class Arguments:
        email = graphene.String(required=True)
        redirect_url = graphene.String(
            required=True, description="The shop's page that takes `email` and `token`."
        )

    @classmethod
    def perform(cls, info, email, redirect_url):
        password_reset.request_password_reset(email=email, redirect_url=redirect_url)
        return cls.ok()


class SetPassword(BaseMutation):
    """A new password, with the token from the reset email."""

    user = graphene.Field(User)

    class Arguments:
        email = graphene.String()
        token = graphene.String(required=True)
        password = graphene.String(required=True)

    @classmethod
    def perform(cls, info, token, password, email=None):
        user = password_reset.set_password(email=email, token=token, password=password)
        return cls.ok(user=user)


class PasswordResetMutations(graphene.ObjectType):
    request_password_reset = RequestPasswordReset.Field()
    set_password = SetPassword.Field()
