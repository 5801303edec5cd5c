"""The Kavenegar adapter against the local server that speaks its API."""

from __future__ import annotations

import pytest

from integrations.notifications.kavenegar import Kavenegar
from marketplace.notifications.channels import ChannelError, Message

PHONE = "+989151234567"


def message(reference: str = "7") -> Message:
    return Message(to=PHONE, subject="", text="بازارچه: آزمایش", reference=reference)


def test_send_then_ask_the_delivery_status(sms_server):
    adapter = Kavenegar()
    message_id = adapter.send(message())
    assert message_id == "8001"
    assert sms_server.log.messages[0]["localid"] == "7"
    assert sms_server.log.messages[0]["message"] == "بازارچه: آزمایش"
    assert adapter.status(message_id) == 10  # delivered
    # The same reference again: the provider answers with the first message's id.
    assert adapter.send(message()) == "8001" and len(sms_server.log.messages) == 1


def test_a_wrong_api_key_is_permanent(sms_server):
    with pytest.raises(ChannelError) as exc:
        Kavenegar(api_key="wrong").send(message())
    assert exc.value.temporary is False and "401" in str(exc.value)


def test_a_provider_answering_html_500_is_temporary(sms_server):
    sms_server.log.fail_next = 1
    with pytest.raises(ChannelError) as exc:
        Kavenegar().send(message())
    assert exc.value.temporary is True


def test_nothing_listening_is_temporary(settings):
    settings.KAVENEGAR_API_KEY = "k"
    with pytest.raises(ChannelError) as exc:
        Kavenegar(base_url="http://127.0.0.1:1", timeout=1).send(message())
    assert exc.value.temporary is True
