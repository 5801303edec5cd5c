"""Limits on what one GraphQL request may ask for, checked before it runs.

A short anonymous document nesting `products → seller → products` once ran for 26 s and
answered 40 MB; a thousand aliases of one field took 10 s. These validation rules refuse
such documents from their text alone, before a resolver runs:

- depth: fields nested inside fields (fragments are transparent);
- cost: one per field, times the page size of every connection above it (`first` or
  `last`; a variable counts as its default, else as the largest page, since documents
  are validated once per text, before their variables are known);
- aliases: aliased fields in an operation;
- the same mutation several times in one operation.

Each refusal is a top-level error naming the limit (`extensions.limit`), with the code
INVALID. The rules walk fragments as they are spread, but stop as soon as the cost
passes its limit, so a document of fragments spreading fragments is not a way in.
"""

from __future__ import annotations

import contextlib
from collections import Counter
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _
from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLInterfaceType,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    OperationType,
    SchemaMetaFieldDef,
    SelectionSetNode,
    TypeMetaFieldDef,
    VariableNode,
    get_named_type,
)
from graphql.validation import ASTValidationRule, ValidationContext

from marketplace.core.errors import ErrorCode

PAGE_ARGUMENTS = ("first", "last")
META_FIELDS = {"__schema": SchemaMetaFieldDef, "__type": TypeMetaFieldDef}


def max_depth() -> int:
    return settings.GRAPHQL_MAX_DEPTH


def max_cost() -> int:
    return settings.GRAPHQL_MAX_COST


def max_aliases() -> int:
    return settings.GRAPHQL_MAX_ALIASES


def max_same_mutation() -> int:
    return settings.GRAPHQL_MAX_SAME_MUTATION


@dataclass
class Measure:
    """What an operation asks for; `cost` stops counting just past the cost limit."""

    depth: int = 0
    cost: int = 0
    aliases: int = 0
    mutations: Counter = field(default_factory=Counter)


class _TooCostly(Exception):
    pass


class _Walker:
    def __init__(
        self,
        schema: GraphQLSchema,
        operation: OperationDefinitionNode,
        fragments: dict[str, FragmentDefinitionNode],
        cost_limit: int,
    ) -> None:
        self.schema = schema
        self.fragments = fragments
        self.cost_limit = cost_limit
        self.defaults: dict[str, int] = {}
        for definition in operation.variable_definitions or ():
            if isinstance(definition.default_value, IntValueNode):
                self.defaults[definition.variable.name.value] = int(definition.default_value.value)
        self.measure = Measure()

    def page_size(self, node: FieldNode, arguments: dict) -> int:
        """How many items a connection field may answer: the smaller of `first` and
        `last` when both are given, the largest page when neither is."""
        largest = settings.GRAPHQL_MAX_FIRST
        sizes = []
        for argument in node.arguments or ():
            if argument.name.value not in PAGE_ARGUMENTS:
                continue
            value = argument.value
            if isinstance(value, IntValueNode):
                sizes.append(int(value.value))
            elif isinstance(value, VariableNode):
                sizes.append(self.defaults.get(value.name.value, largest))
        if not any(name in arguments for name in PAGE_ARGUMENTS):
            return 1
        # A page larger than the largest is refused when it runs; count it as asked.
        return max(min(sizes), 0) if sizes else largest

    def walk(
        self,
        selection_set: SelectionSetNode,
        parent: GraphQLNamedType | None,
        multiplier: int,
        level: int,
        spread: frozenset[str],
        root: bool = False,
    ) -> None:
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                self.field(selection, parent, multiplier, level, spread, root)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                target = self.schema.get_type(condition.name.value) if condition else parent
                self.walk(selection.selection_set, target, multiplier, level, spread, root)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = self.fragments.get(name)
                # A fragment spreading itself is refused by NoFragmentCycles.
                if fragment is None or name in spread:
                    continue
                target = self.schema.get_type(fragment.type_condition.name.value)
                self.walk(fragment.selection_set, target, multiplier, level, spread | {name}, root)

    def field(
        self,
        node: FieldNode,
        parent: GraphQLNamedType | None,
        multiplier: int,
        level: int,
        spread: frozenset[str],
        root: bool,
    ) -> None:
        measure = self.measure
        measure.depth = max(measure.depth, level)
        # At least one per field walked: under a page of 0 (`first: 0`) nothing would
        # count, and fragments spreading a fragment twice, each level again, would be
        # walked 2^levels times before any limit stopped them.
        measure.cost += max(multiplier, 1)
        if node.alias is not None:
            measure.aliases += 1
        if root:
            measure.mutations[node.name.value] += 1
        if measure.cost > self.cost_limit:
            raise _TooCostly
        if node.selection_set is None:
            return
        definition = META_FIELDS.get(node.name.value)
        if definition is None and isinstance(parent, GraphQLObjectType | GraphQLInterfaceType):
            definition = parent.fields.get(node.name.value)
        if definition is None:
            return  # an unknown field: refused by FieldsOnCorrectType
        size = self.page_size(node, definition.args)
        self.walk(
            node.selection_set,
            get_named_type(definition.type),
            multiplier * size,
            level + 1,
            spread,
        )


def measure(
    schema: GraphQLSchema,
    operation: OperationDefinitionNode,
    fragments: dict[str, FragmentDefinitionNode],
    *,
    cost_limit: int,
) -> Measure:
    """Depth, cost, aliases and repeated mutations of one operation; the cost stops
    being counted once it passes `cost_limit`."""
    walker = _Walker(schema, operation, fragments, cost_limit)
    root = schema.get_root_type(operation.operation)
    with contextlib.suppress(_TooCostly):
        walker.walk(
            operation.selection_set,
            root,
            1,
            1,
            frozenset(),
            root=operation.operation == OperationType.MUTATION,
        )
    return walker.measure


def limit_error(
    node: OperationDefinitionNode, limit: str, maximum: int, message: str
) -> GraphQLError:
    return GraphQLError(
        message,
        node,
        extensions={"code": ErrorCode.INVALID.value, "limit": limit, "maximum": maximum},
    )


def _depth_error(node: OperationDefinitionNode, measured: Measure) -> GraphQLError | None:
    if measured.depth <= max_depth():
        return None
    message = _("The query nests fields %(depth)d deep; the depth limit is %(maximum)d.")
    values = {"depth": measured.depth, "maximum": max_depth()}
    return limit_error(node, "depth", max_depth(), message % values)


def _cost_error(node: OperationDefinitionNode, measured: Measure) -> GraphQLError | None:
    if measured.cost <= max_cost():
        return None
    message = _(
        "The query may answer more than %(maximum)d fields (page sizes included); "
        "this is the cost limit. Ask for smaller pages or fewer nested lists."
    )
    return limit_error(node, "cost", max_cost(), message % {"maximum": max_cost()})


def _aliases_error(node: OperationDefinitionNode, measured: Measure) -> GraphQLError | None:
    if measured.aliases <= max_aliases():
        return None
    message = _("The query has %(count)d aliases; the alias limit is %(maximum)d.")
    values = {"count": measured.aliases, "maximum": max_aliases()}
    return limit_error(node, "aliases", max_aliases(), message % values)


def _same_mutation_error(node: OperationDefinitionNode, measured: Measure) -> GraphQLError | None:
    if not measured.mutations:
        return None
    name, count = measured.mutations.most_common(1)[0]
    if count <= max_same_mutation():
        return None
    message = _(
        "The request runs %(name)s %(count)d times; the limit is %(maximum)d of one "
        "mutation per request."
    )
    values = {"name": name, "count": count, "maximum": max_same_mutation()}
    return limit_error(node, "sameMutation", max_same_mutation(), message % values)


CHECKS = (_depth_error, _cost_error, _aliases_error, _same_mutation_error)


class OperationLimitsRule(ASTValidationRule):
    """Measures each operation once and reports every limit it passes."""

    def __init__(self, context: ValidationContext) -> None:
        super().__init__(context)
        self.fragments = {
            d.name.value: d
            for d in context.document.definitions
            if isinstance(d, FragmentDefinitionNode)
        }

    def enter_operation_definition(self, node: OperationDefinitionNode, *_args) -> None:
        measured = measure(self.context.schema, node, self.fragments, cost_limit=max_cost())
        for check in CHECKS:
            error = check(node, measured)
            if error is not None:
                self.report_error(error)


LIMIT_RULES = (OperationLimitsRule,)
