"""docs/api/schema.graphql is the whole served schema as committed, so a change to the API
shows in review as a change to that file."""

from __future__ import annotations

from pathlib import Path

from graphql import print_schema

from marketplace.api.schema import schema

SNAPSHOT = Path(__file__).resolve().parents[2] / "docs" / "api" / "schema.graphql"


def test_the_served_schema_is_the_committed_snapshot():
    assert print_schema(schema.graphql_schema) == SNAPSHOT.read_text(encoding="utf-8"), (
        "The served schema differs from docs/api/schema.graphql: review the change and "
        "regenerate it with `.venv/bin/python manage.py graphql_schema`."
    )
