"""Model instances with their relations from one hand-written statement, as
select_related would leave them, without compiling an ORM query per request.

Compiling a select_related query over several tables costs milliseconds of CPU on every
request, several times what PostgreSQL needs to answer it. Here a statement's columns are
generated once from the models' own column lists, and each row is cut into instances with
`Model.from_db` and the relations cached on them, so the API cannot tell the difference.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any, NamedTuple

from django.db import connection
from django.db.models import Model


class Table(NamedTuple):
    alias: str
    model: type[Model]
    join: str  # "" for the first table
    parent: tuple[str, str] | None = None  # (parent alias, relation name on the parent)
    skipped: frozenset[str] = frozenset()  # large columns nobody reads here


@cache
def fields(table: Table) -> tuple:
    return tuple(f for f in table.model._meta.concrete_fields if f.name not in table.skipped)


@cache
def attnames(table: Table) -> list[str]:
    # Computed once per table: build runs for every row of hot requests.
    return [f.attname for f in fields(table)]


def columns(tables: Sequence[Table]) -> str:
    return ", ".join(f'{t.alias}."{f.column}"' for t in tables for f in fields(t))


def joins(tables: Sequence[Table]) -> str:
    return "\n".join(t.join for t in tables if t.join)


def build(row: Sequence[Any], tables: Sequence[Table]) -> tuple[Model, int]:
    """The first table's instance from `row`, with the others cached on it; and the
    index of the first column after the tables'."""
    db = connection.alias
    instances: dict[str, Model | None] = {}
    start = 0
    for table in tables:
        names = attnames(table)
        values = row[start : start + len(names)]
        start += len(names)
        instance = None
        if values[0] is not None:  # the id: NULL when a LEFT JOIN found nothing
            instance = table.model.from_db(db, names, values)
        instances[table.alias] = instance
        if table.parent is not None:
            owner = instances[table.parent[0]]
            if owner is not None:
                owner._meta.get_field(table.parent[1]).set_cached_value(owner, instance)
    return instances[tables[0].alias], start
