"""A large or anonymous upload is refused by its headers, before its body is read."""

from __future__ import annotations

import pytest

from marketplace.accounts.tokens import create_access_token

pytestmark = pytest.mark.django_db

FIFTY_MB = 50 * 1024 * 1024


class UnreadBody:
    """A request body that fails the test if anything reads it."""

    def read(self, size: int = -1) -> bytes:
        raise AssertionError("the upload was read")

    readline = read


def _upload(client, length: int, **headers):
    return client.generic(
        "POST",
        "/graphql/",
        b"",
        CONTENT_TYPE="multipart/form-data; boundary=xyz",
        CONTENT_LENGTH=str(length),
        HTTP_ACCEPT_LANGUAGE="en",
        **{"wsgi.input": UnreadBody()},
        **headers,
    )


def test_an_anonymous_upload_is_refused_unread(client):
    response = _upload(client, FIFTY_MB)
    assert response.status_code == 403, response.content
    assert response.json()["errors"][0]["extensions"]["code"] == "PERMISSION_DENIED"


def test_a_large_upload_is_refused_unread(client, buyer, settings):
    token = create_access_token(buyer)
    response = _upload(client, FIFTY_MB, HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 413, response.content
    assert response.json()["errors"][0]["extensions"]["code"] == "TOO_LONG"
    assert "MB" in response.json()["errors"][0]["message"]
