from __future__ import annotations

import binascii

from django.utils.translation import gettext_lazy as _
from graphql_relay import from_global_id, to_global_id

from marketplace.core.errors import DomainError, ErrorCode

__all__ = ["decode_id", "decode_optional", "to_global_id"]


def decode_id(value: str | None, type_name: str, *, field: str) -> int:
    """The primary key inside a global ID of `type_name`; INVALID for any other ID."""
    if not value:
        raise DomainError.of(ErrorCode.REQUIRED, field)
    invalid = DomainError.of(
        ErrorCode.INVALID, field, _("Expected an ID of type %(type)s.") % {"type": type_name}
    )
    if len(value) > 200:
        raise invalid
    try:
        found_type, raw_pk = from_global_id(value)
    except (binascii.Error, UnicodeDecodeError, ValueError, TypeError):
        raise invalid from None
    if found_type != type_name or not raw_pk.isdigit() or len(raw_pk) > 18:
        raise invalid
    return int(raw_pk)


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
