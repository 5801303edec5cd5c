"""Fixtures of the payment tests: the sandbox gateway switched on, a buyer's two-fulfiller
order placed through it, and the steps a buyer's browser takes on the sandbox page."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.test import Client
from requests.adapters import BaseAdapter

from integrations.payments.sandbox import IN_PROCESS_BASE, SANDBOX_MERCHANT_ID, InProcessAdapter
from marketplace.orders import services
from marketplace.payments.gateways import get_gateway
from tests.builders.catalog import make_variant
from tests.builders.checkout import make_checkout
from tests.builders.seed import ensure_seeded

RETURN_URL = "https://shop.example.com/cart/return/"
ANNOUNCE = "marketplace.notifications.tasks.announce_order_placed"


def announcements(order) -> list[dict]:
    """The arguments of the jobs queued to announce `order`."""
    from marketplace.core.models import Job

    return [job.kwargs for job in Job.objects.filter(task=ANNOUNCE, kwargs__order_id=order.pk)]


@pytest.fixture
def seeded(db) -> None:
    ensure_seeded()


@pytest.fixture
def sandbox(settings, seeded):
    settings.PAYMENT_SANDBOX = True
    settings.PAYMENT_PUBLIC_URL = ""
    return get_gateway("sandbox")


@pytest.fixture
def goods(seeded, seller_a, seller_b):
    """Two products of two cooperatives (two shipments)."""
    return [make_variant(seller_a, quantity=5), make_variant(seller_b, quantity=5)]


def place(buyer, goods, gateway: str = "sandbox", redirect_url: str | None = RETURN_URL):
    checkout = make_checkout([(goods[0], 1), (goods[1], 2)], user=buyer)
    return services.complete_checkout(
        actor=buyer, checkout=checkout, gateway=gateway, redirect_url=redirect_url
    )


@pytest.fixture
def placed(sandbox, buyer, goods):
    return place(buyer, goods)


def decide(client: Client, action_url: str, result: str):
    """Press Pay or Cancel on the sandbox page; returns the redirect to our callback."""
    page = client.get(action_url)
    assert page.status_code == 200
    response = client.post(action_url, {"result": result})
    assert response.status_code == 302
    return response["Location"]


def callback(client: Client, location: str):
    return client.get(location)


def query_of(location: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}


class Faulty(BaseAdapter):
    """A provider that times out, or answers with `status`."""

    def __init__(self, status: int | None = None) -> None:
        super().__init__()
        self.status = status

    def send(self, request, **kwargs):
        if self.status is None:
            raise requests.Timeout("read timed out")
        response = requests.Response()
        response.status_code = self.status
        response._content = b"<html>Bad gateway</html>"
        response.request = request
        return response

    def close(self) -> None:
        return None


@pytest.fixture
def shaparak(settings, sandbox):
    """The real `shaparak` gateway, its API pointed at the sandbox; `.fail(adapter)`
    swaps the transport for a faulty one, `.heal()` restores it."""
    settings.SHAPARAK_MERCHANT_ID = SANDBOX_MERCHANT_ID
    settings.SHAPARAK_API_BASE = f"{IN_PROCESS_BASE}/payments/sandbox"
    settings.SHAPARAK_STARTPAY_BASE = "/payments/sandbox"
    gateway = get_gateway("shaparak")

    def use(adapter: BaseAdapter) -> None:
        session = requests.Session()
        session.mount(f"{IN_PROCESS_BASE}/", adapter)
        gateway._local.session = session

    gateway.fail = lambda adapter: use(adapter)
    gateway.heal = lambda: use(InProcessAdapter())
    gateway.heal()
    yield gateway
    gateway._local.session = None
