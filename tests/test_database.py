from __future__ import annotations

import pytest
from django.db import connection

from marketplace.channels.models import Channel


def _prepared_channel_statements() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s",
            ['%FROM "channels_channel" WHERE "channels_channel"."slug"%'],
        )
        return cursor.fetchone()[0]


@pytest.mark.django_db
def test_a_repeated_statement_is_prepared_once_on_the_server():
    assert _prepared_channel_statements() == 0
    for slug in ("a", "b", "c", "d", "e", "f", "g", "h"):
        assert list(Channel.objects.filter(slug=slug)) == []
    # Parsed and planned once for the connection, not on every request.
    assert _prepared_channel_statements() == 1
