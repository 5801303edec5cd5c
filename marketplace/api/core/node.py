"""The `node(id:)` query: an object by its global ID through its type's `get_node`, the
same permission path its dedicated query takes. A malformed ID, a type that is no Node,
or a key of the wrong form is an INVALID error on `id`, never an internal error."""

from __future__ import annotations

import binascii

from django.utils.translation import gettext_lazy as _
from graphene import relay
from graphql_relay import from_global_id

from marketplace.api.core.errors import query_error
from marketplace.api.core.ids import MAX_ID_LENGTH
from marketplace.core.errors import DomainError, ErrorCode

# Types keyed by something other than an integer primary key.
TOKEN_KEYED = frozenset({"Checkout"})
MAX_PK_DIGITS = 18


def _invalid() -> DomainError:
    return DomainError.of(ErrorCode.INVALID, "id", _("This is not the ID of an object."))


def _decode(info, value: object) -> tuple[type, str]:
    if not value:
        raise DomainError.of(ErrorCode.REQUIRED, "id")
    if not isinstance(value, str) or len(value) > MAX_ID_LENGTH:
        raise _invalid()
    try:
        type_name, raw = from_global_id(value)
    except (binascii.Error, UnicodeDecodeError, ValueError, TypeError):
        raise _invalid() from None
    schema_type = info.schema.get_type(type_name) if type_name else None
    graphene_type = getattr(schema_type, "graphene_type", None)
    interfaces = getattr(getattr(graphene_type, "_meta", None), "interfaces", ())
    if relay.Node not in interfaces or not hasattr(graphene_type, "get_node"):
        raise _invalid()
    if type_name not in TOKEN_KEYED and not (raw.isdigit() and len(raw) <= MAX_PK_DIGITS):
        raise _invalid()
    return graphene_type, raw


def resolve_node(root, info, id: str):
    try:
        graphene_type, raw = _decode(info, id)
    except DomainError as exc:
        raise query_error(exc) from None
    return graphene_type.get_node(info, raw)


class NodeField(relay.node.NodeField):
    def __init__(self) -> None:
        super().__init__(relay.Node)

    def wrap_resolve(self, parent_resolver):
        return resolve_node
