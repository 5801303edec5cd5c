"""An order placed reaches everyone once, from a real worker on the real broker, through
a local Kavenegar-style SMS server and a real SMTP server; a worker killed in the middle
of a send and started again sends nothing twice."""

from __future__ import annotations

import os
import subprocess

import pytest
from django.db import transaction

from marketplace.core import outbox
from marketplace.core.models import Job, JobStatus
from marketplace.notifications.models import Notification, NotificationStatus
from marketplace.orders import services
from tests.builders.accounts import make_user
from tests.builders.catalog import make_variant
from tests.builders.checkout import make_checkout
from tests.builders.seed import ensure_seeded
from tests.conftest import ROOT, _wait_until_ready, wait_for, worker_command
from tests.notifications.kavenegar_server import API_KEY

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

BUYER_PHONE = "+989151110000"
SELLER_PHONES = {"a": "+989151110001", "b": "+989151110002"}


@pytest.fixture
def provider_env(monkeypatch, sms_server, smtp_server, settings):
    """The worker (started after this) talks to the local SMS and SMTP servers."""
    env = {
        "SMS_BACKEND": settings.SMS_BACKEND,
        "KAVENEGAR_BASE_URL": sms_server.base_url,
        "KAVENEGAR_API_KEY": API_KEY,
        "KAVENEGAR_SENDER": "10004346",
        "SMS_TIMEOUT_SECONDS": "60",
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(settings.EMAIL_PORT),
        "NOTIFICATION_SEND_LEASE_SECONDS": "3",
        "OUTBOX_RESEND_AFTER_SECONDS": "2",
    }
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    settings.OUTBOX_RESEND_AFTER_SECONDS = 2
    return sms_server, smtp_server


@pytest.fixture
def order_parties(coop_a, coop_b, staff_a, staff_b, seller_a, seller_b):
    ensure_seeded()
    for key, seller in (("a", seller_a), ("b", seller_b)):
        seller.phone = SELLER_PHONES[key]
        seller.save(update_fields=["phone"])
    buyer = make_user("phone-buyer@example.com", phone=BUYER_PHONE)
    variants = [make_variant(seller_a), make_variant(seller_b)]
    return buyer, variants


def place(buyer, variants):
    with transaction.atomic():
        checkout = make_checkout([(v, 1) for v in variants], user=buyer)
    order, _payment = services.complete_checkout(actor=buyer, checkout=checkout, gateway="cod")
    return order


def everyone_heard_once(sms_server, smtp_server) -> None:
    for phone in (BUYER_PHONE, *SELLER_PHONES.values()):
        assert len(sms_server.to(phone)) == 1, phone
    for email in ("staff-a@example.com", "staff-b@example.com"):
        assert len(smtp_server.to(email)) == 1, email
    assert len(sms_server.log.messages) == 3 and len(smtp_server.messages) == 2


def all_sent() -> bool:
    rows = list(Notification.objects.values_list("status", flat=True))
    return len(rows) == 5 and set(rows) == {NotificationStatus.SENT}


def test_an_order_reaches_buyer_cooperatives_and_sellers_once(
    provider_env, order_parties, celery_worker_process
):
    sms_server, smtp_server = provider_env
    order = place(*order_parties)
    assert wait_for(all_sent, timeout=90), list(Notification.objects.values("template", "status"))
    everyone_heard_once(sms_server, smtp_server)
    buyer_sms = sms_server.to(BUYER_PHONE)[0]["message"]
    assert str(order.number) in buyer_sms and "بازارچه" in buyer_sms
    # The same event announced again records and sends nothing more.
    from marketplace.notifications import announce

    assert announce.order_placed(order_id=order.pk) == 0
    assert wait_for(
        lambda: set(Job.objects.values_list("status", flat=True)) == {JobStatus.DONE}, 30
    )
    everyone_heard_once(sms_server, smtp_server)


def start_worker(queue: str) -> subprocess.Popen:
    from django.conf import settings

    from tests.conftest import _database_url

    env = {
        **os.environ,
        "DATABASE_URL": _database_url(settings.DATABASES["default"]),
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "BAZARCHEH_TESTING": "1",
        "CELERY_TASK_DEFAULT_QUEUE": queue,
    }
    proc = subprocess.Popen(
        worker_command("--queues", queue),
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    _wait_until_ready(proc)
    return proc


def test_a_worker_killed_mid_send_and_restarted_sends_nothing_twice(
    provider_env, order_parties, celery_worker_process
):
    from config.celery import app

    sms_server, smtp_server = provider_env
    # The provider takes the first SMS and then never answers: the worker is killed
    # between the provider's acceptance and the SENT mark.
    sms_server.log.hang_after_accept = 600
    place(*order_parties)
    assert wait_for(lambda: sms_server.log.requests >= 1, timeout=90)
    # The fixture's worker is the one mid-send; kill it hard.
    worker = next(p for p in _children_named("celery") if p.pid != os.getpid())
    worker.kill()
    worker.wait(timeout=30)
    sms_server.log.hang_after_accept = 0
    queue = app.conf.task_default_queue
    restarted = start_worker(queue)
    try:
        # Celery beat's part: publish again what no task reported done.
        def swept() -> bool:
            outbox.dispatch_due()
            return all_sent()

        assert wait_for(swept, timeout=120), list(
            Notification.objects.values("template", "status", "attempts")
        )
    finally:
        restarted.kill()
        restarted.wait(timeout=30)
    everyone_heard_once(sms_server, smtp_server)
    # The message the killed worker had handed over was sent again with its localid.
    assert sms_server.log.requests > len(sms_server.log.messages)


def _children_named(word: str):
    import psutil

    return [
        child
        for child in psutil.Process().children(recursive=True)
        if any(word in part for part in child.cmdline())
    ]
