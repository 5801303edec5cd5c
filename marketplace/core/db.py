"""Prepared statements, where they pay.

Django runs every statement unprepared, so PostgreSQL parses and plans it each time. For
the fixed-shape writes and key lookups of mutations (a checkout runs about seventy), the
planning is most of the server's CPU, and a plan made once for any parameters (the
generic plan PostgreSQL keeps for a prepared statement) is as good as a fresh one. For
catalogue and search reads it is not: their best plan depends on the values (how common
a word is, how many products a category holds), so they stay unprepared.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db import connection


def _prepare_repeated(execute, sql, params, many, context):
    # psycopg prepares a statement once it has run `prepare_threshold` times on the
    # connection; with None it runs every statement unprepared (Django's setting).
    raw = context["connection"].connection
    previous, raw.prepare_threshold = raw.prepare_threshold, settings.DB_PREPARE_THRESHOLD
    try:
        return execute(sql, params, many, context)
    finally:
        raw.prepare_threshold = previous


@contextmanager
def prepared_statements() -> Iterator[None]:
    """Statements run inside are prepared on the server once they repeat
    (DB_PREPARE_THRESHOLD runs on the connection) and then run from their plan."""
    if settings.DB_PREPARE_THRESHOLD is None:
        yield
        return
    with connection.execute_wrapper(_prepare_repeated):
        yield
