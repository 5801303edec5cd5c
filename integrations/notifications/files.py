"""Development SMS: each message is a file in settings.SMS_FILE_PATH (`.data/outbox/sms`
under `make run`), so a new user reads sign-in codes without a provider account."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings

from marketplace.notifications.channels import ChannelError, Message


class FileSms:
    def __init__(self, folder: str | None = None) -> None:
        self.folder = Path(folder or settings.SMS_FILE_PATH)

    def send(self, message: Message) -> str:
        name = f"{message.to.lstrip('+')}-{message.reference}.txt"
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            # One file per reference: a send repeated after a crash (seconds or hours
            # later) overwrites the first, never adds a second.
            earlier = sorted(self.folder.glob(f"*-{name}"))
            stamp = datetime.now(tz=UTC).strftime("%Y%m%d-%H%M%S")
            path = earlier[0] if earlier else self.folder / f"{stamp}-{name}"
            tmp = path.with_suffix(".tmp")
            tmp.write_text(f"To: {message.to}\n\n{message.text}\n", encoding="utf-8")
            os.replace(tmp, path)
        except OSError as exc:
            raise ChannelError(repr(exc)) from exc
        return path.name
