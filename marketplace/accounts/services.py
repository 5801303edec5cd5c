from __future__ import annotations

from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from marketplace.accounts import tokens
from marketplace.accounts.models import User
from marketplace.core.errors import DomainError, ErrorCode, ErrorCollector
from marketplace.core.validators import clean_email, clean_mobile, clean_text


def _clean_password(password: str | None, user: User, errors: ErrorCollector) -> None:
    if not password:
        errors.add(ErrorCode.REQUIRED, "password")
        return
    if len(password) > 256:
        errors.add(ErrorCode.TOO_LONG, "password")
        return
    try:
        validate_password(password, user)
    except ValidationError as exc:
        errors.add(ErrorCode.INVALID, "password", " ".join(exc.messages))


def check_new_password(password: str | None, user: User) -> None:
    errors = ErrorCollector()
    _clean_password(password, user, errors)
    errors.raise_if_any()


@transaction.atomic
def register_user(
    *,
    email: str | None,
    password: str | None,
    first_name: str | None = None,
    last_name: str | None = None,
    phone: str | None = None,
    language: str = "fa",
) -> User:
    errors = ErrorCollector()
    cleaned: dict[str, str] = {}
    for field, cleaner in (
        ("email", lambda: clean_email(email)),
        ("phone", lambda: clean_mobile(phone, required=False)),
        ("first_name", lambda: clean_text(first_name, field="first_name", max_length=150)),
        ("last_name", lambda: clean_text(last_name, field="last_name", max_length=150)),
    ):
        try:
            cleaned[field] = cleaner()
        except DomainError as exc:
            errors.extend(exc)
    if cleaned.get("email") and User.objects.filter(email__iexact=cleaned["email"]).exists():
        errors.add(ErrorCode.UNIQUE, "email", _("An account with this email already exists."))
    if cleaned.get("phone") and User.objects.filter(phone=cleaned["phone"]).exists():
        errors.add(
            ErrorCode.UNIQUE, "phone", _("An account with this mobile number already exists.")
        )
    user = User(
        email=cleaned.get("email") or None,
        phone=cleaned.get("phone") or None,
        first_name=cleaned.get("first_name", ""),
        last_name=cleaned.get("last_name", ""),
        language=language if language in {"fa", "en"} else "fa",
    )
    _clean_password(password, user, errors)
    errors.raise_if_any()
    user.set_password(password)
    user.save()
    return user


def create_tokens(*, login: str | None, password: str | None) -> tuple[User, str, str]:
    """Check the credentials; return the user with an access and a refresh token."""
    if not login:
        raise DomainError.of(ErrorCode.REQUIRED, "email")
    if not password:
        raise DomainError.of(ErrorCode.REQUIRED, "password")
    user = authenticate(username=login[:254], password=password[:256])
    if user is None:
        raise DomainError.of(ErrorCode.INVALID_CREDENTIALS, "email")
    return user, tokens.create_access_token(user), tokens.create_refresh_token(user)


def refresh_access_token(*, refresh_token: str | None) -> tuple[User, str]:
    user = tokens.user_from_token(refresh_token or "", kind=tokens.REFRESH)
    if user is None:
        raise DomainError.of(
            ErrorCode.INVALID, "refresh_token", _("The refresh token is invalid or has expired.")
        )
    return user, tokens.create_access_token(user)


@transaction.atomic
def ensure_operator(*, email: str, password: str) -> tuple[User, bool]:
    """Create (or promote) the platform operator named by the environment."""
    email = clean_email(email)
    user = User.objects.filter(email__iexact=email).first()
    created = user is None
    if user is None:
        user = User(email=email)
    user.is_staff = True
    user.is_superuser = True
    user.set_password(password)
    user.save()
    return user, created
