"""Hand-written SQL for the hot paths, with the ORM's knowledge of the schema.

Compiling an ORM query (select_related over several tables, a subquery or two) costs
milliseconds of CPU on every request, several times what PostgreSQL needs to answer the
hot reads; so those statements are written out. They still take every table, column
and join from the models:

- `Table("p", Product)` names a model under an alias: `p.ref` is the table for FROM or
  JOIN (`"catalog_product" p`), `p.c.seller` the column of a field (`p."seller_id"`);
- `on(p, "seller", s)` joins on a foreign key: p's key equals the column it points to;
- a `Shape` is what a statement selects: its tables' columns, each table after the
  first joined to the one it hangs from (`parent`: an alias and a foreign key of that
  table; LEFT when the key is nullable or its table was LEFT-joined), then extra
  columns named after the fields of the statement's own NamedTuple. Each row becomes
  the first table's instance (`Model.from_db`) with the others cached on it, as
  select_related leaves them, and the extras by name. The column lists are built once
  per statement, not per request.

`NewRows(Model)` writes any number of new rows by one INSERT over unnested arrays, one
per column, with the values as the model would save them.

Every statement is registered by name with the indexes its plan must use (`statement`);
tests/core/test_sql_plans.py EXPLAINs each against a seeded database.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cache
from typing import Any, Generic, NamedTuple, TypeVar

from django.db import connection
from django.db.models import NOT_PROVIDED, Model

E = TypeVar("E", bound=tuple)


def quote(name: str) -> str:
    return connection.ops.quote_name(name)


def table_name(model: type[Model]) -> str:
    return quote(model._meta.db_table)


def column(model: type[Model], name: str) -> str:
    """The quoted column of field `name` ("pk": the primary key)."""
    field = model._meta.pk if name == "pk" else model._meta.get_field(name)
    return quote(field.column)


class Columns:
    """`t.c.name`: the column of field `name` under the table's alias."""

    __slots__ = ("_alias", "_model")

    def __init__(self, alias: str, model: type[Model]) -> None:
        self._alias = alias
        self._model = model

    def __getattr__(self, name: str) -> str:
        if name.startswith("_"):
            raise AttributeError(name)
        return f"{self._alias}.{column(self._model, name)}"


class Table(NamedTuple):
    alias: str
    model: type[Model]
    parent: tuple[str, str] | None = None  # (parent alias, foreign key on the parent)
    skipped: frozenset[str] = frozenset()  # large columns nobody reads here

    @property
    def ref(self) -> str:
        return f"{table_name(self.model)} {self.alias}"

    @property
    def c(self) -> Columns:
        return Columns(self.alias, self.model)

    def col(self, name: str) -> str:
        """`t.c.<name>` for a name held in a variable."""
        return f"{self.alias}.{column(self.model, name)}"


def on(holder: Table, key: str, target: Table) -> str:
    """The join condition of `holder`'s foreign key `key` to `target`."""
    field = holder.model._meta.get_field(key)
    if field.related_model is not target.model:
        raise ValueError(f"{holder.model.__name__}.{key} does not point to {target.model}")
    return f"{holder.col(key)} = {target.alias}.{quote(field.target_field.column)}"


def join(table: Table, condition: str, *, outer: bool = False) -> str:
    return f"{'LEFT ' if outer else ''}JOIN {table.ref} ON {condition}"


def path(table: Table, name: str, related: dict[str, Table] | None = None) -> str:
    """The column of a field of `table`, or of "relation__field": the field of the table
    `related` holds for that foreign key of `table`."""
    relation, _, field = name.rpartition("__")
    if not relation:
        return table.col(name)
    source = (related or {})[relation]
    if table.model._meta.get_field(relation).related_model is not source.model:
        raise ValueError(f"{table.model.__name__}.{relation} does not point to {source.model}")
    return source.col(field)


def json_object(
    fields: dict[str, str], table: Table, related: dict[str, Table] | None = None
) -> str:
    """jsonb_build_object of a row: each key of `fields` with the column of its field
    (see `path`)."""
    pairs = ", ".join(f"'{key}', {path(table, name, related)}" for key, name in fields.items())
    return f"jsonb_build_object({pairs})"


class NoExtra(NamedTuple):
    pass


def named(extra: type[tuple], **columns: str) -> str:
    """Columns (SQL) selected under the names of `extra`'s fields, in their order: the
    keywords must be exactly those fields, so a row read with `extra._make` gets each
    value under its own name."""
    if tuple(columns) != extra._fields:
        raise ValueError(f"columns {tuple(columns)} are not {extra.__name__}{extra._fields}")
    return ", ".join(f"{sql} AS {quote(name)}" for name, sql in columns.items())


def positions(extra: type[E], start: int) -> E:
    """Where each of `extra`'s columns sits in a row whose extra columns begin at `start`
    (see `named`): for the hottest loops, which read a row's values by these positions
    rather than building an `extra` per row."""
    return extra._make(range(start, start + len(extra._fields)))


class _Part(NamedTuple):
    """How to cut one table's instance out of a row."""

    model: type[Model]
    attnames: list[str]
    start: int
    stop: int
    pk: int  # position of the primary key in the row: NULL when a LEFT JOIN found nothing
    parent: int | None  # index of the part this one is cached on
    relation: Any  # the parent's foreign key to this table


class Shape(Generic[E]):
    """What a statement selects: the tables' model instances, then `extra`'s columns.
    Everything about the layout is worked out here, once; reading a row only slices it."""

    def __init__(self, tables: Sequence[Table], extra: type[E] = NoExtra) -> None:
        self.tables = tuple(tables)
        self.extra = extra
        self._parts: list[_Part] = []
        self._columns: list[str] = []
        aliases: dict[str, int] = {}
        start = 0
        for index, table in enumerate(self.tables):
            fields = [f for f in table.model._meta.concrete_fields if f.name not in table.skipped]
            attnames = [f.attname for f in fields]
            parent = relation = None
            if table.parent is not None:
                parent = aliases[table.parent[0]]
                relation = self.tables[parent].model._meta.get_field(table.parent[1])
                if relation.related_model is not table.model:
                    raise ValueError(f"{table.parent} does not point to {table.model}")
            stop = start + len(attnames)
            pk = start + attnames.index(table.model._meta.pk.attname)
            self._parts.append(_Part(table.model, attnames, start, stop, pk, parent, relation))
            self._columns += [f"{table.alias}.{quote(f.column)}" for f in fields]
            aliases[table.alias] = index
            start = stop
        self._stop = start

    @property
    def width(self) -> int:
        """How many columns `select()` lists (the shape's `extra` included, not columns
        passed to `select(**extra)`): a statement selecting two shapes side by side reads
        the second from this column on."""
        return self._stop + len(self.extra._fields)

    def select(self, **extra: str) -> str:
        """The SELECT list: every table's columns, then the extra columns (see `named`)."""
        if extra or self.extra._fields:
            return ", ".join([*self._columns, named(self.extra, **extra)])
        return ", ".join(self._columns)

    @property
    def joins(self) -> str:
        """The JOIN clauses of every table after the first, from their foreign keys."""
        outer: set[int] = set()
        clauses = []
        for index, (table, part) in enumerate(zip(self.tables, self._parts, strict=True)):
            if part.parent is None:
                continue
            left = part.relation.null or part.parent in outer
            if left:
                outer.add(index)
            parent = self.tables[part.parent]
            clauses.append(join(table, on(parent, table.parent[1], table), outer=left))
        return "\n".join(clauses)

    def where(self, *conditions: str) -> str:
        """SELECT the shape's columns over its tables where all `conditions` hold."""
        return (
            f"SELECT {self.select()}\n  FROM {self.tables[0].ref}\n{self.joins}\n"
            f" WHERE {' AND '.join(conditions)}\n"
        )

    def one(self, statement: str, params: Sequence[Any]) -> Model | None:
        """The first table's instance of the statement's one row, or None."""
        with connection.cursor() as cursor:
            cursor.execute(statement, params)
            row = cursor.fetchone()
        return None if row is None else self.instance(row)

    def instance(self, row: Sequence[Any]) -> Model:
        """The first table's instance, with the others cached on it."""
        db = connection.alias
        made: list[Model | None] = []
        for model, attnames, start, stop, pk, parent, relation in self._parts:
            instance = None if row[pk] is None else model.from_db(db, attnames, row[start:stop])
            made.append(instance)
            if parent is not None:
                owner = made[parent]
                if owner is not None:
                    relation.set_cached_value(owner, instance)
        return made[0]

    def read(self, row: Sequence[Any]) -> tuple[Model, E]:
        """The instance and the extra columns by name."""
        return self.instance(row), self.extra._make(row[self._stop :])


class NewRows:
    """New rows of `model` written by one statement whatever their number: each column's
    values go as one array, unnested into rows (`insert`), as the model saves them
    (defaults, the creation time: `parameters`)."""

    def __init__(self, model: type[Model]) -> None:
        self.model = model
        self.fields = tuple(f for f in model._meta.concrete_fields if not f.primary_key)
        # The database's own default cannot travel in an array of values.
        computed = [f.name for f in self.fields if f.db_default is not NOT_PROVIDED]
        if computed:
            raise ValueError(f"{model.__name__} has database defaults: {computed}")

    @property
    def columns(self) -> str:
        return ", ".join(quote(f.column) for f in self.fields)

    def insert(self) -> str:
        arrays = ", ".join(f"%s::{f.db_type(connection)}[]" for f in self.fields)
        return (
            f"INSERT INTO {table_name(self.model)} ({self.columns})\nSELECT * FROM unnest({arrays})"
        )

    def parameters(self, rows: Sequence[Model]) -> list[list[Any]]:
        return [
            [f.get_db_prep_save(f.pre_save(row, add=True), connection) for row in rows]
            for f in self.fields
        ]


# ---------------------------------------------------------------- the registry


class Index(NamedTuple):
    """An index of `model` whose key starts with the columns of `fields`, whatever its
    name (Django names the indexes of foreign keys with a hash)."""

    model: type[Model]
    fields: tuple[str, ...]

    @property
    def columns(self) -> tuple[str, ...]:
        meta = self.model._meta
        return tuple((meta.pk if f == "pk" else meta.get_field(f)).column for f in self.fields)


def index(model: type[Model], *fields: str) -> Index:
    return Index(model, fields)


class Statement(NamedTuple):
    name: str
    sql: Callable[[], str]
    # Every one must appear in the statement's plan: an Index, or the name of an index
    # of a table no model describes (the search vocabulary).
    uses: tuple[Index | str, ...]


STATEMENTS: dict[str, Statement] = {}


def statement(
    name: str, *, uses: Sequence[Index | str] = ()
) -> Callable[[Callable[[], str]], Callable[[], str]]:
    """Register a function that builds a statement; it runs once (cached). `uses`: the
    indexes its plan must use on a seeded database (none for statements over tables
    small enough that reading them whole is the better plan)."""

    def register(build: Callable[[], str]) -> Callable[[], str]:
        if name in STATEMENTS:
            raise ValueError(f"Statement {name!r} is registered twice.")
        cached = cache(build)
        STATEMENTS[name] = Statement(name, cached, tuple(uses))
        return cached

    return register
