"""The README's run command, end to end: a fresh data folder, the embedded PostgreSQL,
migrations, demo data, the web server, a worker and the scheduler; Ctrl-C stops them all."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import psutil
import pytest

ROOT = Path(__file__).resolve().parents[2]


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
            "BAZARCHEH_DATA_DIR": str(tmp_path / "data"),
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
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        try:
            if get(f"{base}/health/")[0] == 200:
                break
        except OSError:
            pass
        if proc.poll() is not None:
            break
        time.sleep(0.5)
    try:
        yield proc, base, tmp_path, log
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        log.close()


def test_run_command_serves_the_demo_and_ctrl_c_stops_everything(launched):
    proc, base, tmp_path, log = launched
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

    children = psutil.Process(proc.pid).children(recursive=True)
    assert len(children) >= 3
    os.killpg(proc.pid, signal.SIGINT)
    assert proc.wait(timeout=60) == 0
    _gone, alive = psutil.wait_procs(children, timeout=30)
    assert alive == []
    # The embedded PostgreSQL stopped with it, and a second start reuses the data.
    pid_file = tmp_path / "data" / "postgres" / "postmaster.pid"
    assert not pid_file.exists()
