from __future__ import annotations

import graphene
from django.utils.translation import gettext_lazy as _
from graphql.execution.collect_fields import collect_fields

from marketplace.api.core.errors import Error, to_errors
from marketplace.core.errors import DomainError, ErrorCode


def client_address(info) -> str:
    """The caller's address, for limits counted per client."""
    return info.context.META.get("REMOTE_ADDR") or "unknown"


def require_alone(info) -> None:
    """Refuse the mutation unless it is the only field of its operation (fragments and
    aliases included). Mutations whose tries are limited use it: aliases would try many
    passwords or codes in one request, and a request that does other things could roll
    the count of tries back with them."""
    fields = collect_fields(
        info.schema,
        info.fragments,
        info.variable_values,
        info.parent_type,
        info.operation.selection_set,
    )
    if len([key for key in fields if key != "__typename"]) != 1:
        raise DomainError.of(
            ErrorCode.INVALID,
            None,
            _("Send this mutation alone in its request, and only once."),
        )


class _Answer:
    """`errors`, declared once for every mutation's answer, and the answer without any."""

    errors = graphene.List(graphene.NonNull(Error), required=True)

    @classmethod
    def ok(cls, **fields):
        """The answer of a mutation that succeeded: these fields and no errors."""
        return cls(errors=[], **fields)


class Payload(_Answer, graphene.ObjectType):
    """The answer several mutations share (their `Meta.output`): what the mutation
    changed, then `errors`, as the API contract lists them."""

    class Meta:
        abstract = True

    @classmethod
    def __init_subclass_with_meta__(cls, **options):
        super().__init_subclass_with_meta__(**options)
        # graphene lists a base's fields first; the payload's own come before `errors`.
        cls._meta.fields["errors"] = cls._meta.fields.pop("errors")


class BaseMutation(_Answer, graphene.Mutation):
    """Mutations translate input, call one service and translate its result or errors.

    Each subclass defines `perform(cls, info, **arguments)`, returning its answer: the
    mutation's own fields (`cls.ok(...)`), or a Payload several mutations share
    (`Meta.output`, e.g. SellerMutation)."""

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
