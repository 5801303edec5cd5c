import graphene
from graphql import GraphQLError

from marketplace.core.errors import DomainError


class Error(graphene.ObjectType):
    field = graphene.String(description="The input field at fault; null for the whole request.")
    code = graphene.String(required=True)
    message = graphene.String(required=True)


def to_errors(exc: DomainError) -> list[Error]:
    return [Error(field=e.field, code=e.code, message=str(e.message)) for e in exc.errors]


def query_error(exc: DomainError) -> GraphQLError:
    """A DomainError raised while resolving a query becomes a GraphQL error with its code."""
    first = exc.errors[0]
    return GraphQLError(str(first.message), extensions={"code": first.code, "field": first.field})
