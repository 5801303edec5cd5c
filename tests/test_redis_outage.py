"""Redis down or hung, with the cache, the throttles and the broker on one Redis (the
compose layout): reads answer uncached, writes commit and answer normally, and their
jobs wait in the outbox for its sweep. Each test starts a throwaway redis-server of its
own (the binary the embedded broker uses) on a TCP port, and stops it (SIGTERM) or
freezes it (SIGSTOP)."""

from __future__ import annotations

import json
import logging
import signal
import socket
import subprocess
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta

import pytest
import redis
from django.db import connection
from django.test import Client
from django.utils import timezone

from config import redis_clients, services
from marketplace.accounts.tokens import create_access_token
from marketplace.checkout.models import Checkout
from marketplace.core import outbox, redis_guard
from marketplace.core.models import Job, JobStatus, ThrottleCount
from marketplace.sellers.models import Seller
from tests.builders.accounts import make_user
from tests.builders.catalog import category, make_product
from tests.conftest import use_broker
from tests.support import gid
from tests.waiting import wait_until

pytestmark = pytest.mark.django_db(transaction=True)

PRODUCTS = "{ products(first: 5) { edges { node { name } } } }"
SELLER_CREATE = """mutation($input: SellerCreateInput!) { sellerCreate(input: $input) {
  seller { id status } errors { field code message } } }"""
CHECKOUT_CREATE = """mutation($input: CheckoutCreateInput!) { checkoutCreate(input: $input) {
  checkout { id } errors { field code message } } }"""
FALLBACK_LOGGERS = (
    "marketplace.core.redis_guard",
    "marketplace.core.versioning",
    "marketplace.api.core.cache",
    "marketplace.core.throttle",
    "marketplace.core.outbox",
)


@dataclass
class RedisServer:
    process: subprocess.Popen
    url: str

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _answers(url: str) -> bool:
    try:
        return redis.Redis.from_url(url, socket_timeout=1).ping()
    except redis.RedisError:
        return False


@pytest.fixture
def redis_server(tmp_path) -> Iterator[RedisServer]:
    binary = services.redis_executable()
    port = _free_port()
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
    )
    server = RedisServer(process, f"redis://127.0.0.1:{port}/0")
    try:
        wait_until(
            lambda: _answers(server.url),
            what="redis-server answering",
            never=lambda: process.poll() is not None and "redis-server exited",
        )
        yield server
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGCONT)
            server.stop()


@pytest.fixture
def on_one_redis(settings, redis_server) -> Iterator[RedisServer]:
    """The production layout on the throwaway server: the response cache (on), the
    throttles and the broker, with the production settings' client timeouts."""
    cache = redis_clients.cache(redis_server.url)
    settings.CACHES = {"default": cache, "throttle": cache}
    settings.API_RESPONSE_CACHE_SECONDS = 60
    from config.celery import app

    previous = (app.conf.broker_url, app.conf.broker_transport_options)
    use_broker(redis_server.url)
    app.conf.broker_transport_options = redis_clients.BROKER_TRANSPORT_OPTIONS
    yield redis_server
    use_broker(previous[0])
    app.conf.broker_transport_options = previous[1]


@pytest.fixture
def shop(seeded, seller_a) -> dict:
    product = make_product(seller_a, "زعفران سرگل", category(), stock=50)
    return {"variant": gid("ProductVariant", product.variants.get().pk)}


def post(query: str, variables: dict | None = None, *, token: str | None = None):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return Client().post(
        "/graphql/",
        json.dumps({"query": query, "variables": variables or {}}),
        content_type="application/json",
        **headers,
    )


def products_answer() -> tuple[int, str | None, dict]:
    response = post(PRODUCTS)
    return response.status_code, response.get("X-Cache"), response.json()


def apply_for_a_shop(coop_a) -> dict:
    applicant = make_user("applicant@example.com")
    data = {"name": "زعفران خانواده کاظمی", "phone": "09151002030", "cooperative": gid(coop_a)}
    response = post(SELLER_CREATE, {"input": data}, token=create_access_token(applicant))
    assert response.status_code == 200, response.content
    return response.json()["data"]["sellerCreate"]


def start_a_cart(shop: dict) -> dict:
    data = {"lines": [{"variantId": shop["variant"], "quantity": 1}], "email": "g@example.com"}
    response = post(CHECKOUT_CREATE, {"input": data})
    assert response.status_code == 200, response.content
    return response.json()["data"]["checkoutCreate"]


def frozen(server: RedisServer, work: Callable[[], None]) -> None:
    """Run `work` in a thread while the server is stopped (SIGSTOP): it accepts
    connections but never answers. Continued (SIGCONT) whatever happens."""
    failures: list[BaseException] = []

    def run() -> None:
        try:
            work()
        except BaseException as error:
            failures.append(error)
        finally:
            connection.close()

    server.process.send_signal(signal.SIGSTOP)
    try:
        thread = threading.Thread(target=run)
        thread.start()
        # Only a guard against hanging the run: what is asserted is the clients' own
        # timeout errors, below.
        thread.join(120)
        assert not thread.is_alive(), "a request waited on the hung Redis"
    finally:
        server.process.send_signal(signal.SIGCONT)
    if failures:
        raise failures[0]


def fallbacks(caplog) -> list[str]:
    return [record.getMessage() for record in caplog.records if record.name in FALLBACK_LOGGERS]


def test_the_setup_really_caches_and_counts_in_redis(on_one_redis, shop):
    assert products_answer()[:2] == (200, "MISS")
    assert products_answer()[:2] == (200, "HIT")
    assert start_a_cart(shop)["errors"] == []
    assert not ThrottleCount.objects.exists()  # counted in Redis


def test_with_redis_stopped_reads_answer_uncached_and_writes_commit(
    on_one_redis, shop, coop_a, staff_a, caplog
):
    caplog.set_level(logging.WARNING)
    on_one_redis.stop()

    status, cache_header, body = products_answer()
    assert (status, cache_header) == (200, None)
    assert body["data"]["products"]["edges"] == [{"node": {"name": "زعفران سرگل"}}]

    applied = apply_for_a_shop(coop_a)
    assert applied["errors"] == [] and applied["seller"]["status"] == "PENDING"
    assert Seller.objects.filter(owner__email="applicant@example.com").exists()
    # The messages' jobs were not published; they wait for the sweep.
    jobs = Job.objects.filter(task="marketplace.notifications.tasks.send_notification")
    assert jobs.count() == 2
    assert set(jobs.values_list("status", flat=True)) == {JobStatus.PENDING}

    cart = start_a_cart(shop)
    assert cart["errors"] == [] and Checkout.objects.count() == 1
    # The anonymous cart's limit still counts, in the database meanwhile.
    assert ThrottleCount.objects.filter(key__startswith="throttle:checkout-create:").exists()

    logged = " ".join(fallbacks(caplog))
    assert "Connection refused" in logged or "Error 111" in logged, logged
    assert "not published" in logged


def test_with_redis_hung_requests_give_up_on_it_by_their_timeouts(
    on_one_redis, shop, coop_a, staff_a, caplog
):
    caplog.set_level(logging.WARNING)
    answers: dict[str, object] = {}

    def work() -> None:
        answers["products"] = products_answer()
        answers["seller"] = apply_for_a_shop(coop_a)
        answers["cart"] = start_a_cart(shop)

    frozen(on_one_redis, work)

    status, cache_header, body = answers["products"]
    assert (status, cache_header) == (200, None)
    assert body["data"]["products"]["edges"] == [{"node": {"name": "زعفران سرگل"}}]
    assert answers["seller"]["errors"] == []
    assert answers["cart"]["errors"] == []
    jobs = Job.objects.filter(task="marketplace.notifications.tasks.send_notification")
    assert set(jobs.values_list("status", flat=True)) == {JobStatus.PENDING}
    assert jobs.count() == 2
    assert ThrottleCount.objects.filter(key__startswith="throttle:checkout-create:").exists()
    # The first call gave up by its client's timeout error, not by the server's refusal;
    # then the process went without Redis (redis_guard): the response cache and the
    # throttle did not wait for it again, in that request or the next ones.
    logged = fallbacks(caplog)
    waited = [m for m in logged if "Timeout" in m and "published" not in m and "without" not in m]
    assert len(waited) == 1 and "Catalogue version unavailable" in waited[0], logged
    assert sum("going without it" in m for m in logged) == 1, logged
    assert any("not published" in m and "imeout" in m for m in logged), logged


def test_during_the_pause_redis_is_not_called_even_once_it_answers(
    on_one_redis, shop, settings, caplog
):
    settings.REDIS_PAUSE_SECONDS = 600
    caplog.set_level(logging.WARNING)
    frozen(on_one_redis, products_answer)
    # Answering again, but this process goes without it until the pause ends.
    assert _answers(on_one_redis.url)
    assert products_answer()[:2] == (200, None)
    assert start_a_cart(shop)["errors"] == []
    assert ThrottleCount.objects.filter(key__startswith="throttle:checkout-create:").exists()
    assert not redis.Redis.from_url(on_one_redis.url).keys("*throttle*")


def test_after_the_pause_redis_is_used_again_and_what_was_cached_before_is_not(
    on_one_redis, shop, settings
):
    settings.REDIS_PAUSE_SECONDS = 0.2
    assert [products_answer()[1] for _ in range(2)] == ["MISS", "HIT"]
    # A cart holds stock, which buyers see: its catalogue bump finds Redis hung (or left
    # alone after the throttle's call failed) and waits in the process.
    frozen(on_one_redis, lambda: start_a_cart(shop))
    answers = []

    def cached_again() -> bool:
        answers.append(products_answer()[1])
        return answers[-1] is not None

    wait_until(cached_again, what="the response cache used again after the pause")
    assert redis_guard.usable()
    # The owed bump came first: the answer cached before the outage is not served.
    assert answers[-1] == "MISS", answers
    assert products_answer()[1] == "HIT"


SEND = "marketplace.notifications.tasks.send_notification"


def queued_jobs(url: str) -> set[int]:
    """The outbox jobs whose messages wait in the broker's queue."""
    from config.celery import app

    messages = redis.Redis.from_url(url).lrange(app.conf.task_default_queue, 0, -1)
    return {json.loads(m)["headers"].get(outbox.HEADER) for m in messages}


def test_with_redis_hung_a_request_waits_for_one_publish_and_the_sweep_sends_the_rest(
    on_one_redis, coop_a, staff_a, broker_sends, caplog
):
    caplog.set_level(logging.INFO, logger="marketplace.core.outbox")
    answers: dict[str, object] = {}
    frozen(on_one_redis, lambda: answers.update(seller=apply_for_a_shop(coop_a)))

    assert answers["seller"]["errors"] == []
    jobs = Job.objects.filter(task=SEND).order_by("id")
    assert jobs.count() == 2
    assert set(jobs.values_list("status", flat=True)) == {JobStatus.PENDING}
    # The first job's publish waited for the hung broker; the second was not tried.
    assert broker_sends == [SEND]
    logged = fallbacks(caplog)
    assert sum("not published (" in m and "imeout" in m for m in logged) == 1, logged
    assert sum("publishing paused" in m for m in logged) == 1, logged

    # Redis answers again: the sweep's first try finds it back, and both are sent.
    broker_sends.clear()
    later = timezone.now() + outbox.resend_after() + timedelta(seconds=1)
    assert outbox.dispatch_due(now=later) == 2
    assert broker_sends == [SEND, SEND]
    assert set(jobs.values_list("pk", flat=True)) <= queued_jobs(on_one_redis.url)
