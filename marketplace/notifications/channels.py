"""The channels messages leave by, behind one interface.

The domain says what a channel must do (`Channel.send`); SMS providers live in
`integrations/notifications/` and are chosen by settings.SMS_BACKEND (a dotted path):
the development file outbox by default, `integrations.notifications.kavenegar.Kavenegar`
in production. E-mail goes through Django's e-mail backends (settings.EMAIL_BACKEND).

`send` gets the notification's id as `reference`: a provider that deduplicates by a
client id (Kavenegar's `localid`) or a Message-ID header lets a send repeated after a
crash reach the person once.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings


class ChannelError(Exception):
    """Sending failed. `temporary`: trying again later may work (timeouts, 5xx)."""

    def __init__(self, message: str, *, temporary: bool = True) -> None:
        super().__init__(message)
        self.temporary = temporary


@dataclass(frozen=True)
class Message:
    to: str
    subject: str
    text: str
    reference: str


class Channel(Protocol):
    def send(self, message: Message) -> str:
        """Send; return the provider's id of the message. Raise ChannelError."""
        ...


class ReportsDelivery(Protocol):
    """A channel that can say later whether messages reached the handset."""

    def delivery_reports(self, message_ids: list[str]) -> dict[str, str]:
        """{provider id: DELIVERED or UNDELIVERED} for the messages whose fate is known.
        Raise ChannelError."""
        ...


class EmailChannel:
    def send(self, message: Message) -> str:
        from django.core.mail import EmailMessage

        message_id = f"<notification-{message.reference}@{settings.NOTIFICATION_MESSAGE_DOMAIN}>"
        email = EmailMessage(
            subject=message.subject.replace("\r", " ").replace("\n", " "),
            body=message.text,
            to=[message.to],
            headers={"Message-ID": message_id},
        )
        try:
            email.send()
        except Exception as exc:
            raise ChannelError(repr(exc)[:500]) from exc
        return message_id


def _load(path: str):
    module_name, _, name = path.rpartition(".")
    return getattr(importlib.import_module(module_name), name)


def sms() -> Channel:
    return _load(settings.SMS_BACKEND)()


def email() -> Channel:
    return EmailChannel()


def for_kind(kind: str) -> Channel:
    return sms() if kind == "SMS" else email()
