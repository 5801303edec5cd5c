"""Who is using the panel: every page needs a signed-in visitor; the producers' pages
need their seller, the cooperatives' pages staff of that cooperative. The API decides
what each may do; these only choose which page to show."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse
from django.utils.http import url_has_allowed_host_and_scheme

from storefront import client
from storefront.panel import queries

SIGN_IN_NAMES = ("account:signin", "account:index")


def sign_in_url(next_path: str) -> str:
    for name in SIGN_IN_NAMES:
        try:
            base = reverse(name)
        except NoReverseMatch:
            continue
        return f"{base}?{urlencode({'next': next_path})}"
    return "/"


def panel_me(request: HttpRequest) -> dict[str, Any] | None:
    """The signed-in user with their seller and cooperatives, once per request."""
    if not hasattr(request, "_panel_me"):
        me = None
        if client.signed_in(request):
            try:
                me = client.query(request, queries.PANEL_ME).get("me")
            except client.APIError:
                me = None
        request._panel_me = me
    return request._panel_me


def signed_in(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if panel_me(request) is None:
            return redirect(sign_in_url(request.get_full_path()))
        return view(request, *args, **kwargs)

    return wrapper


def seller_of(request: HttpRequest) -> dict[str, Any] | None:
    return (panel_me(request) or {}).get("seller")


def cooperative_of(request: HttpRequest, slug: str) -> dict[str, Any]:
    """The cooperative with `slug` where the visitor is staff; 404 for any other."""
    for cooperative in (panel_me(request) or {}).get("cooperatives") or []:
        if cooperative["slug"] == slug:
            return cooperative
    raise Http404


def safe_next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback
