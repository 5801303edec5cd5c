"""Domain errors in the API's terms: `errors { field code message }` in payloads, GraphQL
errors in queries.

The domain names a field in its own terms, as a dotted path in snake_case
("lines.0.variant_id"); `api_field` turns it into the API's camelCase
("lines.0.variantId") here and nowhere else.
"""

from __future__ import annotations

import graphene
from graphene.utils.str_converters import to_camel_case
from graphql import GraphQLError

from marketplace.core.errors import DomainError
from marketplace.core.errors import ErrorCode as DomainErrorCode

ErrorCode = graphene.Enum.from_enum(
    DomainErrorCode,
    name="ErrorCode",
    description="The kind of problem; `message` explains it in the request's language.",
)


class Error(graphene.ObjectType):
    field = graphene.String(description="The input field at fault; null for the whole request.")
    code = graphene.Field(ErrorCode, required=True)
    message = graphene.String(required=True)


def api_field(path: str | None) -> str | None:
    """A domain field path in the API's names: each part in camelCase, as graphene names
    the schema's fields and arguments ("shipping_address.postal_code" →
    "shippingAddress.postalCode"); list indexes stay as they are."""
    if path is None:
        return None
    return ".".join(to_camel_case(part) for part in path.split("."))


def to_errors(exc: DomainError) -> list[Error]:
    return [
        Error(field=api_field(e.field), code=e.code, message=str(e.message)) for e in exc.errors
    ]


class QueryError(GraphQLError):
    """Every field error of a DomainError raised while resolving a query. A resolver can
    raise only one error, so this one carries the first; `each_error` makes the others
    GraphQL errors of their own before the response is sent."""

    def __init__(self, exc: DomainError) -> None:
        self.errors = to_errors(exc)
        first = self.errors[0]
        super().__init__(first.message, extensions=_extensions(first))


def _extensions(error: Error) -> dict:
    return {"code": error.code, "field": error.field}


def query_error(exc: DomainError) -> QueryError:
    """A DomainError raised while resolving a query: GraphQL errors with its codes."""
    return QueryError(exc)


def each_error(errors: list[GraphQLError]) -> list[GraphQLError]:
    """The execution's errors with each QueryError's field errors reported one by one,
    at the same path and location."""
    result: list[GraphQLError] = []
    for error in errors:
        original = error.original_error
        if not isinstance(original, QueryError) or len(original.errors) == 1:
            result.append(error)
            continue
        result.append(error)
        result.extend(
            GraphQLError(
                other.message,
                error.nodes,
                error.source,
                error.positions,
                error.path,
                extensions=_extensions(other),
            )
            for other in original.errors[1:]
        )
    return result
