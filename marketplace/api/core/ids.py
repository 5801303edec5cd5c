"""Global IDs in, primary keys (or other keys) out: every ID the API takes is decoded by
`decode_global_id`, so each gives the same REQUIRED and INVALID errors."""

from __future__ import annotations

import binascii
from collections.abc import Callable
from typing import TypeVar

from django.utils.translation import gettext_lazy as _
from graphql_relay import from_global_id, to_global_id

from marketplace.core.errors import DomainError, ErrorCode

__all__ = ["decode_global_id", "decode_id", "decode_optional", "to_global_id"]

MAX_ID_LENGTH = 200
T = TypeVar("T")


def decode_global_id(
    value: str | None,
    type_name: str,
    *,
    field: str,
    parse: Callable[[str], T | None],
    message: object = None,
) -> T:
    """What `parse` makes of the ID inside a global ID of `type_name`: REQUIRED when
    there is none; INVALID, with `message` (default: the expected type), for another
    type, for what is not a global ID and for what `parse` refuses (returns None for)."""
    if not value:
        raise DomainError.of(ErrorCode.REQUIRED, field)
    if message is None:
        message = _("Expected an ID of type %(type)s.") % {"type": type_name}
    invalid = DomainError.of(ErrorCode.INVALID, field, message)
    if not isinstance(value, str) or len(value) > MAX_ID_LENGTH:
        raise invalid
    try:
        found_type, raw = from_global_id(value)
    except (binascii.Error, UnicodeDecodeError, ValueError, TypeError):
        raise invalid from None
    parsed = parse(raw) if found_type == type_name else None
    if parsed is None:
        raise invalid
    return parsed


def _primary_key(raw: str) -> int | None:
    return int(raw) if raw.isdigit() and len(raw) <= 18 else None


def decode_id(value: str | None, type_name: str, *, field: str) -> int:
    """The primary key inside a global ID of `type_name`; INVALID for any other ID."""
    return decode_global_id(value, type_name, field=field, parse=_primary_key)


def decode_optional(value: str | None, type_name: str, *, field: str) -> int | None:
    return None if value in (None, "") else decode_id(value, type_name, field=field)


def get_instance(queryset, value: str | None, type_name: str, *, field: str):
    """The object a global ID names within `queryset`, or a NOT_FOUND error on `field`."""
    pk = decode_id(value, type_name, field=field)
    instance = queryset.filter(pk=pk).first()
    if instance is None:
        raise DomainError.of(ErrorCode.NOT_FOUND, field)
    return instance


def get_optional_instance(queryset, value: str | None, type_name: str, *, field: str):
    if value in (None, ""):
        return None
    return get_instance(queryset, value, type_name, field=field)
