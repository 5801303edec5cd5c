"""The web server while its PostgreSQL is down: a 503 that says so (JSON for the API and
the health check, a plain page in the visitor's language for the shop), never a 500 or a
GraphQL "internal error", and no socket path in any answer; served again once the
database is back. A real gunicorn on a real cluster that the test stops and starts."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from config import services
from tests.deploy.conftest import ROOT, clean_environment
from tests.postgres_cluster import Cluster, private_dir
from tests.waiting import wait_until

CHANNELS = json.dumps({"query": "{ channels { slug } }"}).encode()
SIGN_IN = json.dumps(
    {"query": 'mutation { tokenCreate(email: "a@example.com", password: "x") { token } }'}
).encode()


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: str

    def json(self) -> dict:
        assert self.headers["content-type"].startswith("application/json"), self.body[:300]
        return json.loads(self.body)


def request(url: str, *, data: bytes | None = None, language: str = "fa") -> Answer:
    headers = {"Accept-Language": language}
    if data is not None:
        headers["Content-Type"] = "application/json"
    try:
        with urllib.request.urlopen(urllib.request.Request(url, data, headers), timeout=20) as r:
            return Answer(r.status, {k.lower(): v for k, v in r.headers.items()}, r.read().decode())
    except urllib.error.HTTPError as error:
        headers = {k.lower(): v for k, v in error.headers.items()}
        return Answer(error.code, headers, error.read().decode())


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    created = Cluster.create(private_dir("bazarcheh-outage-"))
    try:
        yield created
    finally:
        created.remove()


@pytest.fixture(scope="module")
def server(cluster: Cluster, tmp_path_factory) -> Iterator[str]:
    """gunicorn with DEBUG off on the cluster and the embedded Redis as the broker, one
    worker keeping its database connection between requests. Test settings only for the
    static files (no collectstatic manifest needed)."""
    port = free_port()
    data = tmp_path_factory.mktemp("outage-data")
    redis_dir = services.embedded_redis_dir(testing=True, root=data)
    services.start_embedded_redis(redis_dir)
    env = clean_environment(
        {
            "BAZARCHEH_TESTING": "1",
            "DEBUG": "0",
            "LOG_FORMAT": "text",
            "BAZARCHEH_DATA_DIR": str(data),
            "DATABASE_URL": cluster.url(),
            "WEB_CONCURRENCY": "1",
            "WEB_BIND": f"127.0.0.1:{port}",
        }
    )
    log = open(data / "gunicorn.log", "w+")  # noqa: SIM115 - closed in the teardown
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.py", "config.wsgi"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:

        def answers() -> bool:
            try:
                return request(f"{base}/health/").status == 200
            except OSError:
                return False

        def exited() -> str | None:
            if process.poll() is None:
                return None
            log.seek(0)
            return log.read()[-3000:]

        wait_until(answers, what="gunicorn answering /health/", never=exited, pause=0.3)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()
        services.stop_embedded_redis(redis_dir)


def assert_unavailable_json(answer: Answer) -> None:
    assert answer.status == 503, answer.body[:500]
    assert answer.headers["retry-after"].isdigit()
    errors = answer.json()["errors"]
    assert [e["extensions"]["code"] for e in errors] == ["DATABASE_UNAVAILABLE"]
    assert "database" in errors[0]["message"]


def test_a_database_that_goes_down_answers_503_and_comes_back(server: str, cluster: Cluster):
    # The worker holds an open connection from the health check; the server now goes away.
    cluster.stop()

    # The first statement meets the dropped connection, the next ones a refused one.
    for _attempt in range(2):
        assert_unavailable_json(request(f"{server}/graphql/", data=CHANNELS, language="en"))
    assert_unavailable_json(request(f"{server}/graphql/", data=SIGN_IN, language="en"))
    persian = request(f"{server}/graphql/", data=CHANNELS).json()["errors"][0]["message"]
    assert "پایگاه داده" in persian

    shop = request(f"{server}/")
    assert shop.status == 503 and shop.headers["content-type"].startswith("text/html")
    assert 'dir="rtl"' in shop.body and "پایگاه داده" in shop.body
    english = request(f"{server}/", language="en")
    assert english.status == 503 and 'dir="ltr"' in english.body
    assert "cannot reach its database" in english.body

    health = request(f"{server}/health/")
    assert health.status == 503
    report = health.json()
    # The broker is not in the database: its jobs are still taken.
    assert report["database"]["ok"] is False and report["broker"]["ok"] is True
    assert str(cluster.socket_dir) not in health.body and ".s.PGSQL" not in health.body

    cluster.start()
    assert request(f"{server}/health/").status == 200
    channels = request(f"{server}/graphql/", data=CHANNELS, language="en")
    # The throwaway cluster has no tables: an error of the statement, not of the database.
    assert channels.status == 200 and channels.json()["errors"]
