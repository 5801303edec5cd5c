from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError

from marketplace.accounts.models import User
from marketplace.core.errors import DomainError
from marketplace.core.validators import clean_email, clean_mobile


def user_by_login(login: str) -> User | None:
    """The active user whose email or mobile number is `login`, in any accepted spelling."""
    login = (login or "").strip()
    if not login or len(login) > 254:
        return None
    if "@" in login:
        try:
            email = clean_email(login)
        except (DomainError, DjangoValidationError):
            return None
        return User.objects.filter(email__iexact=email).first()
    try:
        phone = clean_mobile(login)
    except DomainError:
        return None
    return User.objects.filter(phone=phone).first()


def user_by_id(user_id: int) -> User | None:
    return User.objects.filter(pk=user_id, is_active=True).first()
