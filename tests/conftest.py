from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client

from config.launcher import compile_translations
from marketplace.accounts.models import User
from marketplace.accounts.tokens import create_access_token
from marketplace.channels.models import Channel
from marketplace.inventory.models import Warehouse
from marketplace.locations.models import Province
from marketplace.sellers.models import Cooperative, CooperativeStaff, Seller
from marketplace.shipping.models import DeliveryMethod
from tests.builders import images
from tests.builders.accounts import make_user
from tests.builders.seed import ensure_seeded
from tests.builders.sellers import make_seller
from tests.builders.shipping import EXPRESS_POST

ROOT = Path(__file__).resolve().parent.parent
# `make test` compiles the catalogues too; this keeps a bare `pytest` run in Persian.
compile_translations()

ApiCall = Callable[..., dict]


@pytest.fixture
def api(client: Client) -> ApiCall:
    """POST a GraphQL document as `user` (anonymous by default) in `lang`; return the JSON."""

    def call(
        query: str,
        variables: dict | None = None,
        *,
        user: User | None = None,
        lang: str = "en",
        token: str | None = None,
        status: int = 200,
    ) -> dict:
        headers = {"HTTP_ACCEPT_LANGUAGE": lang}
        if user is not None:
            token = create_access_token(user)
        if token is not None:
            headers["HTTP_AUTHORIZATION"] = f"Bearer {token}"
        response = client.post(
            "/graphql/",
            data=json.dumps({"query": query, "variables": variables or {}}),
            content_type="application/json",
            **headers,
        )
        assert response.status_code == status, response.content
        return response.json()

    return call


@pytest.fixture
def buyer(db) -> User:
    return make_user("buyer@example.com", first_name="Sara", last_name="Ahmadi")


@pytest.fixture
def operator(db) -> User:
    return make_user("operator@example.com", is_staff=True, is_superuser=True)


@pytest.fixture
def coop_a(db) -> Cooperative:
    return Cooperative.objects.create(name="تعاونی زعفران تربت", slug="torbat-saffron")


@pytest.fixture
def coop_b(db) -> Cooperative:
    return Cooperative.objects.create(name="تعاونی کشمش کاشمر", slug="kashmar-raisin")


@pytest.fixture
def staff_a(coop_a) -> User:
    user = make_user("staff-a@example.com")
    CooperativeStaff.objects.create(cooperative=coop_a, user=user)
    return user


@pytest.fixture
def staff_b(coop_b) -> User:
    user = make_user("staff-b@example.com")
    CooperativeStaff.objects.create(cooperative=coop_b, user=user)
    return user


@pytest.fixture
def seller_a(coop_a) -> Seller:
    return make_seller("seller-a@example.com", "زعفران خانواده رضایی", coop_a)


@pytest.fixture
def seller_b(coop_b) -> Seller:
    return make_seller("seller-b@example.com", "کشمش سبز حسینی", coop_b)


@pytest.fixture
def independent(seeded) -> Seller:
    """A seller in no cooperative: its own fulfiller."""
    return make_seller("solo@example.com", "عسل کوهستان", None)


@pytest.fixture
def sara(db) -> User:
    return make_user("sara@example.com")


@pytest.fixture
def reza(db) -> User:
    return make_user("reza@example.com")


@pytest.fixture
def seeded(db) -> None:
    """The migrations' seed rows (channels, provinces, platform delivery). A test run that
    flushed the database before (transactional tests) gets them back."""
    ensure_seeded()


@pytest.fixture
def ir(seeded) -> Channel:
    return Channel.objects.get(slug="ir")


@pytest.fixture
def intl(seeded) -> Channel:
    return Channel.objects.get(slug="intl")


@pytest.fixture
def razavi(seeded) -> Province:
    return Province.objects.get(code="IR-09")


@pytest.fixture
def tehran(seeded) -> Province:
    return Province.objects.get(code="IR-23")


@pytest.fixture
def express_post(seeded) -> DeliveryMethod:
    return DeliveryMethod.objects.get(name=EXPRESS_POST, cooperative=None, seller=None)


@pytest.fixture
def warehouse_a(coop_a) -> Warehouse:
    return Warehouse.objects.create(name="انبار تربت", cooperative=coop_a)


@pytest.fixture
def warehouse_b(coop_b) -> Warehouse:
    return Warehouse.objects.create(name="انبار کاشمر", cooperative=coop_b)


@pytest.fixture
def media_root(tmp_path, settings, monkeypatch) -> Path:
    """Files on disk in the test's own folder, for this process and (through the
    environment) for a Celery worker started after it."""
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = str(root)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    monkeypatch.setenv("MEDIA_ROOT", str(root))
    monkeypatch.delenv("AWS_STORAGE_BUCKET_NAME", raising=False)
    cache.clear()
    return root


@pytest.fixture(scope="session")
def bomb_png() -> bytes:
    return images.png_bomb()


def every_task() -> dict:
    """The project's tasks with their options, as a worker registers them: every app's
    tasks module imported, on an app of their own."""
    from celery import Celery
    from django.apps import apps

    for config in apps.get_app_configs():
        if config.name.startswith("marketplace.") and importlib.util.find_spec(
            f"{config.name}.tasks"
        ):
            importlib.import_module(f"{config.name}.tasks")
    registry = Celery("registry", set_as_current=False)
    registry.finalize()
    return dict(registry.tasks)


def use_broker(url: str) -> None:
    """Point this process's Celery app at `url`. `app.close()` alone keeps the producer
    pool, whose connections still lead to the previous broker."""
    from celery import _state

    from config.celery import app

    app.close()
    # close() also takes the app off Celery's list of live apps, after which task proxies
    # resolve against a stand-in app that knows none of the project's tasks.
    _state._register_app(app)
    app.set_current()
    amqp = app.__dict__.get("amqp")
    if amqp is not None:
        amqp._producer_pool = None
    app.conf.broker_url = url


def worker_command(*extra: str) -> list[str]:
    """A real Celery worker of the project in one process, quiet on the broker."""
    return [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "config",
        "worker",
        "--pool",
        "solo",
        "--loglevel",
        "INFO",
        "--without-heartbeat",
        "--without-gossip",
        "--without-mingle",
        *extra,
    ]


def start_worker(settings, *, broker: str, queue: str, **env: str) -> subprocess.Popen:
    """A real Celery worker process of the project on `broker`, consuming `queue`, against
    the test database (with `env` added to its environment); returned once it is ready."""
    proc = subprocess.Popen(
        worker_command("--queues", queue),
        cwd=ROOT,
        env={
            **os.environ,
            "DATABASE_URL": _database_url(settings.DATABASES["default"]),
            "CELERY_BROKER_URL": broker,
            "BAZARCHEH_TESTING": "1",
            # Jobs the worker itself queues go to the queue it consumes.
            "CELERY_TASK_DEFAULT_QUEUE": queue,
            **env,
        },
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        _wait_until_ready(proc)
    except BaseException:
        proc.kill()
        proc.wait()
        raise
    return proc


def stop_worker(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@pytest.fixture
def celery_worker_process(transactional_db, tmp_path, settings):
    """A real Celery worker process on the real broker, against the test database.

    Yields the folder where the worker's e-mail backend writes messages."""
    from config.celery import app

    outbox = tmp_path / "outbox"
    outbox.mkdir()
    # The run's broker: REDIS_URL's, or the embedded Redis the test command started.
    broker = settings.CELERY_BROKER_URL
    queue = f"test-{os.getpid()}-{time.monotonic_ns()}"
    previous_broker = app.conf.broker_url
    use_broker(broker)
    app.conf.task_default_queue = queue
    try:
        proc = start_worker(settings, broker=broker, queue=queue, EMAIL_FILE_PATH=str(outbox))
        try:
            yield outbox
        finally:
            stop_worker(proc)
    finally:
        use_broker(previous_broker)  # the next use opens fresh connections
        app.conf.task_default_queue = settings.CELERY_TASK_DEFAULT_QUEUE
        connection.close()


def _wait_until_ready(proc: subprocess.Popen, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    seen: list[str] = []
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line and proc.poll() is not None:
            break
        seen.append(line)
        if " ready." in line:
            return
    raise RuntimeError("The Celery worker did not start:\n" + "".join(seen[-40:]))


def _database_url(db: dict) -> str:
    from urllib.parse import quote

    host = db.get("HOST") or ""
    auth = db.get("USER") or "postgres"
    if db.get("PASSWORD"):
        auth += f":{quote(db['PASSWORD'], safe='')}"
    return f"postgresql://{auth}@{quote(host, safe='')}:{db.get('PORT') or 5432}/{db['NAME']}"


def wait_for(predicate: Callable[[], bool], timeout: float = 30.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return predicate()


@pytest.fixture
def broker_sends(monkeypatch) -> list[str]:
    """The names of the tasks this process tries to hand to the broker, in order (whether
    the broker takes them or not)."""
    from celery import Celery

    tried: list[str] = []
    send_task = Celery.send_task

    def counted(app, name, *args, **kwargs):
        tried.append(name)
        return send_task(app, name, *args, **kwargs)

    monkeypatch.setattr(Celery, "send_task", counted)
    return tried


@pytest.fixture(autouse=True)
def publishing_not_paused() -> Iterator[None]:
    """A broker or Redis a test broke does not leave the next tests' jobs unpublished
    or their reads uncached."""
    from marketplace.core import outbox, redis_guard, versioning

    yield
    outbox.resume_publishing()
    redis_guard.resume()
    versioning._bump_owed = False


@pytest.fixture(autouse=True)
def fresh_throttle_counts() -> None:
    """Each test starts with no rate-limit counts. In the database they roll back with
    the test; in Redis (the production configuration) they would outlive it."""
    from django.conf import settings
    from django.core.cache import caches

    if "redis" not in settings.CACHES["throttle"]["BACKEND"].lower():
        return
    client = caches["throttle"]._cache.get_client(write=True)
    keys = list(client.scan_iter(match="*throttle:*"))
    if keys:
        client.delete(*keys)
