"""Forgotten password: ask for a reset link by email, then set a new password from it."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from storefront import client

REQUEST = """
mutation RequestPasswordReset($email: String!, $redirectUrl: String!) {
  requestPasswordReset(email: $email, redirectUrl: $redirectUrl) { errors { field code message } }
}
"""
SET = """
mutation SetPassword($email: String, $token: String!, $password: String!) {
  setPassword(email: $email, token: $token, password: $password) {
    errors { field code message }
  }
}
"""
MAX_INPUT = 300


def _text(source, name: str) -> str:
    value = source.get(name, "")
    return value.strip()[:MAX_INPUT] if isinstance(value, str) else ""


def reset_request(request):
    email = _text(request.POST, "email") if request.method == "POST" else ""
    errors: list[str] = []
    if request.method == "POST":
        if not email:
            errors.append(_("Enter your email address."))
        else:
            link = request.build_absolute_uri(reverse("account:password_set"))
            _payload, found = client.mutate(
                request, REQUEST, {"email": email, "redirectUrl": link}, root="requestPasswordReset"
            )
            if not found:
                messages.success(
                    request,
                    _(
                        "If an account has this email, a link to set a new password is on "
                        "its way. Look in your inbox (and the spam folder)."
                    ),
                )
                return redirect("account:password_reset")
            errors = [item["message"] for item in found.items]
    return render(
        request,
        "storefront/account/password_reset.html",
        {"email": email, "errors": errors},
        status=400 if errors else 200,
    )


def set_new_password(request):
    source = request.POST if request.method == "POST" else request.GET
    email, token = _text(source, "email"), _text(source, "token")
    errors: list[str] = []
    if request.method == "POST":
        password = request.POST.get("password", "")
        password = password if isinstance(password, str) else ""
        _payload, found = client.mutate(
            request,
            SET,
            {"email": email, "token": token, "password": password},
            root="setPassword",
        )
        if not found:
            messages.success(request, _("Your new password is set; sign in with it."))
            return redirect("account:signin")
        errors = [item["message"] for item in found.items]
    return render(
        request,
        "storefront/account/password_set.html",
        {"email": email, "token": token, "errors": errors},
        status=400 if errors else 200,
    )
