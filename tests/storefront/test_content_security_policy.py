"""Every page carries a Content-Security-Policy that runs only the site's own scripts
(Stripe's on the card page): no inline script runs unless it carries the page's nonce."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import reverse

from tests.storefront.shopping import shopper  # noqa: F401

pytestmark = pytest.mark.django_db
TEMPLATES = Path(__file__).resolve().parents[2] / "storefront" / "templates"


def _directives(header: str) -> dict[str, list[str]]:
    parts = (part.strip().split() for part in header.split(";") if part.strip())
    return {name: values for name, *values in parts}


def test_pages_carry_the_policy(seeded, shopper):  # noqa: F811
    for url in (reverse("shop:home"), reverse("account:signin")):
        response = shopper.get(url)
        assert response.status_code == 200
        policy = _directives(response["Content-Security-Policy"])
        assert policy["default-src"] == ["'self'"]
        assert "'unsafe-inline'" not in policy["script-src"]
        assert "'unsafe-eval'" not in policy["script-src"]
        assert policy["object-src"] == ["'none'"]
        assert policy["frame-ancestors"] == ["'none'"]


def test_every_inline_script_carries_the_nonce():
    for template in TEMPLATES.rglob("*.html"):
        for tag in re.findall(r"<script\b[^>]*>", template.read_text()):
            assert "src=" in tag or 'nonce="{{ request.csp_nonce }}"' in tag, template
        assert not re.search(r"\son[a-z]+=", template.read_text()), template
