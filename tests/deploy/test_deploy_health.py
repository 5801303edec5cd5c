from __future__ import annotations

import json
import re
import socket
from collections.abc import Iterator
from typing import Any
from unittest import mock

import pytest
from django.db import OperationalError, connection
from django.http import HttpResponse
from django.test import RequestFactory, override_settings
from sqlalchemy.engine import URL

from config.health import health

TIMED_OUT = re.compile(r"time ?out|timed out", re.IGNORECASE)

pytestmark = pytest.mark.django_db


def call_health(method: str = "get") -> tuple[HttpResponse, dict[str, Any]]:
    response = health(getattr(RequestFactory(), method)("/health/"))
    body = json.loads(response.content) if response.status_code in (200, 503) else {}
    return response, body


@pytest.fixture
def silent_server() -> Iterator[int]:
    """A port that accepts TCP connections (the kernel completes them) but never answers."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as server:
        server.bind(("127.0.0.1", 0))
        server.listen(16)
        yield server.getsockname()[1]


def test_healthy_services_answer_200() -> None:
    response, body = call_health()
    assert response.status_code == 200, body
    assert response["Content-Type"] == "application/json"
    assert body == {"status": "ok", "database": {"ok": True}, "broker": {"ok": True}}


def test_unreachable_broker_answers_503() -> None:
    with override_settings(CELERY_BROKER_URL="redis://127.0.0.1:1/0"):
        response, body = call_health()
    assert response.status_code == 503
    assert body["status"] == "error"
    assert body["database"] == {"ok": True}
    assert body["broker"]["ok"] is False
    assert isinstance(body["broker"]["error"], str)
    assert body["broker"]["error"]


@pytest.mark.parametrize(
    "url_template",
    [
        "redis://127.0.0.1:{port}/0",
        "amqp://guest:guest@127.0.0.1:{port}//",
        "sqla+postgresql+psycopg://postgres@127.0.0.1:{port}/bazarcheh",
    ],
    ids=["redis", "amqp", "sqlalchemy"],
)
def test_silent_broker_is_given_up_on_in_time(silent_server: int, url_template: str) -> None:
    with override_settings(CELERY_BROKER_URL=url_template.format(port=silent_server)):
        response, body = call_health()
    assert response.status_code == 503
    assert body["broker"]["ok"] is False
    # Each client gives up by its own timeout (the probe sets them); without one the
    # call would wait on the silent port for good instead of answering.
    assert TIMED_OUT.search(body["broker"]["error"]), body["broker"]["error"]


def test_sqlalchemy_broker_on_a_missing_database_is_reported() -> None:
    # kombu's SQLAlchemy transport connects lazily, so only a real query notices this.
    db = connection.settings_dict
    host, port = db["HOST"] or "localhost", str(db["PORT"] or 5432)
    on_socket = host.startswith("/")
    url = "sqla+" + URL.create(
        "postgresql+psycopg",
        username=db["USER"] or "postgres",
        password=db["PASSWORD"] or None,
        host=None if on_socket else host,
        port=None if on_socket else int(port),
        database="bazarcheh_missing_database",
        query={"host": host, "port": port} if on_socket else {},
    ).render_as_string(hide_password=False)
    with override_settings(CELERY_BROKER_URL=url):
        response, body = call_health()
    assert response.status_code == 503
    assert body["broker"]["ok"] is False
    assert "bazarcheh_missing_database" in body["broker"]["error"]


def test_database_failure_answers_503_without_raising() -> None:
    failure = OperationalError("connection to server failed")
    with mock.patch.object(connection, "cursor", side_effect=failure):
        response, body = call_health()
    assert response.status_code == 503
    assert body["status"] == "error"
    assert body["database"] == {
        "ok": False,
        "error": "OperationalError: connection to server failed",
    }


def test_only_safe_methods_are_allowed() -> None:
    response, _ = call_health("post")
    assert response.status_code == 405
