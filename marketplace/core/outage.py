"""Telling a database that cannot be reached from a statement that failed: the first is
no fault of the request (it is answered 503, try again), the second is a bug or a
conflict to report as such."""

from __future__ import annotations

import psycopg
from django.db import InterfaceError, OperationalError

# SQLSTATEs of a server that went away or does not take connections yet: class 08
# (connection exception), admin and crash shutdown, "the database system is starting up".
_UNREACHABLE_STATES = ("08", "57P01", "57P02", "57P03")


def is_connection_failure(exc: BaseException | None) -> bool:
    """Whether `exc` says the database cannot be reached (refused, gone, shutting down),
    as opposed to an error in a statement (a deadlock, a timeout, a constraint)."""
    if isinstance(exc, InterfaceError):
        # Django raises it for a connection already closed, which it cannot use again.
        return True
    if not isinstance(exc, (OperationalError, psycopg.OperationalError)):
        return False
    driver_error = exc.__cause__ if isinstance(exc, OperationalError) else exc
    # Errors the client library raises itself (connection failed or lost) carry no state.
    sqlstate = getattr(driver_error, "sqlstate", None)
    return sqlstate is None or sqlstate.startswith(_UNREACHABLE_STATES)
