"""Which database errors mean "cannot be reached" (answered 503) and which are a
statement's own (marketplace.core.outage), on real connections."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import psycopg
import pytest
from django.db import IntegrityError, OperationalError, connection, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper

from marketplace.channels.models import Channel
from marketplace.core.outage import is_connection_failure

pytestmark = pytest.mark.django_db


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def other_connection() -> Iterator[BaseDatabaseWrapper]:
    """A second connection to the test database, outside the test's transaction."""
    wrapper = connections.create_connection("default")
    try:
        yield wrapper
    finally:
        wrapper.close()


def test_a_refused_connection_is_an_outage(other_connection):
    other_connection.settings_dict = {
        **other_connection.settings_dict,
        "HOST": "127.0.0.1",
        "PORT": closed_port(),
    }
    with pytest.raises(OperationalError) as caught:
        other_connection.ensure_connection()
    assert is_connection_failure(caught.value)

    with pytest.raises(psycopg.OperationalError) as raw:
        psycopg.connect(host="127.0.0.1", port=closed_port(), connect_timeout=2)
    assert is_connection_failure(raw.value)


def test_a_connection_the_server_ended_is_an_outage(other_connection):
    with other_connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    with pytest.raises(OperationalError) as caught, other_connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    assert is_connection_failure(caught.value)


def test_a_statement_that_times_out_is_no_outage():
    with (
        pytest.raises(OperationalError) as caught,
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("SET LOCAL statement_timeout = 1")
        cursor.execute("SELECT pg_sleep(1)")
    assert not is_connection_failure(caught.value)


def test_a_broken_constraint_is_no_outage():
    Channel.objects.create(slug="outage", name="Outage", currency_code="IRR")
    with pytest.raises(IntegrityError) as caught, transaction.atomic():
        Channel.objects.create(slug="outage", name="Outage", currency_code="IRR")
    assert not is_connection_failure(caught.value)
    assert not is_connection_failure(None)
