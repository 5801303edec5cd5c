from __future__ import annotations

import graphene

from marketplace.api.core.errors import Error, to_errors
from marketplace.core.errors import DomainError


class BaseMutation(graphene.Mutation):
    """Mutations translate input, call one service and translate its result or errors.

    Each subclass defines `perform(cls, info, **arguments)`, returning its payload. Several
    mutations may share one payload type (`Meta.output`, e.g. SellerMutation)."""

    errors = graphene.List(graphene.NonNull(Error), required=True)

    # True when `perform` makes exactly one call to a service that runs its own
    # transaction (and runs it again after a deadlock): sent alone, such a mutation then
    # needs no request-wide transaction around it, and its service no savepoint.
    owns_transaction = False

    class Meta:
        abstract = True

    @classmethod
    def Field(cls, *args, required: bool = True, **kwargs):
        return super().Field(*args, required=required, **kwargs)

    @classmethod
    def mutate(cls, root, info, **data):
        try:
            return cls.perform(info, **data)
        except DomainError as exc:
            return cls._meta.output(errors=to_errors(exc))
