"""Signing in with a one-time code sent by SMS.

A code is 6 digits, valid LOGIN_CODE_TTL_SECONDS (2 minutes) and LOGIN_CODE_MAX_TRIES (5)
tries, and used once; only an HMAC of it (keyed with SECRET_KEY, so a leaked table cannot
be searched offline) is kept. Requests are throttled per phone and per client address in
the shared throttle store. Neither answer says whether the phone has an account: an
unknown phone that signs in with its code gets a new phone-only account.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from marketplace.accounts import tokens
from marketplace.accounts.models import LoginCode, User
from marketplace.core import throttle
from marketplace.core.errors import DomainError, ErrorCode
from marketplace.core.normalize import normalize_digits
from marketplace.core.validators import clean_mobile

HOUR = 3600


def _hash(phone: str, code: str) -> str:
    message = f"login-code:{phone}:{code}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def _throttled() -> DomainError:
    return DomainError.of(ErrorCode.THROTTLED, "phone")


def _invalid_code() -> DomainError:
    return DomainError.of(
        ErrorCode.INVALID, "code", _("The code is wrong or has expired. Ask for a new code.")
    )


def request_code(*, phone: str | None, client: str, language: str = "fa") -> None:
    """Send a new code to `phone` (any mobile number, with or without an account)."""
    phone = clean_mobile(phone, field="phone")
    if not throttle.allow(
        "login-code-client", client, limit=settings.LOGIN_CODE_PER_CLIENT_HOUR, window=HOUR
    ):
        raise _throttled()
    if not throttle.allow(
        "login-code-resend", phone, limit=1, window=settings.LOGIN_CODE_RESEND_SECONDS
    ) or not throttle.allow(
        "login-code-phone", phone, limit=settings.LOGIN_CODE_PER_PHONE_HOUR, window=HOUR
    ):
        raise _throttled()
    from marketplace.notifications import announce

    code = f"{secrets.randbelow(10**6):06d}"
    now = timezone.now()
    with transaction.atomic():
        # One live code per phone: the newest.
        LoginCode.objects.filter(phone=phone, used_at__isnull=True, expires_at__gt=now).update(
            expires_at=now
        )
        row = LoginCode.objects.create(
            phone=phone,
            code_hash=_hash(phone, code),
            expires_at=now + timedelta(seconds=settings.LOGIN_CODE_TTL_SECONDS),
        )
        announce.login_code(phone=phone, code=code, code_id=row.pk, language=language)


def _use(phone: str, code: str) -> bool:
    """Count a try on the live code; True when `code` is it (and it is now used)."""
    now = timezone.now()
    with transaction.atomic():
        row = (
            LoginCode.objects.select_for_update()
            .filter(phone=phone, used_at__isnull=True, expires_at__gt=now)
            .order_by("-created")
            .first()
        )
        if row is None or row.tries >= settings.LOGIN_CODE_MAX_TRIES:
            return False
        if not hmac.compare_digest(row.code_hash, _hash(phone, code)):
            LoginCode.objects.filter(pk=row.pk).update(tries=F("tries") + 1)
            return False
        LoginCode.objects.filter(pk=row.pk).update(tries=F("tries") + 1, used_at=now)
        return True


@transaction.atomic
def _user_for(phone: str, language: str) -> User | None:
    user = User.objects.select_for_update().filter(phone=phone).first()
    if user is None:
        user = User(phone=phone, language=language if language in {"fa", "en"} else "fa")
        user.set_unusable_password()
        user.save()
    return user if user.is_active else None


def sign_in(
    *, phone: str | None, code: str | None, client: str, language: str = "fa"
) -> tuple[User, str, str]:
    """Check the code; return the phone's user (created if new) with an access and a
    refresh token."""
    phone = clean_mobile(phone, field="phone")
    if not throttle.allow(
        "login-code-verify", client, limit=settings.LOGIN_CODE_PER_CLIENT_HOUR * 5, window=HOUR
    ):
        raise _throttled()
    code = normalize_digits((code or "").strip())
    if len(code) != 6 or not code.isdigit():
        raise _invalid_code()
    if not _use(phone, code):
        raise _invalid_code()
    user = _user_for(phone, language)
    if user is None:
        raise _invalid_code()
    return user, tokens.create_access_token(user), tokens.create_refresh_token(user)


@transaction.atomic
def set_first_password(*, actor: User, password: str | None) -> tuple[User, str, str]:
    """A phone-only account adds a password (it can then sign in with it too). Tokens
    carry the password's mark, so new ones are returned."""
    from marketplace.accounts.services import check_new_password

    user = User.objects.select_for_update().get(pk=actor.pk)
    if user.has_usable_password():
        raise DomainError.of(
            ErrorCode.INVALID_STATUS, "password", _("This account already has a password.")
        )
    check_new_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    return user, tokens.create_access_token(user), tokens.create_refresh_token(user)


def delete_old_codes(*, older_than: timedelta = timedelta(days=1)) -> int:
    """Codes long expired or used serve nothing (the throttles keep their own counts)."""
    return LoginCode.objects.filter(expires_at__lt=timezone.now() - older_than).delete()[0]
