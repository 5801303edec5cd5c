"""The gateway side of the Shaparak (Zarinpal v4) protocol, served by Bazarcheh itself
for the sandbox gateway: payment request, the StartPay page, verify, reverse, inquiry
and the unverified list, with the gateway's own state in SandboxSession.

Mounted at /payments/sandbox/; every view answers 404 unless settings.PAYMENT_SANDBOX
is on. The JSON
methods are server-to-server (no CSRF, as a real gateway's API); the StartPay page is
a form in the buyer's browser and keeps Django's CSRF protection.
"""

from __future__ import annotations

import json
import logging
import secrets
from collections.abc import Callable
from decimal import Decimal
from functools import wraps

from django.conf import settings
from django.db import connection
from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from marketplace.channels.money import MINOR_UNITS
from marketplace.core import sql
from marketplace.payments.models import SandboxSession, SandboxStatus

logger = logging.getLogger("integrations.payments.sandbox")

MIN_AMOUNT = 1000  # rial, as the real gateways require
REVERSE_MINUTES = 30
CARD_PAN = "502229******5995"


def sandbox_only(view: Callable) -> Callable:
    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not settings.PAYMENT_SANDBOX:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


def _ok(**data) -> JsonResponse:
    return JsonResponse({"data": {"message": "Success", **data}, "errors": []})


def _error(code: int, message: str, status: int = 200) -> JsonResponse:
    return JsonResponse(
        {"data": [], "errors": {"code": code, "message": message, "validations": []}},
        status=status,
    )


def _body(request: HttpRequest) -> dict | None:
    try:
        body = json.loads(request.body or b"{}")
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


def _amount(value) -> int | None:
    try:
        amount = int(value)
    except (TypeError, ValueError):
        return None
    return amount if amount > 0 else None


@csrf_exempt
@require_POST
def payment_request(request: HttpRequest) -> JsonResponse:
    body = _body(request)
    if body is None:
        return _error(-9, "The input params invalid, validation error.", status=400)
    amount = _amount(body.get("amount"))
    currency = str(body.get("currency") or "IRR")[:3]
    callback = str(body.get("callback_url") or "")
    if not body.get("merchant_id") or not callback or not body.get("description"):
        return _error(-9, "The input params invalid, validation error.")
    if amount is None or (currency == "IRR" and amount < MIN_AMOUNT):
        return _error(-9, "The input params invalid, validation error.")
    session = SandboxSession.objects.create(
        authority="S" + "".join(secrets.choice("0123456789") for _ in range(35)),
        merchant_id=str(body["merchant_id"])[:36],
        amount=amount,
        currency=currency,
        callback_url=callback[:2000],
        description=str(body.get("description"))[:500],
        status=SandboxStatus.NEW,
    )
    return _ok(code=100, authority=session.authority, fee_type="Merchant", fee=0)


def _shown_amount(session: SandboxSession) -> tuple[Decimal, str]:
    """The amount as a buyer reads it: toman for rial, units for other currencies."""
    if session.currency == "IRR":
        return Decimal(session.amount) / 10, "toman"
    return Decimal(session.amount).scaleb(-MINOR_UNITS.get(session.currency, 2)), session.currency


def _back(session: SandboxSession, paid: bool) -> HttpResponseRedirect:
    query = urlencode({"Authority": session.authority, "Status": "OK" if paid else "NOK"})
    separator = "&" if "?" in session.callback_url else "?"
    return HttpResponseRedirect(f"{session.callback_url}{separator}{query}")


# The buyer's decision and the merchant's verification are conditional updates that
# say what they changed (RETURNING): one statement each on the usual path; only when
# nothing changed is the session read to answer why.
def _columns(*names: str) -> str:
    return ", ".join(sql.column(SandboxSession, name) for name in names)


@sql.statement("payments.sandbox_decide", uses=[sql.index(SandboxSession, "authority")])
def _decide_sql() -> str:
    return f"""
UPDATE {sql.table_name(SandboxSession)}
   SET {sql.column(SandboxSession, "status")} = %s, {sql.column(SandboxSession, "paid_at")} = %s,
       {sql.column(SandboxSession, "ref_id")} = %s
 WHERE {sql.column(SandboxSession, "authority")} = %s
   AND {sql.column(SandboxSession, "status")} = %s
RETURNING {_columns("authority", "callback_url")}
"""


@sql.statement("payments.sandbox_verify", uses=[sql.index(SandboxSession, "authority")])
def _verify_sql() -> str:
    return f"""
UPDATE {sql.table_name(SandboxSession)}
   SET {sql.column(SandboxSession, "status")} = %s
 WHERE {sql.column(SandboxSession, "authority")} = %s
   AND {sql.column(SandboxSession, "merchant_id")} = %s
   AND {sql.column(SandboxSession, "amount")} = %s
   AND {sql.column(SandboxSession, "status")} = %s
RETURNING {_columns("ref_id")}
"""


def _decide(authority: str, result: str) -> HttpResponse | None:
    """The first decision on a NEW session (a double click, or Pay then Cancel: the
    first stands); None when the session is not NEW (or not there)."""
    paid = result == "paid"
    with connection.cursor() as cursor:
        cursor.execute(
            _decide_sql(),
            [
                SandboxStatus.PAID if paid else SandboxStatus.CANCELED,
                timezone.now() if paid else None,
                secrets.randbelow(10**9) + 10**9 if paid else None,
                authority,
                SandboxStatus.NEW,
            ],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    return _back(SandboxSession(authority=row[0], callback_url=row[1]), paid)


SESSION = sql.Table("s", SandboxSession)
SESSION_SHAPE = sql.Shape([SESSION])


# The page each buyer opens: written out, as the ORM's compiling of the read cost more
# than the database's answer.
@sql.statement("payments.sandbox_session", uses=[sql.index(SandboxSession, "authority")])
def _session_sql() -> str:
    return SESSION_SHAPE.where(f"{SESSION.c.authority} = %s")


def _session(authority: str) -> SandboxSession:
    session = SESSION_SHAPE.one(_session_sql(), [authority])
    if session is None:
        raise Http404("No such payment session.")
    return session


@require_http_methods(["GET", "POST"])
def start_pay(request: HttpRequest, authority: str) -> HttpResponse:
    result = request.POST.get("result") if request.method == "POST" else None
    if result in {"paid", "canceled"}:
        decided = _decide(authority, result)
        if decided is not None:
            return decided
    session = _session(authority)
    if request.method == "POST":
        if result not in {"paid", "canceled"}:
            return HttpResponse(status=400)
        return _back(session, session.status in {SandboxStatus.PAID, SandboxStatus.VERIFIED})
    if session.status != SandboxStatus.NEW:
        return _back(session, session.status in {SandboxStatus.PAID, SandboxStatus.VERIFIED})
    amount, unit = _shown_amount(session)
    return render(
        request,
        "payments/sandbox_pay.html",
        {"session": session, "amount": amount, "unit": unit},
    )


def _session_for(body: dict) -> SandboxSession | None:
    return SandboxSession.objects.filter(
        authority=str(body.get("authority") or ""), merchant_id=str(body.get("merchant_id") or "")
    ).first()


@csrf_exempt
@require_POST
def verify(request: HttpRequest) -> JsonResponse:
    body = _body(request)
    if body is None:
        return _error(-9, "The input params invalid, validation error.", status=400)
    # Exactly one verification answers 100 (the one whose conditional update moves the
    # paid session, with the same amount, to VERIFIED); the others see it verified (101).
    with connection.cursor() as cursor:
        cursor.execute(
            _verify_sql(),
            [
                SandboxStatus.VERIFIED,
                str(body.get("authority") or ""),
                str(body.get("merchant_id") or ""),
                _amount(body.get("amount")) or 0,
                SandboxStatus.PAID,
            ],
        )
        row = cursor.fetchone()
    if row is not None:
        return _verified(100, row[0])
    session = _session_for(body)
    if session is None:
        return _error(-54, "Invalid authority.")
    if _amount(body.get("amount")) != session.amount:
        logger.warning("sandbox verify with another amount for %s", session.authority)
        return _error(-50, "Session is not valid, amounts values is not the same.")
    if session.status != SandboxStatus.VERIFIED:
        return _error(-51, "Session is not valid, session is not active paid try.")
    return _verified(101, session.ref_id)


def _verified(code: int, ref_id: int | None) -> JsonResponse:
    return _ok(
        code=code,
        ref_id=ref_id,
        card_pan=CARD_PAN,
        card_hash="sandbox",
        fee_type="Merchant",
        fee=0,
    )


@csrf_exempt
@require_POST
def reverse(request: HttpRequest) -> JsonResponse:
    body = _body(request)
    session = _session_for(body) if body is not None else None
    if session is None:
        return _error(-54, "Invalid authority.")
    window = timezone.now() - timezone.timedelta(minutes=REVERSE_MINUTES)
    reversed_ = SandboxSession.objects.filter(
        pk=session.pk, status=SandboxStatus.VERIFIED, paid_at__gte=window
    ).update(status=SandboxStatus.REVERSED)
    if not reversed_:
        return _error(-63, "Maximum time for reverse this session is expired.")
    return _ok(code=100)


# What the protocol's inquiry answers for each of the sandbox's states.
INQUIRY_STATUS = {
    SandboxStatus.NEW: "IN_BANK",
    SandboxStatus.PAID: "PAID",
    SandboxStatus.CANCELED: "FAILED",
    SandboxStatus.VERIFIED: "VERIFIED",
    SandboxStatus.REVERSED: "REVERSED",
}


@csrf_exempt
@require_POST
def inquiry(request: HttpRequest) -> JsonResponse:
    body = _body(request)
    session = _session_for(body) if body is not None else None
    if session is None:
        return _error(-54, "Invalid authority.")
    return _ok(code=100, status=INQUIRY_STATUS[session.status])


@csrf_exempt
@require_POST
def unverified(request: HttpRequest) -> JsonResponse:
    body = _body(request) or {}
    rows = SandboxSession.objects.filter(
        merchant_id=str(body.get("merchant_id") or ""), status=SandboxStatus.PAID
    ).values("authority", "amount", "callback_url", paid=F("paid_at"))
    authorities = [
        {
            "authority": row["authority"],
            "amount": row["amount"],
            "callback_url": row["callback_url"],
            "referer": "",
            "date": row["paid"].isoformat() if row["paid"] else "",
        }
        for row in rows
    ]
    return _ok(code=100, authorities=authorities)


urlpatterns = [
    path("pg/v4/payment/request.json", sandbox_only(payment_request), name="sandbox_request"),
    path("pg/v4/payment/verify.json", sandbox_only(verify), name="sandbox_verify"),
    path("pg/v4/payment/reverse.json", sandbox_only(reverse), name="sandbox_reverse"),
    path("pg/v4/payment/inquiry.json", sandbox_only(inquiry), name="sandbox_inquiry"),
    path("pg/v4/payment/unVerified.json", sandbox_only(unverified), name="sandbox_unverified"),
    path("pg/StartPay/<str:authority>", sandbox_only(start_pay), name="sandbox_startpay"),
]
