"""The processes of `make run`, kept running: a worker, the scheduler or the embedded
Redis that dies is started again after a pause that doubles with each death in a row (so
one that cannot start does not spin), and each death is reported. Only an essential
process (the web server) ending stops the whole stack. A process started before the
supervisor (the embedded Redis, which the migrations already use) is adopted."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

FIRST_DELAY_SECONDS = 1.0
MAX_DELAY_SECONDS = 30.0
# A process that ran this long before it died was healthy: its next restart waits only
# the first delay again.
STEADY_SECONDS = 60.0
STOP_TIMEOUT_SECONDS = 15.0


@dataclass(frozen=True)
class Service:
    name: str
    command: list[str]
    essential: bool = False
    # Stopped after the others: what they need until they end (the broker).
    stops_last: bool = False
    # Starts the process when `command` alone does not say how (the embedded Redis: a
    # session of its own, ended with the launcher); else `command` is run in `cwd`.
    launch: Callable[[], subprocess.Popen] | None = None


@dataclass
class _Running:
    service: Service
    process: subprocess.Popen | None = None
    started: float = 0.0
    failures: int = 0
    restart_at: float | None = None


class Supervisor:
    def __init__(
        self,
        services: list[Service],
        *,
        cwd: Path,
        first_delay: float = FIRST_DELAY_SECONDS,
        max_delay: float = MAX_DELAY_SECONDS,
        steady_after: float = STEADY_SECONDS,
        report: Callable[[str], None] = lambda line: print(line, flush=True),
    ) -> None:
        self.cwd = cwd
        self.first_delay = first_delay
        self.max_delay = max_delay
        self.steady_after = steady_after
        self.report = report
        self.running = {service.name: _Running(service) for service in services}

    def start(self) -> None:
        for entry in self.running.values():
            if entry.process is None:
                self._launch(entry)

    def adopt(self, service: Service, process: subprocess.Popen) -> None:
        """Keep running `service`, whose first process was started elsewhere."""
        self.running[service.name] = _Running(service, process, started=time.monotonic())

    def _launch(self, entry: _Running) -> None:
        launch = entry.service.launch
        entry.process = (
            launch() if launch else subprocess.Popen(entry.service.command, cwd=self.cwd)
        )
        entry.started = time.monotonic()
        entry.restart_at = None

    def pid(self, name: str) -> int | None:
        process = self.running[name].process
        return process.pid if process is not None and process.poll() is None else None

    def delay(self, failures: int) -> float:
        return min(self.max_delay, self.first_delay * 2 ** max(0, failures - 1))

    def check(self) -> int | None:
        """One round: note the processes that ended and start again those that are due.
        Returns an exit code when an essential process ended (the stack must stop)."""
        now = time.monotonic()
        for name, entry in self.running.items():
            if entry.restart_at is not None:
                if now >= entry.restart_at:
                    self._launch(entry)
                    self.report(f"{name} started again (pid {entry.process.pid}).")
                continue
            code = entry.process.poll() if entry.process is not None else None
            if code is None:
                continue
            if entry.service.essential:
                self.report(f"{name} exited with {code}; stopping the rest.")
                return code or 1
            if now - entry.started >= self.steady_after:
                entry.failures = 0
            entry.failures += 1
            wait = self.delay(entry.failures)
            entry.restart_at = now + wait
            self.report(
                f"{name} exited with {code}; starting it again in {wait:g} s "
                f"({entry.failures} in a row)."
            )
        return None

    def run(self, stopping: Callable[[], bool], *, interval: float = 0.5) -> int:
        """Check every `interval` until `stopping()` or an essential process ends."""
        while not stopping():
            code = self.check()
            if code is not None:
                # The web server also gets the terminal's Ctrl-C: then its end is no failure.
                return 0 if stopping() else code
            time.sleep(interval)
        return 0

    def stop(self, timeout: float = STOP_TIMEOUT_SECONDS) -> None:
        """Terminate every process still running, those that stop last once the others
        ended; kill those that outlive `timeout`."""
        for entry in self.running.values():
            entry.restart_at = None
        for last in (False, True):
            self._stop(
                [
                    e.process
                    for e in self.running.values()
                    if e.process is not None and e.service.stops_last is last
                ],
                timeout,
            )

    @staticmethod
    def _stop(processes: list[subprocess.Popen], timeout: float) -> None:
        for process in processes:
            if process.poll() is None:
                process.terminate()
        deadline = time.monotonic() + timeout
        for process in processes:
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
