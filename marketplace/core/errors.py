"""Domain errors: what services raise and the API turns into `errors { field code message }`.

Messages are lazy translations, so they are rendered in the request's language.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import gettext_lazy as _


class ErrorCode(StrEnum):
    REQUIRED = "REQUIRED"
    INVALID = "INVALID"
    NOT_FOUND = "NOT_FOUND"
    UNIQUE = "UNIQUE"
    PERMISSION_DENIED = "PERMISSION_DENIED"
    TOO_LONG = "TOO_LONG"
    INVALID_CREDENTIALS = "INVALID_CREDENTIALS"
    INVALID_STATUS = "INVALID_STATUS"
    INSUFFICIENT_STOCK = "INSUFFICIENT_STOCK"
    NOT_AVAILABLE_IN_CHANNEL = "NOT_AVAILABLE_IN_CHANNEL"
    DELIVERY_METHOD_REQUIRED = "DELIVERY_METHOD_REQUIRED"
    PAYMENT_ERROR = "PAYMENT_ERROR"
    VOUCHER_INVALID = "VOUCHER_INVALID"
    THROTTLED = "THROTTLED"
    CARRIER_ERROR = "CARRIER_ERROR"


DEFAULT_MESSAGES = {
    ErrorCode.REQUIRED: _("This field is required."),
    ErrorCode.INVALID: _("This value is not valid."),
    ErrorCode.NOT_FOUND: _("Nothing was found with this identifier."),
    ErrorCode.UNIQUE: _("This value is already in use."),
    ErrorCode.PERMISSION_DENIED: _("You do not have permission to do this."),
    ErrorCode.TOO_LONG: _("This value is too long."),
    ErrorCode.INVALID_CREDENTIALS: _("The email, mobile number or password is wrong."),
    ErrorCode.INVALID_STATUS: _("This cannot be done in the current status."),
    ErrorCode.THROTTLED: _("Too many attempts. Please wait a few minutes and try again."),
}


@dataclass(frozen=True)
class FieldError:
    field: str | None
    code: str
    message: str


class DomainError(Exception):
    """One or more field errors; raising it inside a service rolls its transaction back."""

    def __init__(self, *errors: FieldError) -> None:
        super().__init__(errors)
        self.errors = list(errors)

    @classmethod
    def of(cls, code: ErrorCode, field: str | None = None, message: object = None) -> DomainError:
        text = message if message is not None else DEFAULT_MESSAGES.get(code, code.value)
        return cls(FieldError(field=field, code=code.value, message=text))

    def __str__(self) -> str:
        return "; ".join(f"{e.field}: {e.code} {e.message}" for e in self.errors)


def permission_denied(field: str | None = None) -> DomainError:
    return DomainError.of(ErrorCode.PERMISSION_DENIED, field)


class ErrorCollector:
    """Gathers field errors while validating input so the caller sees all of them at once."""

    def __init__(self) -> None:
        self.errors: list[FieldError] = []

    def add(self, code: ErrorCode, field: str | None = None, message: object = None) -> None:
        self.errors.extend(DomainError.of(code, field, message).errors)

    def extend(self, error: DomainError) -> None:
        self.errors.extend(error.errors)

    def collect(self, func, *args, **kwargs):
        """`func(*args, **kwargs)`, or None with its errors kept when it raises DomainError."""
        try:
            return func(*args, **kwargs)
        except DomainError as exc:
            self.extend(exc)
            return None

    def raise_if_any(self) -> None:
        if self.errors:
            raise DomainError(*self.errors)
