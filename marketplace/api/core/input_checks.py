"""Input PostgreSQL cannot store, refused before anything runs: text with NUL characters
(in the document's string literals or in the variables) makes the database driver raise,
which would otherwise surface as an internal error."""

from __future__ import annotations

from django.utils.translation import gettext as _
from graphql import ASTValidationRule, GraphQLError, StringValueNode

NUL = "\x00"
_INVALID = {"code": "INVALID", "field": None}


def nul_error() -> GraphQLError:
    return GraphQLError(_("Text may not contain NUL characters."), extensions=_INVALID)


class NoNulCharacters(ASTValidationRule):
    def enter_string_value(self, node: StringValueNode, *_args) -> None:
        if NUL in node.value:
            self.report_error(nul_error())


def has_nul(value: object) -> bool:
    """Whether a JSON value holds a NUL character in any string or key. The value comes
    from json.loads, whose nesting the request body's parse already bounds."""
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
