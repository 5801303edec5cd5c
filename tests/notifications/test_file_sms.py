"""The development SMS outbox: one file per message, readable by a new user of `make run`."""

from __future__ import annotations

import pytest

from integrations.notifications.files import FileSms
from marketplace.notifications.channels import ChannelError, Message


def message(text: str = "کد ورود بازارچه: 482913") -> Message:
    return Message(to="+989151234567", subject="", text=text, reference="42")


def test_each_message_is_a_file_and_a_repeat_overwrites_it(tmp_path, monkeypatch):
    outbox = FileSms(str(tmp_path / "sms"))
    first = outbox.send(message())
    [path] = (tmp_path / "sms").iterdir()
    assert path.name == first and "989151234567" in first
    assert path.read_text(encoding="utf-8") == "To: +989151234567\n\nکد ورود بازارچه: 482913\n"
    # The same message sent again after a crash, even seconds later, stays one file.
    import integrations.notifications.files as files

    class Later(files.datetime):
        @classmethod
        def now(cls, tz=None):
            return files.datetime(2099, 1, 1, tzinfo=tz)

    monkeypatch.setattr(files, "datetime", Later)
    assert outbox.send(message("again")) == first
    assert [p.name for p in (tmp_path / "sms").iterdir()] == [first]
    assert path.read_text(encoding="utf-8").endswith("again\n")


def test_a_folder_that_cannot_be_written_is_a_channel_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(ChannelError):
        FileSms(str(blocker / "sms")).send(message())
