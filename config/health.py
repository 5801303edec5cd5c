"""Liveness of the services the web process needs: GET /health/ for load balancers and compose."""

from __future__ import annotations

import logging
import re
from typing import Any

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from kombu import Connection

logger = logging.getLogger(__name__)

BROKER_TIMEOUT_SECONDS = 2.0
# Two attempts (max_retries=1) share the budget, so each one gets half of it.
BROKER_ATTEMPT_TIMEOUT_SECONDS = BROKER_TIMEOUT_SECONDS / 2
MAX_ERROR_LENGTH = 300
# A driver's message names the socket it tried ("on socket "/run/…/.s.PGSQL.5432""): a
# path on the server that the public answer leaves out.
_QUOTED_PATH = re.compile(r'\s*"/[^"]*"')


def describe_error(exc: BaseException) -> str:
    """The exception's class and first line, without file paths, for public answers."""
    text = str(exc).strip().splitlines()
    message = (
        f"{type(exc).__name__}: {_QUOTED_PATH.sub('', text[0])}" if text else type(exc).__name__
    )
    return message[:MAX_ERROR_LENGTH]


def check_database() -> dict[str, Any]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:
        error = describe_error(exc)
        logger.warning("Health check: database unavailable: %s", error)
        return {"ok": False, "error": error}
    return {"ok": True}


def broker_transport_options(url: str) -> dict[str, Any]:
    scheme = url.split("://", 1)[0].lower()
    if scheme in {"redis", "rediss", "redis+socket"}:
        return {
            "socket_connect_timeout": BROKER_ATTEMPT_TIMEOUT_SECONDS,
            "socket_timeout": BROKER_ATTEMPT_TIMEOUT_SECONDS,
        }
    return {}


def probe_sqlalchemy_broker(url: str) -> None:
    """Run SELECT 1 on the database behind kombu's SQLAlchemy transport.

    Opening that transport does not touch the database (it connects on first use), so
    ensure_connection alone would report a dead database as healthy. A throwaway engine
    keeps the probe's timeout out of the engine kombu caches for the task publisher.
    """
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url
    from sqlalchemy.pool import NullPool

    connect_args: dict[str, Any] = {}
    if make_url(url).get_backend_name() == "postgresql":
        # libpq accepts whole seconds only, with a minimum of 2.
        connect_args["connect_timeout"] = max(2, int(BROKER_TIMEOUT_SECONDS))
    engine = create_engine(url, poolclass=NullPool, connect_args=connect_args)
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    finally:
        engine.dispose()


def check_broker() -> dict[str, Any]:
    url = settings.CELERY_BROKER_URL
    try:
        with Connection(
            url,
            connect_timeout=BROKER_ATTEMPT_TIMEOUT_SECONDS,
            transport_options=broker_transport_options(url),
        ) as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, timeout=BROKER_TIMEOUT_SECONDS)
            if conn.transport.driver_type == "sql":
                probe_sqlalchemy_broker(conn.hostname)
    except Exception as exc:
        error = describe_error(exc)
        logger.warning("Health check: broker unavailable: %s", error)
        return {"ok": False, "error": error}
    return {"ok": True}


@never_cache
@require_safe
def health(request: HttpRequest) -> JsonResponse:
    database = check_database()
    broker = check_broker()
    healthy = database["ok"] and broker["ok"]
    return JsonResponse(
        {"status": "ok" if healthy else "error", "database": database, "broker": broker},
        status=200 if healthy else 503,
    )
