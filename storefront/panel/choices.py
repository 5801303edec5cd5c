"""Lists the panel's forms choose from: categories, cooperatives and villages (found by
a search the visitor types, so the page never carries the whole gazetteer)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _

from storefront import client
from storefront.panel import forms, queries

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


PROPOSAL_FIELDS = {"name": "new_village", "county": "new_village_county"}


def chosen_village(request: HttpRequest, form: forms.Form, data) -> str:
    """The village ID the form names: the one picked from the list or, when the producer
    typed a village the list lacks, the proposed one the API keeps for review."""
    picked = forms.text(form, data, "village", max_length=100)
    name = forms.text(form, data, "new_village", max_length=150)
    county = forms.text(form, data, "new_village_county", max_length=100)
    if not name and not county:
        return picked
    if not name or not county:
        missing = "new_village" if not name else "new_village_county"
        form.add(missing, _("Give both the village's name and its county."))
        return picked
    if not form.valid:
        return picked
    payload, errors = client.mutate(
        request, queries.VILLAGE_PROPOSE, {"name": name, "county": county}, root="villagePropose"
    )
    if errors:
        form.merge(errors, PROPOSAL_FIELDS)
        return picked
    village = payload["village"]
    form.values |= {"village": village["id"], "village_q": village["name"]}
    form.values |= {"new_village": "", "new_village_county": ""}
    form.values["proposed_village"] = village
    return village["id"]
