"""Relay connections without the per-page COUNT: fetch first+1 rows for hasNextPage and
count only when totalCount is asked for (docs/PERFORMANCE.md)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import graphene
from django.conf import settings
from django.utils.translation import gettext as _
from graphene.relay import PageInfo
from graphene.types.utils import get_type
from graphql import GraphQLError
from graphql_relay import cursor_to_offset, offset_to_cursor

from marketplace.api.core.batch import mark_siblings


@dataclass
class Edge:
    node: Any
    cursor: str


@dataclass
class PageInfoData:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None


@dataclass
class Page:
    edges: list[Edge]
    page_info: PageInfoData
    count: Callable[[], int] = field(repr=False)


MAX_OFFSET = 10**9


def _offset(cursor: str | None, name: str) -> int | None:
    if cursor is None:
        return None
    offset = cursor_to_offset(cursor) if len(cursor) < 100 else None
    # An offset past any real list is a forged cursor; PostgreSQL would refuse it as
    # out of bigint range rather than return an empty page.
    if offset is None or not 0 <= offset <= MAX_OFFSET:
        raise GraphQLError(_("The %(argument)s cursor is not valid.") % {"argument": name})
    return offset


def _limit(value: int | None, name: str) -> int | None:
    if value is None:
        return None
    maximum = settings.GRAPHQL_MAX_FIRST
    if value < 0 or value > maximum:
        raise GraphQLError(
            _("%(argument)s must be between 0 and %(maximum)d.")
            % {"argument": name, "maximum": maximum}
        )
    return value


def window(first: int | None, after: str | None, *, default: int) -> tuple[int, int]:
    """(offset, size) of the page `first`/`after` ask for, checked as `paginate` checks
    them: for connections that read their pages themselves (several parents at once)."""
    size = _limit(first, "first")
    start = (_offset(after, "after") or -1) + 1 if after is not None else 0
    return start, default if size is None else size


def paginate(
    rows,
    *,
    first: int | None = None,
    after: str | None = None,
    last: int | None = None,
    before: str | None = None,
) -> Page:
    """A page of an ordered queryset or list; `rows` is sliced, never fully loaded."""
    first = _limit(first, "first")
    last = _limit(last, "last")
    start = (_offset(after, "after") or -1) + 1 if after is not None else 0
    end = _offset(before, "before")
    if first is None and last is None:
        first = settings.GRAPHQL_MAX_FIRST
    is_list = isinstance(rows, Sequence)

    def count() -> int:
        return len(rows) if is_list else rows.count()

    if first is not None:
        stop = start + first + 1
        if end is not None:
            stop = min(stop, end)
        nodes = list(rows[start:stop])
        has_next = len(nodes) > first or (end is not None and start + len(nodes) < end)
        nodes = nodes[:first]
        if last is not None and len(nodes) > last:
            start += len(nodes) - last
            nodes = nodes[-last:] if last else []
        has_previous = start > 0
    else:
        if end is None:
            end = count()
        begin = max(start, end - last)
        nodes = list(rows[begin:end])
        has_previous = begin > 0
        has_next = False
        start = begin
    mark_siblings(nodes, keep_existing=True)
    edges = [Edge(node=node, cursor=offset_to_cursor(start + i)) for i, node in enumerate(nodes)]
    return Page(
        edges=edges,
        page_info=PageInfoData(
            has_next_page=has_next,
            has_previous_page=has_previous,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        ),
        count=count,
    )


_connections: dict[str, type[graphene.ObjectType]] = {}


def countable_connection(name: str, node_type) -> type[graphene.ObjectType]:
    """`<name>CountableConnection` with `<name>CountableEdge`, built once per node type."""
    if name in _connections:
        return _connections[name]
    edge = type(
        f"{name}CountableEdge",
        (graphene.ObjectType,),
        {
            "node": graphene.Field(graphene.NonNull(node_type)),
            "cursor": graphene.String(required=True),
        },
    )

    def resolve_total_count(root: Page, info) -> int:
        return root.count()

    connection = type(
        f"{name}CountableConnection",
        (graphene.ObjectType,),
        {
            "edges": graphene.List(graphene.NonNull(edge), required=True),
            "page_info": graphene.Field(PageInfo, required=True),
            "total_count": graphene.Int(),
            "resolve_total_count": staticmethod(resolve_total_count),
        },
    )
    _connections[name] = connection
    return connection


def connection_field(
    name: str, node_type, *, backward: bool = False, **arguments
) -> graphene.Field:
    """A connection field; `node_type` may be a lambda or an import string for a type
    defined later or in a module that imports this one's."""

    def connection():
        return countable_connection(name, get_type(node_type))

    paging = {"first": graphene.Int(), "after": graphene.String()}
    if backward:
        paging |= {"last": graphene.Int(), "before": graphene.String()}
    return graphene.Field(graphene.NonNull(connection), **arguments, **paging)
