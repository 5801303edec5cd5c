"""Prepared statements: for the repeated statements of mutations, not for reads whose
best plan depends on their values (marketplace.core.db)."""

from __future__ import annotations

import pytest
from django.db import connection

from marketplace.channels.models import Channel
from marketplace.core.db import prepared_statements

SLUGS = ("a", "b", "c", "d", "e", "f", "g", "h")


def _prepared_channel_lookups() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s",
            ['%FROM "channels_channel" WHERE "channels_channel"."slug"%'],
        )
        return cursor.fetchone()[0]


@pytest.mark.django_db
def test_a_statement_repeated_inside_is_prepared_once_on_the_server():
    with prepared_statements():
        for slug in SLUGS:
            assert list(Channel.objects.filter(slug=slug)) == []
    # Parsed and planned once for the connection, not on every run.
    assert _prepared_channel_lookups() == 1


@pytest.mark.django_db
def test_statements_outside_stay_unprepared():
    for slug in SLUGS:
        assert list(Channel.objects.filter(slug=slug)) == []
    assert _prepared_channel_lookups() == 0
    with prepared_statements():
        list(Channel.objects.filter(slug="x"))
    for slug in SLUGS:
        list(Channel.objects.filter(slug=slug))
    # Counted runs outside do not make it prepared either.
    assert _prepared_channel_lookups() == 0


@pytest.mark.django_db
def test_reads_through_the_api_stay_unprepared_and_mutations_are_prepared(api):
    query = '{ products(first: 1, search: "زعفران") { edges { node { id } } } }'
    for _ in SLUGS:
        assert "errors" not in api(query)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements")
        assert cursor.fetchone()[0] == 0
    mutation = 'mutation { tokenCreate(email: "nobody@example.com", password: "x") { token } }'
    for _ in SLUGS:
        api(mutation)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements")
        assert cursor.fetchone()[0] > 0
