"""The shop as production runs it, on loopback ports, for the browser tests.

gunicorn with DEBUG off and no test settings (whitenoise serving the collected, hashed and
compressed static files; secure cookies; the real response cache), a Celery worker making
the photos' thumbnails, photos in S3 (moto's server standing in for MinIO), and Stripe
(localstripe, sending its signed webhooks to the shop). Its
database is one of its own, migrated and loaded with the demo data, so the rest of the
suite's test database never sees what the browser tests commit."""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit

import dj_database_url
import psycopg

from tests.conftest import worker_command
from tests.logistics.carrier_server import API_KEY, SECRET, CarrierServer
from tests.s3_store import public_photos_policy

ROOT = Path(__file__).resolve().parents[2]
BUCKET = "bazarcheh-media"
S3_KEYS = {"AWS_ACCESS_KEY_ID": "browser-tests", "AWS_SECRET_ACCESS_KEY": "browser-tests"}
PROXY_VARIABLES = {"HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy"}
# Variables of the test run that would switch the server to test settings or to the
# suite's own database and broker.
TEST_VARIABLES = {
    "BAZARCHEH_TESTING",
    "BAZARCHEH_DEV",
    "DEBUG",
    "DATABASE_URL",
    "CELERY_BROKER_URL",
    "TEST_DATABASE_NAME",
    "DJANGO_SETTINGS_MODULE",
    "STATIC_ROOT",
    "MEDIA_ROOT",
    "MEDIA_URL",
    "STOREFRONT_API_URL",
}
START_TIMEOUT_SECONDS = 240
STRIPE_WEBHOOK_SECRET = "whsec_browser_tests"
WORKER = worker_command()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def database_url(base_url: str, name: str) -> str:
    return urlsplit(base_url)._replace(path=f"/{quote(name)}").geturl()


def sqla_broker_url(url: str) -> str:
    """kombu's SQLAlchemy transport on this database: a queue no other process reads."""
    db = dj_database_url.parse(url)
    auth = db.get("USER") or "postgres"
    if db.get("PASSWORD"):
        auth += f":{quote(db['PASSWORD'], safe='')}"
    host = db.get("HOST") or ""
    if host.startswith("/"):
        return f"sqla+postgresql+psycopg://{auth}@/{db['NAME']}?host={host}"
    return f"sqla+postgresql+psycopg://{auth}@{host}:{db.get('PORT') or 5432}/{db['NAME']}"


def get(url: str, timeout: float = 5) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


@dataclass
class Shop:
    """The running stack; `url` is the shop's address."""

    workdir: Path
    base_database_url: str
    database_name: str
    url: str = ""
    s3_url: str = ""
    stripe_url: str = ""
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)
    # The carriers' own APIs, on loopback in this process: the shop books parcels with
    # them and they send it their signed tracking webhooks.
    carriers: dict[str, CarrierServer] = field(default_factory=dict)
    stopped: bool = False
    # One key for every process of the stack, as in a deployment.
    secret_key: str = field(default_factory=lambda: secrets.token_urlsafe(40))

    @property
    def database_url(self) -> str:
        return database_url(self.base_database_url, self.database_name)

    @property
    def logs(self) -> Path:
        return self.workdir / "logs"

    def env(self) -> dict[str, str]:
        env = {
            k: v
            for k, v in os.environ.items()
            if k not in TEST_VARIABLES and k not in PROXY_VARIABLES
        }
        env.update(
            {
                "DJANGO_SETTINGS_MODULE": "config.settings",
                "DATABASE_URL": self.database_url,
                "CELERY_BROKER_URL": sqla_broker_url(self.database_url),
                "SECRET_KEY": self.secret_key,
                "DEBUG": "0",
                "ALLOWED_HOSTS": "127.0.0.1",
                # TLS ends at the proxy in production; here the browser talks plain HTTP
                # to loopback, where chromium still keeps Secure cookies.
                "SECURE_SSL_REDIRECT": "0",
                "SECURE_HSTS_SECONDS": "0",
                "LOG_FORMAT": "text",
                "BAZARCHEH_DATA_DIR": str(self.workdir / "data"),
                "STATIC_ROOT": str(self.workdir / "static"),
                "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
                "EMAIL_FILE_PATH": str(self.workdir / "outbox"),
                "AWS_STORAGE_BUCKET_NAME": BUCKET,
                "AWS_S3_ENDPOINT_URL": self.s3_url,
                "AWS_S3_REGION_NAME": "us-east-1",
                "NO_PROXY": "127.0.0.1,localhost",
                # The built-in sandbox gateway, as in the demo.
                "PAYMENT_SANDBOX": "1",
                # Every journey is a guest on 127.0.0.1 with one phone: the per-client and
                # per-phone bounds on carts and cash orders would stop the later journeys.
                "CHECKOUT_CREATE_PER_CLIENT": "100000",
                "GUEST_UNPAID_ORDERS_PER_PHONE": "100000",
                "GUEST_UNPAID_ORDERS_PER_CLIENT_DAY": "100000",
                # Stripe is localstripe, which signs its webhooks with this secret.
                "STRIPE_SECRET_KEY": "sk_test_browser",
                "STRIPE_API_BASE": self.stripe_url,
                "STRIPE_WEBHOOK_SECRET": STRIPE_WEBHOOK_SECRET,
                **S3_KEYS,
                **self._carrier_env(),
            }
        )
        return env

    def _carrier_env(self) -> dict[str, str]:
        env = {}
        for kind, server in self.carriers.items():
            prefix = kind.upper()
            env.update(
                {
                    f"{prefix}_API_URL": server.url,
                    f"{prefix}_API_KEY": API_KEY,
                    f"{prefix}_WEBHOOK_SECRET": SECRET,
                    # Both send webhooks: no beat runs here to poll them.
                    f"{prefix}_POLL": "0",
                }
            )
        return env

    # ------------------------------------------------------------------ start and stop

    def start(self) -> None:
        self.logs.mkdir(parents=True, exist_ok=True)
        for kind in ("post", "courier"):
            self.carriers[kind] = CarrierServer(kind).__enter__()
        self._create_database()
        self._start_s3()
        self._start_stripe()
        # The worker starts with the migrations and makes thumbnails while the demo loads.
        self.processes["worker"] = self._spawn("worker", WORKER)
        setup = {
            "migrate": self._spawn("migrate", [*self._manage(), "migrate", "--noinput"]),
            "collectstatic": self._spawn(
                "collectstatic", [*self._manage(), "collectstatic", "--noinput"]
            ),
        }
        for name, proc in setup.items():
            self._wait_exit(name, proc)
        # Once ready, the worker has created the broker's tables, which the demo loader
        # would otherwise race it to create with its first message.
        self._wait_until("worker", lambda: " ready." in self._tail("worker", chars=100_000))
        self._wait_exit(
            "load_demo_data", self._spawn("load_demo_data", [*self._manage(), "load_demo_data"])
        )
        self._start_web()
        self._register_stripe_webhook()
        self._wait_for_thumbnails()

    def stop(self) -> None:
        if self.stopped:
            return
        self.stopped = True
        for proc in self.processes.values():
            if proc.poll() is None:
                proc.terminate()
        for proc in self.processes.values():
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=5)
        for server in self.carriers.values():
            server.__exit__(None, None, None)
        self._drop_database()

    # ------------------------------------------------------------------ parts

    def _manage(self) -> list[str]:
        return [sys.executable, str(ROOT / "manage.py")]

    def _spawn(self, name: str, command: list[str]) -> subprocess.Popen:
        log = open(self.logs / f"{name}.log", "w")  # noqa: SIM115 - the child owns it
        try:
            return subprocess.Popen(
                command, cwd=ROOT, env=self.env(), stdout=log, stderr=subprocess.STDOUT
            )
        finally:
            log.close()

    def _wait_exit(self, name: str, proc: subprocess.Popen) -> None:
        if proc.wait(timeout=START_TIMEOUT_SECONDS) != 0:
            raise RuntimeError(f"{name} failed ({proc.returncode}):\n{self._tail(name)}")

    def _tail(self, name: str, chars: int = 4000) -> str:
        path = self.logs / f"{name}.log"
        return path.read_text(errors="replace")[-chars:] if path.exists() else ""

    def _admin_connection(self) -> psycopg.Connection:
        return psycopg.connect(self.base_database_url, autocommit=True)

    def _create_database(self) -> None:
        with self._admin_connection() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.database_name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{self.database_name}"')

    def _drop_database(self) -> None:
        with self._admin_connection() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.database_name}" WITH (FORCE)')

    def _start_s3(self) -> None:
        port = free_port()
        self.s3_url = f"http://127.0.0.1:{port}"
        self.processes["s3"] = self._spawn(
            "s3",
            [str(Path(sys.executable).parent / "moto_server"), "-H", "127.0.0.1", "-p", str(port)],
        )
        self._wait_until("s3", lambda: get(f"{self.s3_url}/moto-api/")[0] == 200)
        import boto3

        client = boto3.client(
            "s3",
            endpoint_url=self.s3_url,
            region_name="us-east-1",
            aws_access_key_id=S3_KEYS["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=S3_KEYS["AWS_SECRET_ACCESS_KEY"],
        )
        client.create_bucket(Bucket=BUCKET)
        client.put_bucket_policy(Bucket=BUCKET, Policy=public_photos_policy(BUCKET))

    def _start_stripe(self) -> None:
        port = free_port()
        self.stripe_url = f"http://127.0.0.1:{port}"
        script = "from localstripe.server import start; start()"
        self.processes["stripe"] = self._spawn(
            "stripe", [sys.executable, "-c", script, "--port", str(port), "--from-scratch"]
        )
        self._wait_until("stripe", lambda: get(f"{self.stripe_url}/js.stripe.com/v3/")[0] == 200)

    def _register_stripe_webhook(self) -> None:
        """localstripe sends its events to the shop's webhook, as a Stripe account's
        webhook endpoint does."""
        body = urlencode(
            {"url": f"{self.url}/payments/stripe/webhook/", "secret": STRIPE_WEBHOOK_SECRET}
        ).encode()
        request = urllib.request.Request(
            f"{self.stripe_url}/_config/webhooks/bazarcheh", data=body, method="POST"
        )
        with urllib.request.urlopen(request, timeout=5) as response:
            assert response.status == 200

    def _start_web(self) -> None:
        port = free_port()
        self.url = f"http://127.0.0.1:{port}"
        # Without Redis the response cache and the catalogue version live in each
        # process's memory: one process keeps them consistent between requests.
        workers = "2" if os.environ.get("REDIS_URL") else "1"
        self.processes["web"] = self._spawn(
            "web",
            [
                sys.executable,
                "-m",
                "gunicorn",
                "config.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                workers,
                "--threads",
                "4",
                "--timeout",
                "120",
                "--access-logfile",
                "-",
                # Its default path is per user, shared by every gunicorn on the machine.
                "--no-control-socket",
            ],
        )
        self._wait_until("web", lambda: get(f"{self.url}/health/")[0] == 200)

    def _wait_for_thumbnails(self) -> None:
        def done() -> bool:
            with psycopg.connect(self.database_url) as conn:
                (missing,) = conn.execute(
                    "SELECT count(*) FROM catalog_productmedia "
                    "WHERE thumbnails IS NULL OR thumbnails = '{}'::jsonb"
                ).fetchone()
            return missing == 0

        self._wait_until("worker", done)

    def _wait_until(self, name: str, ready) -> None:
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            for proc_name, proc in self.processes.items():
                if proc.poll() is not None:
                    raise RuntimeError(
                        f"{proc_name} exited with {proc.returncode}:\n{self._tail(proc_name)}"
                    )
            try:
                if ready():
                    return
            except (OSError, psycopg.Error):
                pass
            time.sleep(0.5)
        raise RuntimeError(
            f"{name} was not ready in {START_TIMEOUT_SECONDS} s:\n{self._tail(name)}"
        )
