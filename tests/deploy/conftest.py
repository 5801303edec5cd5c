from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]

# Runs in a fresh interpreter, so settings are evaluated against exactly the given
# environment and nothing from the test process leaks in.
SETTINGS_PROBE = r"""
import json
import logging
import os

os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
try:
    import django

    django.setup()
except Exception as exc:
    print(json.dumps({"error": type(exc).__name__, "message": str(exc)}))
    raise SystemExit(0)

from django.conf import settings
from django.core.files.storage import storages

storage = storages["default"]
console = next(h for h in logging.getLogger().handlers if h.formatter is not None)
record = logging.LogRecord("probe", logging.INFO, "probe.py", 1, "probe message", None, None)
print(json.dumps({
    "error": None,
    "DEBUG": settings.DEBUG,
    "ALLOWED_HOSTS": settings.ALLOWED_HOSTS,
    "SESSION_COOKIE_SECURE": settings.SESSION_COOKIE_SECURE,
    "CSRF_COOKIE_SECURE": settings.CSRF_COOKIE_SECURE,
    "SECURE_SSL_REDIRECT": settings.SECURE_SSL_REDIRECT,
    "SECURE_HSTS_SECONDS": settings.SECURE_HSTS_SECONDS,
    "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
    "prepare_threshold": settings.DB_PREPARE_THRESHOLD,
    "CACHE_BACKEND": settings.CACHES["default"]["BACKEND"],
    "CACHE_OPTIONS": settings.CACHES["default"].get("OPTIONS"),
    "THROTTLE_CACHE_OPTIONS": settings.CACHES["throttle"].get("OPTIONS"),
    "BROKER_TRANSPORT_OPTIONS": getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", None),
    "GRAPHQL_COST_BUDGET_SECONDS": settings.GRAPHQL_COST_BUDGET_SECONDS,
    "STATICFILES_BACKEND": settings.STORAGES["staticfiles"]["BACKEND"],
    "default_storage_class": f"{type(storage).__module__}.{type(storage).__qualname__}",
    "bucket_name": getattr(storage, "bucket_name", None),
    "endpoint_url": getattr(storage, "endpoint_url", None),
    "log_formatter_class": (
        f"{type(console.formatter).__module__}.{type(console.formatter).__qualname__}"
    ),
    "log_line": console.format(record),
    "GRAPHIQL": settings.GRAPHIQL,
    "GRAPHQL_INTROSPECTION": settings.GRAPHQL_INTROSPECTION,
    "GRAPHQL_SUGGESTIONS": settings.GRAPHQL_SUGGESTIONS,
    "csp_middleware": "csp.middleware.CSPMiddleware" in settings.MIDDLEWARE,
}))
"""

SettingsProbe = Callable[[dict[str, str]], dict[str, Any]]


def clean_environment(extra: dict[str, str]) -> dict[str, str]:
    """Only what an interpreter needs, plus `extra`: no dev, testing or deployment flags."""
    base = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/tmp"),
        "LANG": "C.UTF-8",
        "PYTHONPATH": str(ROOT),
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    return {**base, **extra}


@pytest.fixture(scope="session")
def settings_probe() -> SettingsProbe:
    """Load config.settings in a subprocess with the given environment; return what it set."""

    def probe(env: dict[str, str]) -> dict[str, Any]:
        result = subprocess.run(
            [sys.executable, "-c", SETTINGS_PROBE],
            cwd=ROOT,
            env=clean_environment(env),
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
        lines = result.stdout.strip().splitlines()
        assert lines, result.stderr
        return json.loads(lines[-1])

    return probe
