"""Waiting for something another process does (a worker, a server starting), without
a wall-clock limit: the wait ends when it happens, or as soon as it is known that it
never will, and a generous number of looks only stops a wait that would hang the run."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

LOOKS = 2400


def wait_until(
    happened: Callable[[], bool],
    *,
    what: str,
    never: Callable[[], str | None] = lambda: None,
    pause: float = 0.5,
    looks: int = LOOKS,
) -> None:
    """Look for `happened` every `pause` seconds. `never` names why it cannot happen any
    more (a process that exited, a job that gave up), which fails the wait at once."""
    for _ in range(looks):
        if happened():
            return
        reason = never()
        if reason:
            pytest.fail(f"{what} did not happen: {reason}")
        time.sleep(pause)
    pytest.fail(f"{what} did not happen after {looks} looks")
