from __future__ import annotations

import socket

import pytest
from aiosmtpd.controller import Controller

from tests.notifications.kavenegar_server import API_KEY, KavenegarServer


class Inbox:
    """What the loopback SMTP server accepted."""

    def __init__(self) -> None:
        self.messages: list[dict] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(
            {"to": list(envelope.rcpt_tos), "data": envelope.content.decode("utf-8", "replace")}
        )
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[dict]:
        return [m for m in self.messages if address in m["to"]]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def sms_server(settings):
    server = KavenegarServer().start()
    settings.SMS_BACKEND = "integrations.notifications.kavenegar.Kavenegar"
    settings.KAVENEGAR_BASE_URL = server.base_url
    settings.KAVENEGAR_API_KEY = API_KEY
    settings.KAVENEGAR_SENDER = "10004346"
    settings.SMS_TIMEOUT_SECONDS = 2
    yield server
    server.stop()


@pytest.fixture
def smtp_server(settings):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = False
    yield inbox
    controller.stop()
