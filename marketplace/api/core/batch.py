"""Batch loading for synchronous resolvers.

A list or connection resolver marks each object it returns with its siblings; the first
time a relation is resolved on one of them, it is loaded for all siblings in one query
and cached on the request. A page of 100 costs the same queries as a page of 1.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from typing import Any

_SIBLINGS = "_batch_siblings"


def mark_siblings(objects: list[Any], *, keep_existing: bool = False) -> list[Any]:
    """Group objects for batch loading; `keep_existing` leaves objects that a loader already
    grouped (with their cousins from other parents) in their larger group."""
    for obj in objects:
        if keep_existing and hasattr(obj, _SIBLINGS):
            continue
        try:
            setattr(obj, _SIBLINGS, objects)
        except AttributeError:
            break
    return objects


def load(
    info,
    name: str,
    obj: Any,
    *,
    key: Callable[[Any], Hashable],
    fetch: Callable[[list[Hashable]], dict[Hashable, Any]],
    default: Any = None,
) -> Any:
    """The value of relation `name` for `obj`, fetched for all its siblings at once."""
    store = _request_store(info).setdefault(name, {})
    obj_key = key(obj)
    if obj_key is None:
        return default() if callable(default) else default
    if obj_key not in store:
        siblings: Iterable[Any] = getattr(obj, _SIBLINGS, None) or [obj]
        keys = {key(sibling) for sibling in siblings} | {obj_key}
        keys = [k for k in keys if k is not None and k not in store]
        found = fetch(keys)
        _group_loaded(found.values())
        for k in keys:
            store[k] = found.get(k, default() if callable(default) else default)
    return store[obj_key]


def _group_loaded(values) -> None:
    """Objects loaded together are siblings for the next level of loading."""
    loaded: list[Any] = []
    for value in values:
        if isinstance(value, list):
            loaded.extend(value)
        elif value is not None:
            loaded.append(value)
    mark_siblings(loaded)


def _request_store(info) -> dict:
    context = info.context
    store = getattr(context, "_batch_store", None)
    if store is None:
        store = {}
        context._batch_store = store
    return store
