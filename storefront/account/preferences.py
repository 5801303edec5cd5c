"""The account page's settings: a first password for a phone-only account, and how each
kind of message arrives."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from storefront import client
from storefront.account import documents
from storefront.account.guard import signed_in_required

DELIVERIES = ("AUTO", "SMS", "EMAIL", "BOTH", "OFF")


@require_POST
@signed_in_required
def set_password(request):
    password = request.POST.get("password", "")
    payload, errors = client.mutate(
        request,
        documents.SET_PASSWORD,
        {"password": password if isinstance(password, str) else ""},
        root="accountSetPassword",
    )
    if errors or not payload.get("token"):
        for item in errors.items:
            messages.error(request, item["message"])
        return redirect("account:index")
    # The new password ends the old tokens: keep the session signed in with new ones.
    client.sign_in(request, access=payload["token"], refresh=payload.get("refreshToken"))
    messages.success(request, _("Your password is saved. You can sign in with it too."))
    return redirect("account:index")


@require_POST
@signed_in_required
def save_preferences(request):
    failed = False
    for key, value in request.POST.items():
        # The form carries each kind's current choice: only changes are sent.
        if not key.startswith("kind-") or value not in DELIVERIES:
            continue
        if value == request.POST.get("was-" + key[len("kind-") :], "AUTO"):
            continue
        _payload, errors = client.mutate(
            request,
            documents.PREFERENCE_UPDATE,
            {"kind": key[len("kind-") :], "delivery": value},
            root="notificationPreferenceUpdate",
        )
        for item in errors.items:
            failed = True
            messages.error(request, item["message"])
    if not failed:
        messages.success(request, _("Your message settings are saved."))
    return redirect("account:index")
