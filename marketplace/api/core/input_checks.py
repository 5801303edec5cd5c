"""Text with NUL characters, which PostgreSQL cannot store: the database driver would
raise and the answer be an internal error. A document with one in a string literal is
refused; in variables each NUL becomes U+FFFD, the replacement character, so every
field's own checks answer (an INVALID phone, a slug that names nothing)."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _
from graphql import ASTValidationRule, FieldNode, GraphQLError, StringValueNode

NUL = "\x00"
REPLACEMENT = "\ufffd"
_INVALID = {"code": "INVALID", "field": None}


def nul_error() -> GraphQLError:
    return GraphQLError(_("Text may not contain NUL characters."), extensions=_INVALID)


class NoNulCharacters(ASTValidationRule):
    def enter_string_value(self, node: StringValueNode, *_args) -> None:
        if NUL in node.value:
            self.report_error(nul_error())


def without_nul(value: object) -> object:
    """The JSON value with each NUL in its strings and keys replaced; walked without
    recursion, so any nesting the body's parse allowed is fine."""
    if not _has_nul(value):
        return value
    root = [value]
    stack: list[tuple[list | dict, object]] = [(root, 0)]
    while stack:
        container, key = stack.pop()
        item = container[key]
        if isinstance(item, str):
            container[key] = item.replace(NUL, REPLACEMENT)
        elif isinstance(item, dict):
            copy = {k.replace(NUL, REPLACEMENT): v for k, v in item.items()}
            container[key] = copy
            stack.extend((copy, k) for k in copy)
        elif isinstance(item, list):
            copy = list(item)
            container[key] = copy
            stack.extend((copy, i) for i in range(len(copy)))
    return root[0]


def _has_nul(value: object) -> bool:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if NUL in item:
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


class NoIntrospection(ASTValidationRule):
    """Refuses `__schema` and `__type` (where introspection is off); `__typename` stays."""

    def enter_field(self, node: FieldNode, *_args) -> None:
        if node.name.value in {"__schema", "__type"}:
            self.report_error(
                GraphQLError(
                    _("Introspection is disabled."),
                    node,
                    extensions={"code": "PERMISSION_DENIED", "field": None},
                )
            )


_SUGGESTION = re.compile(r"\s*Did you mean [^?]*\?")


def without_suggestions(errors: list[GraphQLError]) -> list[GraphQLError]:
    """The errors without graphql-core's "Did you mean ...?" hints, which name fields,
    arguments and values of the schema (where suggestions are off)."""
    return [
        GraphQLError(
            _SUGGESTION.sub("", error.message),
            error.nodes,
            error.source,
            error.positions,
            error.path,
            error.original_error,
            error.extensions,
        )
        for error in errors
    ]
