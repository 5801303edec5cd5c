"""config.supervisor with real processes: a worker that dies is started again after a
pause that doubles while it keeps dying, the web server ending stops the stack."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from config.supervisor import Service, Supervisor

ROOT = Path(__file__).resolve().parent.parent
WAIT_SECONDS = 30


def python(code: str) -> list[str]:
    return [sys.executable, "-c", code]


SLEEPER = python("import time; time.sleep(120)")


def supervise(services: list[Service], **options) -> tuple[Supervisor, list[str]]:
    lines: list[str] = []
    supervisor = Supervisor(services, cwd=ROOT, report=lines.append, **options)
    supervisor.start()
    return supervisor, lines


def run_until(supervisor: Supervisor, done) -> int:
    deadline = time.monotonic() + WAIT_SECONDS
    code = supervisor.run(lambda: done() or time.monotonic() > deadline, interval=0.05)
    assert done(), "gave up waiting"
    return code


def test_a_worker_that_keeps_dying_is_restarted_with_a_growing_pause():
    supervisor, lines = supervise(
        [Service("web", SLEEPER, essential=True), Service("worker", python("exit(3)"))],
        first_delay=0.1,
        max_delay=0.4,
    )
    web = supervisor.pid("web")
    try:
        run_until(supervisor, lambda: sum("exited" in line for line in lines) >= 5)
        assert supervisor.pid("web") == web
    finally:
        supervisor.stop()
    deaths = [line for line in lines if "exited" in line]
    assert deaths[:5] == [
        "worker exited with 3; starting it again in 0.1 s (1 in a row).",
        "worker exited with 3; starting it again in 0.2 s (2 in a row).",
        "worker exited with 3; starting it again in 0.4 s (3 in a row).",
        "worker exited with 3; starting it again in 0.4 s (4 in a row).",
        "worker exited with 3; starting it again in 0.4 s (5 in a row).",
    ]
    assert sum("worker started again" in line for line in lines) >= 4


def test_a_killed_worker_comes_back_and_the_web_server_keeps_running():
    supervisor, lines = supervise(
        [Service("web", SLEEPER, essential=True), Service("worker", SLEEPER)], first_delay=0.1
    )
    web, worker = supervisor.pid("web"), supervisor.pid("worker")
    try:
        os.kill(worker, signal.SIGKILL)
        run_until(supervisor, lambda: supervisor.pid("worker") not in (None, worker))
        assert supervisor.pid("web") == web
    finally:
        supervisor.stop()
    assert (
        f"worker exited with {-signal.SIGKILL}; starting it again in 0.1 s (1 in a row)." in lines
    )
    assert supervisor.pid("web") is None and supervisor.pid("worker") is None


def test_a_worker_that_ran_steadily_gets_the_first_pause_again():
    supervisor, lines = supervise(
        [
            Service("web", SLEEPER, essential=True),
            Service("worker", python("import time; time.sleep(0.3); exit(1)")),
        ],
        first_delay=0.1,
        steady_after=0.2,
    )
    try:
        run_until(supervisor, lambda: sum("exited" in line for line in lines) >= 3)
    finally:
        supervisor.stop()
    assert all(line.endswith("(1 in a row).") for line in lines if "exited" in line)


def test_the_web_server_ending_stops_the_stack():
    supervisor, lines = supervise(
        [
            Service("web", python("import time; time.sleep(0.3); exit(4)"), essential=True),
            Service("worker", SLEEPER),
        ]
    )
    try:
        code = supervisor.run(lambda: False, interval=0.05)
    finally:
        supervisor.stop()
    assert code == 4
    assert lines == ["web exited with 4; stopping the rest."]
    assert supervisor.pid("worker") is None


def test_the_web_server_ending_on_ctrl_c_is_no_failure():
    # The terminal's Ctrl-C reaches the web server too: it may end before the launcher's
    # loop has seen the signal, which it has by the time it looks at the exit.
    supervisor, _lines = supervise([Service("web", python("exit(2)"), essential=True)])
    supervisor.running["web"].process.wait()
    answers = iter([False])
    try:
        code = supervisor.run(lambda: next(answers, True), interval=0.05)
    finally:
        supervisor.stop()
    assert code == 0


def recording(path: Path, name: str, pause: float = 0.0) -> list[str]:
    """A process that writes its name to `path` when terminated, after `pause` seconds."""
    return python(
        "import signal, sys, time\n"
        "def bye(*_):\n"
        f"    time.sleep({pause})\n"
        f"    open({str(path)!r}, 'a').write({name!r} + '\\n')\n"
        "    sys.exit(0)\n"
        "signal.signal(signal.SIGTERM, bye)\n"
        "time.sleep(120)\n"
    )


def test_an_adopted_broker_comes_back_and_stops_after_the_others(tmp_path):
    ended = tmp_path / "ended"
    command = recording(ended, "broker")

    def launch() -> subprocess.Popen:
        # As the embedded Redis is started: a session of its own.
        return subprocess.Popen(command, start_new_session=True)

    broker = Service("broker", command, stops_last=True, launch=launch)
    first = launch()
    supervisor, lines = supervise(
        [
            Service("web", SLEEPER, essential=True),
            # Slow to end: a broker stopped at the same time would end before it.
            Service("worker", recording(ended, "worker", pause=0.5)),
        ],
        first_delay=0.1,
    )
    supervisor.adopt(broker, first)
    try:
        assert supervisor.pid("broker") == first.pid
        first.kill()
        run_until(supervisor, lambda: any("broker started again" in line for line in lines))
        assert supervisor.pid("broker") not in {None, first.pid}
        # Its own session: the terminal's Ctrl-C reaches the launcher, not the broker.
        assert os.getsid(supervisor.pid("broker")) == supervisor.pid("broker")
    finally:
        supervisor.stop()
    assert ended.read_text().split() == ["worker", "broker"]
