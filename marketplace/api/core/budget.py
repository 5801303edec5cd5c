"""Each client's budget of costly documents, charged before a document runs.

The limits (api/core/limits.py) bound one document; they do not bound a client that
sends the costliest accepted document again and again. Nine aliased searches of 100
cards pass the cost limit and take about half a second of a worker; two clients sending
such documents back to back held two of the three web workers and tripled the p95 of
ordinary pages (bench/abuse_bench.py). So a document that costs more than
GRAPHQL_COST_FREE is counted, at its cost, against its client address's
GRAPHQL_COST_BUDGET for GRAPHQL_COST_BUDGET_SECONDS in the shared throttle store; past
the budget it is refused (429, `extensions.limit` "costBudget") until the window ends.
Every storefront and panel document costs less than GRAPHQL_COST_FREE
(tests/api/test_query_limits.py), so pages are never counted and pay no extra round trip.

The default budget is one document at the cost limit every 10 seconds. The window is
short on purpose: 100,000 a minute let two clients hold two of three workers for the
first seconds of every minute, as long as ordinary pages' p95 was measured over.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from graphql import (
    DocumentNode,
    FragmentDefinitionNode,
    GraphQLError,
    GraphQLSchema,
    OperationDefinitionNode,
)

from marketplace.api.core.limits import max_cost, measure
from marketplace.core import throttle
from marketplace.core.errors import ErrorCode

SCOPE = "graphql-cost"
LIMIT = "costBudget"


def cost_of(
    schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode
) -> int:
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    return measure(schema, operation, fragments, cost_limit=max_cost()).cost


def refusal(
    request: HttpRequest,
    schema: GraphQLSchema,
    document: DocumentNode,
    operation: OperationDefinitionNode,
) -> GraphQLError | None:
    """Charge the operation's cost to the caller's address when it is over the free
    cost; the error to answer instead of running it once the budget is spent (the
    charge given back), else None."""
    cost = cost_of(schema, document, operation)
    if cost <= settings.GRAPHQL_COST_FREE:
        return None
    budget = settings.GRAPHQL_COST_BUDGET
    window = settings.GRAPHQL_COST_BUDGET_SECONDS
    client = request.META.get("REMOTE_ADDR") or "unknown"
    if throttle.allow(SCOPE, client, limit=budget, window=window, amount=cost):
        return None
    # A refused document does not run: it spends none of the budget, so a client that
    # keeps asking is refused only for what it ran, not for what it asked.
    throttle.give_back(SCOPE, client, window=window, amount=cost)
    message = _(
        "Your connection has sent queries costing more than %(budget)d in %(seconds)d "
        "seconds, the cost budget; this one costs %(cost)d. Ask for smaller pages, or try "
        "again in a few seconds."
    ) % {"budget": budget, "seconds": window, "cost": cost}
    return GraphQLError(
        message,
        operation,
        extensions={
            "code": ErrorCode.THROTTLED.value,
            "limit": LIMIT,
            "maximum": budget,
            "cost": cost,
        },
    )
