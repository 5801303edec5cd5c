"""Pages of a connection, by the `?after=` cursor of the "more" link."""

from __future__ import annotations

from django.http import HttpRequest

from storefront import client


def paged_query(request: HttpRequest, document: str, variables: dict) -> dict:
    """A query with the page cursor from `?after=`; a cursor the API refuses (typed by
    hand, or from an older list) gives the first page."""
    after = request.GET.get("after") or None
    try:
        return client.query(request, document, {**variables, "after": after})
    except client.APIError:
        if after is None:
            raise
        return client.query(request, document, {**variables, "after": None})


def page(connection: dict) -> tuple[list[dict], str | None]:
    nodes = [edge["node"] for edge in connection["edges"]]
    info = connection["pageInfo"]
    return nodes, info["endCursor"] if info["hasNextPage"] else None
