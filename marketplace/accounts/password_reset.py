"""Password reset by email: a link with a one-time token (Django's
PasswordResetTokenGenerator: it stops working once the password changes or after
PASSWORD_RESET_TIMEOUT). Asking never tells whether an account has that email."""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from marketplace.accounts.models import User
from marketplace.accounts.services import _clean_password
from marketplace.core.errors import DomainError, ErrorCode, ErrorCollector
from marketplace.core.normalize import normalize_digits
from marketplace.notifications import announce

tokens = PasswordResetTokenGenerator()
MAX_TOKEN_LENGTH = 100


def _clean_redirect_url(redirect_url: str | None) -> str:
    """Only the shop's own pages receive the token: a path, or a URL on an allowed host."""
    url = (redirect_url or "").strip()
    parts = urlsplit(url)
    allowed = set(settings.ALLOWED_HOSTS) | {"127.0.0.1", "localhost"}
    on_site = not parts.scheme and not parts.netloc and url.startswith("/")
    if (
        not url
        or len(url) > 500
        or url.startswith("//")
        or not (on_site or (parts.scheme in {"http", "https"} and parts.hostname in allowed))
    ):
        raise DomainError.of(ErrorCode.INVALID, "redirect_url", _("Enter an address on this shop."))
    return url


def _active_user(email: str | None) -> User | None:
    email = normalize_digits((email or "").strip())
    if not email or len(email) > 254:
        return None
    return User.objects.filter(email__iexact=email, is_active=True).first()


@transaction.atomic
def request_password_reset(*, email: str | None, redirect_url: str | None) -> None:
    """Email a reset link to the account with `email`, if there is one; the same answer
    either way."""
    url = _clean_redirect_url(redirect_url)
    user = _active_user(email)
    if user is None or not user.has_usable_password():
        return
    token = tokens.make_token(user)
    query = urlencode({"email": user.email, "token": token})
    link = f"{url}{'&' if '?' in url else '?'}{query}"
    announce.password_reset(user=user, link=link, token=token)


@transaction.atomic
def set_password(*, email: str | None, token: str | None, password: str | None) -> User:
    """The new password, given the token from the reset email."""
    user = _active_user(email)
    token = (token or "").strip()
    if user is None or len(token) > MAX_TOKEN_LENGTH or not tokens.check_token(user, token):
        raise DomainError.of(
            ErrorCode.INVALID,
            "token",
            _("This reset link is not valid or has expired. Ask for a new one."),
        )
    errors = ErrorCollector()
    _clean_password(password, user, errors)
    errors.raise_if_any()
    user.set_password(password)
    user.save(update_fields=["password"])
    return user
