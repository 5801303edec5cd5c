"""Schemathesis over the GraphQL schema: documents generated from the schema itself, for
every query and mutation, sent anonymously and as a superuser, never answer a server
error (5xx) or an "Internal error." (an exception a resolver did not expect).

The run is bounded and derandomized (the same documents on every run, in CI too);
SCHEMA_FUZZ_EXAMPLES sets how many documents each caller sends."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field

import pytest
import schemathesis
from django.test import Client
from graphql import introspection_from_schema
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.graphql import nodes

from marketplace.accounts.models import User
from marketplace.accounts.tokens import create_access_token
from marketplace.api.schema import schema as api_schema
from tests.builders.catalog import category, make_product

pytestmark = [pytest.mark.django_db, pytest.mark.fuzz]

EXAMPLES = int(os.environ.get("SCHEMA_FUZZ_EXAMPLES", "2000"))
INTERNAL_ERROR = "Internal error."

# Files come only in multipart requests; in a JSON document an upload is null.
schemathesis.graphql.scalar("Upload", st.just(nodes.Null))


@dataclass(frozen=True)
class Failure:
    document: str
    status: int
    answer: str


def cases() -> st.SearchStrategy:
    loaded = schemathesis.graphql.from_dict(
        {"data": introspection_from_schema(api_schema.graphql_schema)}
    )
    return st.one_of([result.ok().as_strategy() for result in loaded.get_all_operations()])


@dataclass
class Run:
    failures: list[Failure] = field(default_factory=list)
    # Documents answered with data and no error at all: the run reached resolvers.
    answered: int = 0
    sent: int = 0


def post(client: Client, document: str, user: User | None):
    headers = {"HTTP_ACCEPT_LANGUAGE": "en"}
    for _attempt in range(2):
        if user is not None:
            headers["HTTP_AUTHORIZATION"] = f"Bearer {create_access_token(user)}"
        response = client.post(
            "/graphql/",
            json.dumps({"query": document}),
            content_type="application/json",
            **headers,
        )
        # A generated sign-out or password change revoked the caller's tokens: sign in
        # again (the account's token version has moved on) and send the document again.
        if response.status_code != 401 or user is None:
            return response
        user.refresh_from_db()
    return response


def send(client: Client, document: str, user: User | None, run: Run) -> None:
    run.sent += 1
    try:
        response = post(client, document, user)
    except Exception as error:
        run.failures.append(Failure(document, 500, repr(error)))
        return
    content = response.content.decode("utf-8", "replace")
    if response.status_code >= 500:
        run.failures.append(Failure(document, response.status_code, content[:500]))
        return
    if not response.get("Content-Type", "").startswith("application/json"):
        return
    body = json.loads(content)
    errors = body.get("errors") or []
    if any(error.get("message") == INTERNAL_ERROR for error in errors):
        run.failures.append(Failure(document, response.status_code, content[:500]))
    elif not errors and body.get("data"):
        run.answered += 1


def fuzz(user: User | None) -> Run:
    client = Client(raise_request_exception=True)
    run = Run()

    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        # Findings are collected, not raised: no shrinking, every document sent once.
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(cases())
    def generated(case) -> None:
        send(client, case.body, user, run)

    generated()
    return run


def report(found: list[Failure]) -> str:
    return "\n\n".join(f"{f.status}: {f.answer}\n{f.document}" for f in found[:10])


@pytest.fixture
def catalogue(seeded, seller_a) -> None:
    """Something for the generated documents to find: a published product of a seller."""
    make_product(seller_a, "زعفران سرگل", category())


def test_anonymous_callers_get_no_server_error(catalogue):
    run = fuzz(None)
    assert not run.failures, report(run.failures)
    assert run.sent >= EXAMPLES and run.answered > run.sent // 10


def test_a_superuser_gets_no_server_error(catalogue):
    admin = User.objects.create_user(
        email="fuzz@example.com", password="x-long-password-1", is_staff=True, is_superuser=True
    )
    run = fuzz(admin)
    assert not run.failures, report(run.failures)
    assert run.sent >= EXAMPLES and run.answered > run.sent // 10
