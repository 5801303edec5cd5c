"""The README's run command, end to end: a fresh data folder, the embedded PostgreSQL,
migrations, demo data, the web server, a worker and the scheduler; a worker that dies is
started again; Ctrl-C stops them all, the database too even after a restart by hand."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

import psutil
import pytest

from tests.postgres_cluster import control, private_dir, restart, server_process
from tests.waiting import wait_until

ROOT = Path(__file__).resolve().parents[2]
# Migrating and loading the demo catalogue take minutes on a busy 2-core machine.


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url: str, *, data: bytes | None = None, headers: dict | None = None) -> tuple[int, bytes]:
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


@pytest.fixture
def launched(tmp_path):
    port = free_port()
    data = private_dir("bazarcheh-launcher-") / "data"
    env = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "DATABASE_URL",
            "REDIS_URL",
            "CELERY_BROKER_URL",
            "BAZARCHEH_TESTING",
            "TEST_DATABASE_NAME",
            "DJANGO_SETTINGS_MODULE",
        }
    }
    env.update(
        {
            "BAZARCHEH_DATA_DIR": str(data),
            "PORT": str(port),
            "DJANGO_SUPERUSER_EMAIL": "ops@example.com",
            "DJANGO_SUPERUSER_PASSWORD": "Ops-passphrase-1405",
        }
    )
    log = open(tmp_path / "launcher.log", "w+")  # noqa: SIM115 - closed in the teardown
    proc = subprocess.Popen(
        [sys.executable, "-m", "config.launcher", "run"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    wait_until(lambda: healthy(base), what="the demo answering /health/", never=exited(proc))
    try:
        yield proc, base, data, log
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        # A server restarted by the test is outside the launcher's process group.
        if server_process(data / "postgres") is not None:
            control(data / "postgres", "-m", "immediate", "stop")
        log.close()
        shutil.rmtree(data.parent, ignore_errors=True)


def exited(proc: subprocess.Popen):
    def why() -> str | None:
        return None if proc.poll() is None else f"the launcher exited with {proc.returncode}"

    return why


def child(proc: subprocess.Popen, role: str) -> psutil.Process | None:
    """The launcher's child process running `role` (web: runserver; worker; beat)."""
    for process in psutil.Process(proc.pid).children():
        try:
            if role in process.cmdline():
                return process
        except psutil.NoSuchProcess:
            continue
    return None


def ended(process: psutil.Process) -> bool:
    """Exited: gone, or a zombie that its parent (here the machine's init) has not reaped."""
    try:
        return process.status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


def healthy(base: str) -> bool:
    try:
        return get(f"{base}/health/")[0] == 200
    except OSError:
        return False


def test_run_command_serves_the_demo_outlives_a_dead_worker_and_ctrl_c_stops_everything(launched):
    proc, base, data_dir, log = launched
    log.seek(0)
    assert proc.poll() is None, log.read()[-4000:]

    status, body = get(f"{base}/health/")
    health = json.loads(body)
    assert status == 200 and health["database"]["ok"] and health["broker"]["ok"]

    query = json.dumps(
        {"query": "{ cooperatives(first: 10) { totalCount } channels { slug currencyCode } }"}
    )
    status, body = get(
        f"{base}/graphql/", data=query.encode(), headers={"Content-Type": "application/json"}
    )
    data = json.loads(body)["data"]
    assert data["cooperatives"]["totalCount"] >= 4
    assert {c["slug"]: c["currencyCode"] for c in data["channels"]} == {"ir": "IRR", "intl": "USD"}

    login = json.dumps(
        {
            "query": 'mutation { tokenCreate(email: "ops@example.com", '
            'password: "Ops-passphrase-1405") { token user { isStaff } } }'
        }
    )
    status, body = get(
        f"{base}/graphql/", data=login.encode(), headers={"Content-Type": "application/json"}
    )
    assert json.loads(body)["data"]["tokenCreate"]["user"]["isStaff"] is True

    status, body = get(f"{base}/")
    assert status == 200 and 'dir="rtl"' in body.decode()

    # A worker that dies is started again; the web server and the stack keep running.
    web, worker = child(proc, "runserver"), child(proc, "worker")
    worker.kill()
    wait_until(
        lambda: (child(proc, "worker") or worker).pid != worker.pid,
        what="a new worker",
        never=exited(proc),
    )
    log.seek(0)
    assert f"worker exited with {-signal.SIGKILL}; starting it again in 1 s" in log.read()
    assert proc.poll() is None and child(proc, "runserver").pid == web.pid
    wait_until(lambda: healthy(base), what="/health/ answering 200", never=exited(proc))

    # An operator restarts the database from another terminal: a server process that
    # is none of the launcher's, and that the terminal's Ctrl-C does not reach.
    data = data_dir / "postgres"
    first_server = server_process(data)
    restart(data)
    second_server = server_process(data)
    assert second_server is not None and second_server.pid != first_server.pid
    wait_until(lambda: healthy(base), what="/health/ answering 200", never=exited(proc))

    children = psutil.Process(proc.pid).children(recursive=True)
    assert len(children) >= 3
    os.killpg(proc.pid, signal.SIGINT)
    assert proc.wait(timeout=60) == 0
    _gone, alive = psutil.wait_procs(children, timeout=30)
    assert alive == []
    # The embedded PostgreSQL stopped with it, the restarted server too, and a second
    # start reuses the data.
    assert ended(second_server)
    assert server_process(data) is None
    assert not (data / "postmaster.pid").exists()
