"""What many tests read back (global IDs, error codes, query counts) and the outbox's
jobs they run as the worker would."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest
from django.db import connection
from django.db.models import Model
from django.test.utils import CaptureQueriesContext
from graphql_relay import to_global_id

if TYPE_CHECKING:
    from marketplace.core.errors import DomainError


def gid(target: Model | str, pk: object = None) -> str:
    """The global ID of a model instance under its model's name (`gid(product)`), or under
    a GraphQL type name of a primary key or an instance (`gid("Product", 42)`,
    `gid("Product", product)`)."""
    if isinstance(target, str):
        return to_global_id(target, str(pk.pk if isinstance(pk, Model) else pk))
    return to_global_id(type(target).__name__, str(target.pk))


def codes(
    source: dict | DomainError | pytest.ExceptionInfo[DomainError],
) -> list[tuple[str | None, str]]:
    """The (field, code) pairs, in order, of a mutation payload's `errors` or of a
    DomainError (raised, or caught by `pytest.raises`)."""
    if isinstance(source, dict):
        return [(error["field"], error["code"]) for error in source["errors"]]
    if isinstance(source, pytest.ExceptionInfo):
        source = source.value
    return [(error.field, error.code) for error in source.errors]


def codes_by_field(
    source: dict | DomainError | pytest.ExceptionInfo[DomainError],
) -> dict[str | None, str]:
    """`codes` as a mapping from field to code."""
    return dict(codes(source))


def count_queries(call: Callable, *args, **kwargs) -> tuple[int, object]:
    """How many queries `call(*args, **kwargs)` makes, and what it returns."""
    with CaptureQueriesContext(connection) as context:
        result = call(*args, **kwargs)
    return len(context.captured_queries), result


def run_jobs(task: str) -> list:
    """Run the outbox's pending jobs of `task` as the worker would; their results."""
    import importlib

    from celery import current_app

    from marketplace.core.models import Job

    importlib.import_module(task.rsplit(".", 1)[0])  # registers the task
    jobs = list(Job.objects.filter(task=task, status="PENDING"))
    return [current_app.tasks[task].apply(kwargs=job.kwargs).get() for job in jobs]
