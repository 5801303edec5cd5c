from __future__ import annotations

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from marketplace.accounts import selectors, tokens
from marketplace.accounts.backends import EmailOrPhoneBackend
from marketplace.accounts.models import User
from marketplace.core import throttle
from marketplace.core.errors import DomainError, ErrorCode, ErrorCollector
from marketplace.core.normalize import normalize_text
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


def register_user(
    *,
    email: str | None,
    password: str | None,
    first_name: str | None = None,
    last_name: str | None = None,
    phone: str | None = None,
    language: str = "fa",
    client: str | None = None,
) -> User | None:
    """A new account, or None when the email or mobile number already has one: nothing
    is created then, and the answer is the same, so registering never tells whether an
    address is in use (its owner signs in or resets the password). Tries are limited per
    client address."""
    # `client` is the caller's address for requests; the platform's own registrations
    # (demo data, commands) name none and are not limited.
    if client and not throttle.allow(
        "register-client", client, limit=settings.REGISTER_PER_CLIENT_HOUR, window=HOUR
    ):
        raise DomainError.of(ErrorCode.THROTTLED)
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
    user = User(
        email=cleaned.get("email") or None,
        phone=cleaned.get("phone") or None,
        first_name=cleaned.get("first_name", ""),
        last_name=cleaned.get("last_name", ""),
        language=language if language in {"fa", "en"} else "fa",
    )
    _clean_password(password, user, errors)
    errors.raise_if_any()
    taken = User.objects.filter(email__iexact=user.email).exists() or (
        user.phone is not None and User.objects.filter(phone=user.phone).exists()
    )
    if taken:
        return None
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:
        # Registered by a concurrent request meanwhile.
        return None
    return user


HOUR = 3600


def _sign_in_limits(login: str, client: str) -> list[tuple[str, str, int]]:
    """(scope, key, failures allowed an hour): per account, whichever spelling of its email
    or mobile is tried (an unknown login by its own text), and per client address."""
    user = selectors.user_by_login(login)
    account = f"user:{user.pk}" if user is not None else f"login:{normalize_text(login)}"
    return [
        ("sign-in-account", account, settings.SIGN_IN_FAILURES_PER_ACCOUNT_HOUR),
        ("sign-in-client", client, settings.SIGN_IN_FAILURES_PER_CLIENT_HOUR),
    ]


def create_tokens(*, login: str | None, password: str | None, client: str) -> tuple[User, str, str]:
    """Check the credentials; return the user with an access and a refresh token.

    Failed tries are limited per account and per client address (the shared throttle
    store); once either limit is reached the answer is THROTTLED whether or not the
    password is right, and whether or not the account exists."""
    if not login:
        raise DomainError.of(ErrorCode.REQUIRED, "email")
    if not password:
        raise DomainError.of(ErrorCode.REQUIRED, "password")
    login = login[:254]
    limits = _sign_in_limits(login, client)
    counted: list[tuple[str, str]] = []
    for scope, key, limit in limits:
        counted.append((scope, key))
        if not throttle.allow(scope, key, limit=limit, window=HOUR):
            for taken in counted:
                throttle.give_back(*taken, window=HOUR)
            raise DomainError.of(ErrorCode.THROTTLED, "email")
    # The backend itself, not django.contrib.auth.authenticate: that one's failure signal
    # feeds django-axes, which guards the admin's sign-in form only.
    user = EmailOrPhoneBackend().authenticate(None, username=login, password=password[:256])
    if user is None:
        raise DomainError.of(ErrorCode.INVALID_CREDENTIALS, "email")
    for taken in counted:
        throttle.give_back(*taken, window=HOUR)
    return user, tokens.create_access_token(user), tokens.create_refresh_token(user)


def refresh_access_token(*, refresh_token: str | None) -> tuple[User, str]:
    user = tokens.user_from_token(refresh_token or "", kind=tokens.REFRESH)
    if user is None:
        raise DomainError.of(
            ErrorCode.INVALID, "refresh_token", _("The refresh token is invalid or has expired.")
        )
    return user, tokens.create_access_token(user)


def revoke_tokens(*, actor: User | None, refresh_token: str | None = None) -> User:
    """Sign out everywhere: every token issued so far to the signed-in `actor`, or to the
    user `refresh_token` names, is refused from now on."""
    user = actor if actor is not None and actor.is_authenticated else None
    if user is None:
        user = tokens.user_from_token(refresh_token or "", kind=tokens.REFRESH)
    if user is None:
        raise DomainError.of(
            ErrorCode.INVALID, "refresh_token", _("The refresh token is invalid or has expired.")
        )
    tokens.revoke_tokens(user)
    return user


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
