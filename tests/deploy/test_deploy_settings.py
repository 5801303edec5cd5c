from __future__ import annotations

import json
from typing import Any

import pytest

REDIS_URL = "redis://x:6379/0"

PRODUCTION_ENV = {
    "SECRET_KEY": "production-like-secret-key-for-the-settings-test-0123456789",
    "DATABASE_URL": "postgresql://bazarcheh:secret@db.invalid:5432/bazarcheh",
    "REDIS_URL": REDIS_URL,
    "AWS_STORAGE_BUCKET_NAME": "bazarcheh-media",
    "AWS_S3_ENDPOINT_URL": "http://minio.invalid:9000",
    "ALLOWED_HOSTS": "bazarcheh.example",
}


@pytest.fixture(scope="module")
def production(settings_probe) -> dict[str, Any]:
    loaded = settings_probe(PRODUCTION_ENV)
    assert loaded["error"] is None, loaded
    return loaded


def test_debug_is_off(production: dict[str, Any]) -> None:
    assert production["DEBUG"] is False


def test_cookies_are_secure(production: dict[str, Any]) -> None:
    assert production["SESSION_COOKIE_SECURE"] is True
    assert production["CSRF_COOKIE_SECURE"] is True


def test_https_is_enforced(production: dict[str, Any]) -> None:
    assert production["SECURE_SSL_REDIRECT"] is True
    assert production["SECURE_HSTS_SECONDS"] > 0


def test_the_api_is_not_mapped_for_visitors(production: dict[str, Any]) -> None:
    assert production["GRAPHIQL"] is False
    assert production["GRAPHQL_INTROSPECTION"] is False
    assert production["GRAPHQL_SUGGESTIONS"] is False
    assert production["csp_middleware"] is True


def test_allowed_hosts_come_from_the_environment(production: dict[str, Any]) -> None:
    assert production["ALLOWED_HOSTS"] == ["bazarcheh.example"]


def test_media_go_to_s3(production: dict[str, Any]) -> None:
    assert production["default_storage_class"] == "storages.backends.s3.S3Storage"
    assert production["bucket_name"] == PRODUCTION_ENV["AWS_STORAGE_BUCKET_NAME"]
    assert production["endpoint_url"] == PRODUCTION_ENV["AWS_S3_ENDPOINT_URL"]


def test_redis_is_broker_and_cache(production: dict[str, Any]) -> None:
    assert production["CELERY_BROKER_URL"] == REDIS_URL
    assert production["CACHE_BACKEND"] == "django.core.cache.backends.redis.RedisCache"


def test_costly_documents_are_counted_in_production(production: dict[str, Any]) -> None:
    # Off in tests only (tests/api/test_cost_budget.py turns it on).
    assert production["GRAPHQL_COST_BUDGET_SECONDS"] > 0


def test_redis_clients_give_up_within_seconds(production: dict[str, Any]) -> None:
    # A hung Redis must not hold a web worker (tests/test_redis_outage.py shows each
    # caller going on without it).
    for options in (production["CACHE_OPTIONS"], production["THROTTLE_CACHE_OPTIONS"]):
        assert 0 < options["socket_connect_timeout"] <= 2
        assert 0 < options["socket_timeout"] <= 2
    broker = production["BROKER_TRANSPORT_OPTIONS"]
    assert 0 < broker["socket_connect_timeout"] <= 2
    assert 0 < broker["socket_timeout"] <= 2
    assert broker["max_retries"] == 1


def test_repeated_statements_of_mutations_are_prepared(
    production: dict[str, Any], settings_probe
) -> None:
    assert production["prepare_threshold"] == 5
    # Behind a transaction-mode pooler they can be turned off.
    behind_pooler = settings_probe({**PRODUCTION_ENV, "DB_PREPARE_THRESHOLD": ""})
    assert behind_pooler["prepare_threshold"] is None


def test_static_files_are_hashed_and_compressed(production: dict[str, Any]) -> None:
    assert production["STATICFILES_BACKEND"] == (
        "whitenoise.storage.CompressedManifestStaticFilesStorage"
    )


def test_logs_are_json_lines(production: dict[str, Any]) -> None:
    assert production["log_formatter_class"] == "pythonjsonlogger.json.JsonFormatter"
    line = json.loads(production["log_line"])
    assert line["message"] == "probe message"
    assert line["level"] == "INFO"
    assert line["logger"] == "probe"


@pytest.mark.parametrize("missing", ["SECRET_KEY", "DATABASE_URL", "REDIS_URL"])
def test_required_variable_missing_fails_loudly(settings_probe, missing: str) -> None:
    env = {name: value for name, value in PRODUCTION_ENV.items() if name != missing}
    loaded = settings_probe(env)
    assert loaded["error"] == "ImproperlyConfigured"
    assert missing in loaded["message"]


def test_a_broker_of_its_own_is_enough(settings_probe) -> None:
    env = {name: value for name, value in PRODUCTION_ENV.items() if name != "REDIS_URL"}
    loaded = settings_probe({**env, "CELERY_BROKER_URL": "amqp://rabbit.invalid//"})
    assert loaded["error"] is None, loaded
