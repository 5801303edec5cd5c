"""Signing in (or up) with a code sent by SMS: the first choice for phones. Two plain
forms, no JavaScript: the number, then the code."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from storefront import client
from storefront.account import documents
from storefront.cart import session as cart_session
from storefront.cart.fields import Field, attach_errors, next_url, posted


def phone_fields(request) -> list[Field]:
    return [
        Field(
            "phone",
            gettext_lazy("Mobile number"),
            value=posted(request, "phone"),
            kind="tel",
            autocomplete="tel",
            inputmode="tel",
            prefix="c",
            hint=gettext_lazy("We send a 6-digit code by SMS; Persian digits are fine."),
        )
    ]


def _code_fields(request) -> list[Field]:
    return [
        Field(
            "code",
            gettext_lazy("Code"),
            kind="text",
            autocomplete="one-time-code",
            inputmode="numeric",
            prefix="c",
            hint=gettext_lazy("The code is valid for 2 minutes."),
        )
    ]


def _code_page(request, phone: str, fields: list[Field], general: list[str]):
    context = {
        "phone": phone,
        "fields": fields,
        "general": general,
        "next": next_url(request, ""),
        "dev_outbox": settings.SMS_FILE_PATH if settings.DEBUG else "",
    }
    return render(request, "storefront/account/signin_code.html", context)


@require_POST
def code_request(request):
    from storefront.account.views import signin_page

    phone = posted(request, "phone")
    _payload, errors = client.mutate(
        request, documents.REQUEST_CODE, {"phone": phone}, root="accountRequestLoginCode"
    )
    if errors:
        fields = phone_fields(request)
        return signin_page(request, code_fields=fields, code_general=attach_errors(fields, errors))
    return _code_page(request, phone, _code_fields(request), [])


@require_POST
def code_verify(request):
    back = next_url(request, reverse("account:index"))
    phone, code = posted(request, "phone"), posted(request, "code")
    payload, errors = client.mutate(
        request,
        documents.CODE_SIGN_IN,
        {"phone": phone, "code": code},
        root="tokenCreateFromLoginCode",
    )
    if errors or not payload.get("token"):
        fields = _code_fields(request)
        return _code_page(request, phone, fields, attach_errors(fields, errors))
    client.sign_in(request, access=payload["token"], refresh=payload.get("refreshToken"))
    cart_session.after_sign_in(request)
    messages.success(request, _("You are signed in."))
    return redirect(back)
