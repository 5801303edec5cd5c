"""Account pages are for signed-in visitors: others are sent to sign in and back."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from urllib.parse import urlencode

from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from storefront import client


def sign_in_url(next_path: str) -> str:
    return f"{reverse('account:signin')}?{urlencode({'next': next_path})}"


def signed_in_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapper(request, *args, **kwargs) -> HttpResponse:
        if not client.signed_in(request):
            back = request.get_full_path() if request.method == "GET" else reverse("account:index")
            return redirect(sign_in_url(back))
        return view(request, *args, **kwargs)

    return wrapper
