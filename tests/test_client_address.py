"""Limits per client address count visitors, not the reverse proxy in front of the shop."""

from __future__ import annotations

import pytest

from config.proxy import client_address

pytestmark = pytest.mark.django_db

REQUEST = """mutation($phone: String!) {
  accountRequestLoginCode(phone: $phone) { errors { field code } }
}"""
PROXY = "10.0.0.2"


def meta(forwarded: str) -> dict:
    return {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": forwarded}


def test_no_trusted_proxy_keeps_the_peer(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_address(meta("5.6.7.8")) == PROXY


def test_the_address_our_proxies_saw(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_address(meta("5.6.7.8")) == "5.6.7.8"
    # A client writing its own X-Forwarded-For cannot choose its address.
    assert client_address(meta("1.1.1.1, 5.6.7.8")) == "5.6.7.8"
    assert client_address(meta("not-an-address")) == PROXY
    assert client_address({"REMOTE_ADDR": PROXY}) == PROXY
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_address(meta("1.1.1.1, 5.6.7.8, 172.16.0.9")) == "5.6.7.8"
    assert client_address(meta("5.6.7.8")) == PROXY


def test_sign_in_codes_are_throttled_per_visitor_behind_the_proxy(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.LOGIN_CODE_PER_CLIENT_HOUR = 2

    def ask(phone: str, visitor: str) -> list[str]:
        response = client.post(
            "/graphql/",
            {"query": REQUEST, "variables": {"phone": phone}},
            content_type="application/json",
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR=f"9.9.9.9, {visitor}",
        )
        errors = response.json()["data"]["accountRequestLoginCode"]["errors"]
        return [error["code"] for error in errors]

    assert ask("09151230001", "5.6.7.8") == []
    assert ask("09151230002", "5.6.7.8") == []
    assert ask("09151230003", "5.6.7.8") == ["THROTTLED"]
    # Another visitor through the same proxy is not held back by the first.
    assert ask("09151230004", "5.6.7.9") == []
