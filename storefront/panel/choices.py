"""Lists the panel's forms choose from: categories, cooperatives and villages (found by
a search the visitor types, so the page never carries the whole gazetteer)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from storefront import client
from storefront.panel import queries

MAX_VILLAGE_QUERY = 100


def _nodes(connection: dict[str, Any]) -> list[dict[str, Any]]:
    return [edge["node"] for edge in connection["edges"]]


def categories(request: HttpRequest) -> list[dict[str, str]]:
    """Every category as {id, label}: a subcategory shows its parent, "Food › Saffron"."""
    nodes = _nodes(client.query(request, queries.CATEGORY_CHOICES)["categories"])
    options = []
    for node in nodes:
        parent = node.get("parent")
        label = f"{parent['name']} › {node['name']}" if parent else node["name"]
        options.append({"id": node["id"], "label": label})
    return sorted(options, key=lambda option: option["label"])


def cooperatives(request: HttpRequest) -> list[dict[str, str]]:
    return _nodes(client.query(request, queries.COOPERATIVE_CHOICES)["cooperatives"])


def villages(
    request: HttpRequest, search: str, current: dict[str, Any] | None = None
) -> list[dict[str, str]]:
    """Villages matching `search`, with `current` (the one already chosen) first."""
    found: list[dict[str, str]] = []
    search = search.strip()[:MAX_VILLAGE_QUERY]
    if search:
        try:
            found = _nodes(client.query(request, queries.VILLAGE_SEARCH, {"q": search})["villages"])
        except client.APIError:
            found = []
    if current and current.get("id") and all(v["id"] != current["id"] for v in found):
        found.insert(0, current)
    return found
