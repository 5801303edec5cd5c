"""The response cache of anonymous catalogue reads.

Past about half of the bare-SQL floor only caching makes a catalogue page faster
(PERFORMANCE.md). A query operation sent without credentials, whose root fields are all
catalogue reads, has its JSON response cached under a key made of the document, the
variables, the operation name, the language and the catalogue version. Every catalogue
write bumps the version (on commit), so a changed product, price or stock is never
served stale; the TTL bounds what the version does not track.
"""

from __future__ import annotations

import hashlib
import json
import logging
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from graphql import (
    FieldNode,
    FragmentSpreadNode,
    GraphQLSchema,
    InlineFragmentNode,
    OperationType,
    SelectionSetNode,
)
from graphql.error import GraphQLError
from graphql.utilities import get_operation_ast

from marketplace.core import redis_guard
from marketplace.core.versioning import catalog_version

# Root fields whose answer depends only on the catalogue (and the request's arguments
# and language), never on who asks when nobody is signed in.
CATALOGUE_READS = frozenset(
    {
        "products",
        "product",
        "categories",
        "channels",
        "cooperatives",
        "cooperative",
        "sellers",
        "seller",
        "villages",
        "__typename",
    }
)
logger = logging.getLogger(__name__)
HEADER = "X-Cache"
DEFAULT_SECONDS = 60
MAX_FRAGMENT_DEPTH = 10


def ttl() -> int:
    """Seconds to keep a response (API_RESPONSE_CACHE_SECONDS); 0 turns the cache off.
    Off by default under tests, whose databases change without commits."""
    value = getattr(settings, "API_RESPONSE_CACHE_SECONDS", None)
    if value is None:
        return 0 if getattr(settings, "TESTING", False) else DEFAULT_SECONDS
    return max(int(value), 0)


def _request_params(request: HttpRequest) -> tuple[str, Any, str | None] | None:
    """(query, variables, operation name) of a plain JSON POST or a GET; None otherwise
    (multipart uploads and batches are never cached)."""
    if request.method == "GET":
        if "text/html" in request.META.get("HTTP_ACCEPT", ""):
            return None  # GraphiQL's page, not an answer
        data: Any = request.GET
        variables = data.get("variables")
        if isinstance(variables, str):
            try:
                variables = json.loads(variables) if variables else None
            except ValueError:
                return None
    elif request.method == "POST" and request.content_type == "application/json":
        try:
            data = json.loads(request.body or b"{}")
        except ValueError:
            return None
        if not isinstance(data, dict):
            return None
        variables = data.get("variables")
    else:
        return None
    query = data.get("query")
    operation_name = data.get("operationName") or None
    if not isinstance(query, str) or not query:
        return None
    if variables is not None and not isinstance(variables, dict):
        return None
    if operation_name is not None and not isinstance(operation_name, str):
        return None
    return query, variables, operation_name


def _root_fields(selection_set: SelectionSetNode, fragments: dict, depth: int = 0) -> set[str]:
    names: set[str] = set()
    if depth > MAX_FRAGMENT_DEPTH:
        return {"\0"}
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            names.add(selection.name.value)
        elif isinstance(selection, InlineFragmentNode):
            names |= _root_fields(selection.selection_set, fragments, depth + 1)
        elif isinstance(selection, FragmentSpreadNode):
            fragment = fragments.get(selection.name.value)
            if fragment is None:
                return {"\0"}
            names |= _root_fields(fragment.selection_set, fragments, depth + 1)
    return names


def _is_anonymous(request: HttpRequest) -> bool:
    if "HTTP_AUTHORIZATION" in request.META:
        return False
    user = getattr(request, "user", None)
    return user is None or not user.is_authenticated


def cache_key(request: HttpRequest, schema: GraphQLSchema, documents) -> str | None:
    """The key to cache this request's response under, or None when it must not be."""
    if ttl() <= 0 or not _is_anonymous(request):
        return None
    params = _request_params(request)
    if params is None:
        return None
    query, variables, operation_name = params
    try:
        document, errors = documents.get(schema, query)
    except GraphQLError:
        return None
    if errors:
        return None
    operation = get_operation_ast(document, operation_name)
    if operation is None or operation.operation != OperationType.QUERY:
        return None
    fragments = {d.name.value: d for d in document.definitions if d.kind == "fragment_definition"}
    if not _root_fields(operation.selection_set, fragments) <= CATALOGUE_READS:
        return None
    language = getattr(request, "LANGUAGE_CODE", "") or ""
    material = "\0".join(
        [
            query,
            json.dumps(variables or {}, sort_keys=True, ensure_ascii=False, default=str),
            operation_name or "",
            language,
        ]
    )
    digest = hashlib.sha256(material.encode("utf-8", "surrogatepass")).hexdigest()
    # The version goes in the key, read before the query runs: a write committed while
    # it runs makes this entry unreachable rather than stale.
    version = catalog_version()
    if version is None:
        return None  # the cache cannot be reached: answer uncached
    return f"api:response:{version}:{digest}"


def cached_response(key: str) -> HttpResponse | None:
    content = redis_guard.call(
        lambda: cache.get(key), failure="Response cache unavailable", log=logger
    )
    if content is None or content is redis_guard.UNAVAILABLE:
        return None
    response = HttpResponse(content, content_type="application/json")
    response[HEADER] = "HIT"
    return response


def store(key: str, response: HttpResponse) -> None:
    """Keep a successful response without errors (errors may be passing: never cache them)
    and no larger than API_RESPONSE_CACHE_MAX_BYTES."""
    response[HEADER] = "MISS"
    if response.status_code != 200 or getattr(response, "streaming", False):
        return
    content = response.content
    # A large answer would take the cache's memory from the ordinary pages it speeds up.
    if len(content) > settings.API_RESPONSE_CACHE_MAX_BYTES:
        return
    # `"errors":` can appear in a JSON body only as a key: string values escape quotes.
    if b'"errors":' in content:
        return
    redis_guard.call(
        lambda: cache.set(key, content, ttl()), failure="Response not cached", log=logger
    )
