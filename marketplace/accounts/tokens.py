"""JSON Web Tokens for the API: a short-lived access token and a long-lived refresh token."""

from __future__ import annotations

from datetime import UTC, datetime

import jwt
from django.conf import settings
from django.db.models import F

from marketplace.accounts.models import User

ALGORITHM = "HS256"
ACCESS = "access"
REFRESH = "refresh"


def _encode(user: User, kind: str, ttl) -> str:
    now = datetime.now(tz=UTC)
    payload = {
        "sub": str(user.pk),
        "type": kind,
        "iat": now,
        "exp": now + ttl,
        # Signing out or a new password raises the user's version: every token issued
        # before is refused.
        "ver": user.token_version,
    }
    return jwt.encode(payload, settings.SECRET_KEY, algorithm=ALGORITHM)


def create_access_token(user: User) -> str:
    return _encode(user, ACCESS, settings.JWT_ACCESS_TTL)


def create_refresh_token(user: User) -> str:
    return _encode(user, REFRESH, settings.JWT_REFRESH_TTL)


def revoke_tokens(user: User) -> None:
    """Refuse every token issued to `user` so far (signing out everywhere)."""
    User.objects.filter(pk=user.pk).update(token_version=F("token_version") + 1)
    user.token_version += 1


def user_from_token(token: str, *, kind: str = ACCESS) -> User | None:
    """The active user a valid token of `kind` names, or None."""
    try:
        payload = jwt.decode(
            token, settings.SECRET_KEY, algorithms=[ALGORITHM], options={"require": ["exp", "sub"]}
        )
    except jwt.PyJWTError:
        return None
    if payload.get("type") != kind:
        return None
    try:
        user_id = int(payload["sub"])
    except (TypeError, ValueError):
        return None
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or payload.get("ver") != user.token_version:
        return None
    return user
