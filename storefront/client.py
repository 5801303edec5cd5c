"""The storefront's only way to the marketplace: its public GraphQL API, run in process
(default) or over HTTP when STOREFRONT_API_URL is set."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

import requests


class APIError(Exception):
    pass


@dataclass
class Result:
    data: dict[str, Any]


def execute(request, query: str, variables: dict | None = None) -> Result:
    url = os.environ.get("STOREFRONT_API_URL")
    if url:
        headers = {"Accept-Language": getattr(request, "LANGUAGE_CODE", "fa")}
        token = request.session.get("token") if hasattr(request, "session") else None
        if token:
            headers["Authorization"] = f"Bearer {token}"
        response = requests.post(
            url, json={"query": query, "variables": variables or {}}, headers=headers, timeout=10
        )
        body = response.json()
    else:
        from marketplace.api.schema import schema

        outcome = schema.execute(query, variable_values=variables or {}, context_value=request)
        body = {"data": outcome.data, "errors": [str(e) for e in outcome.errors or []]}
    if body.get("errors"):
        raise APIError(body["errors"])
    return Result(data=body["data"])
