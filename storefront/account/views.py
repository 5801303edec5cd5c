"""Signing up, in and out, and the account's front page. Signing in (or up) hands the
session's cart to the account, and both honour `next` (the panel sends producers here)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from storefront import client
from storefront.account import documents
from storefront.account.guard import signed_in_required
from storefront.cart import session as cart_session
from storefront.cart.fields import Field, attach_errors, next_url, posted
from storefront.client import FormErrors


def _signin_fields(request) -> list[Field]:
    return [
        Field(
            "login",
            gettext_lazy("Email or mobile number"),
            value=posted(request, "login"),
            autocomplete="username",
        ),
        Field(
            "password", gettext_lazy("Password"), kind="password", autocomplete="current-password"
        ),
    ]


def _signup_fields(request) -> list[Field]:
    return [
        Field(
            "firstName",
            gettext_lazy("First name"),
            value=posted(request, "firstName"),
            autocomplete="given-name",
        ),
        Field(
            "lastName",
            gettext_lazy("Last name"),
            value=posted(request, "lastName"),
            autocomplete="family-name",
        ),
        Field(
            "email",
            gettext_lazy("Email"),
            value=posted(request, "email"),
            kind="email",
            autocomplete="email",
        ),
        Field(
            "phone",
            gettext_lazy("Mobile number"),
            value=posted(request, "phone"),
            kind="tel",
            autocomplete="tel",
            inputmode="tel",
            required=False,
            hint=gettext_lazy("You can sign in with it too; Persian digits are fine."),
        ),
        Field(
            "password",
            gettext_lazy("Password"),
            kind="password",
            autocomplete="new-password",
            hint=gettext_lazy("At least 8 characters; not only digits."),
        ),
    ]


def _sign_in(request, login: str, password: str) -> FormErrors:
    payload, errors = client.mutate(
        request,
        documents.TOKEN_CREATE,
        {"login": login, "password": password},
        root="tokenCreate",
    )
    if errors or not payload.get("token"):
        return errors
    client.sign_in(request, access=payload["token"], refresh=payload.get("refreshToken"))
    cart_session.after_sign_in(request)
    return FormErrors()


def _form(
    request,
    template: str,
    fields: list[Field],
    general: list[str],
    status: int = 200,
    **extra,
):
    context = {"fields": fields, "general": general, "next": next_url(request, ""), **extra}
    return render(request, f"storefront/account/{template}", context, status=status)


def signin_page(
    request,
    *,
    fields: list[Field] | None = None,
    general: list[str] | None = None,
    code_fields: list[Field] | None = None,
    code_general: list[str] | None = None,
):
    """The sign-in page: a code by SMS first, then email or mobile with a password."""
    from storefront.account.login_code import phone_fields

    return _form(
        request,
        "signin.html",
        fields if fields is not None else _signin_fields(request),
        general or [],
        code_fields=code_fields if code_fields is not None else phone_fields(request),
        code_general=code_general or [],
    )


@require_http_methods(["GET", "POST"])
def signin(request):
    back = next_url(request, reverse("account:index"))
    if client.signed_in(request) and request.method == "GET":
        return redirect(back)
    fields = _signin_fields(request)
    if request.method == "GET":
        return signin_page(request, fields=fields)
    login, password = posted(request, "login"), request.POST.get("password", "")
    errors = _sign_in(request, login, password if isinstance(password, str) else "")
    if errors:
        # The API names the login argument `email`; this form calls it `login`.
        for item in errors.items:
            if item.get("field") == "email":
                item["field"] = "login"
        return signin_page(request, fields=fields, general=attach_errors(fields, errors))
    messages.success(request, _("Welcome back."))
    return redirect(back)


@require_http_methods(["GET", "POST"])
def signup(request):
    back = next_url(request, reverse("account:index"))
    fields = _signup_fields(request)
    if request.method == "GET":
        return _form(request, "signup.html", fields, [])
    values = {f.name: posted(request, f.name) for f in fields if f.name != "password"}
    password = request.POST.get("password", "")
    password = password if isinstance(password, str) else ""
    data = {**values, "password": password}
    if not data["phone"]:
        data.pop("phone")
    _payload, errors = client.mutate(
        request, documents.REGISTER, {"input": data}, root="accountRegister"
    )
    if errors:
        return _form(request, "signup.html", fields, attach_errors(fields, errors))
    sign_in_errors = _sign_in(request, values["email"], password)
    if sign_in_errors:
        messages.error(request, _("Your account is ready; please sign in."))
        return redirect("account:signin")
    messages.success(request, _("Welcome to Bazarcheh."))
    return redirect(back)


@require_POST
def signout(request):
    client.sign_out(request, revoke=True)
    cart_session.on_sign_out(request)
    messages.success(request, _("You are signed out."))
    return redirect("shop:home")


@signed_in_required
def index(request):
    try:
        data = client.query(request, documents.ME)
    except client.APIError:
        data = {}
    me = data.get("me")
    if me is None:
        client.sign_out(request)
        return redirect("account:signin")
    context = {"me": me, "preferences": data.get("notificationPreferences") or []}
    return render(request, "storefront/account/index.html", context)
