"""The /graphql/ endpoint: graphene-django's view with parsed-and-validated documents
cached by query text, multipart uploads, sign-in by bearer token only (never by the
session cookie) and safe error output."""

from __future__ import annotations

import json
import logging
from collections import OrderedDict
from threading import Lock

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.http import HttpResponse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from graphene_django.views import GraphQLView, HttpError
from graphene_file_upload.utils import place_files_in_operations
from graphql import (
    ExecutionResult,
    FieldNode,
    GraphQLError,
    GraphQLSchema,
    OperationDefinitionNode,
    OperationType,
    execute,
    parse,
    specified_rules,
    validate,
)
from graphql.error import GraphQLSyntaxError
from graphql.utilities import get_operation_ast

from marketplace.api.core import budget
from marketplace.api.core import cache as response_cache
from marketplace.api.core.errors import each_error
from marketplace.api.core.input_checks import (
    NoIntrospection,
    NoNulCharacters,
    without_nul,
    without_suggestions,
)
from marketplace.api.core.limits import LIMIT_RULES
from marketplace.core.db import prepared_statements
from marketplace.core.outage import is_connection_failure

logger = logging.getLogger("marketplace.api")

MAX_CACHED_QUERY_LENGTH = 20_000
CACHE_SIZE = 500
VALIDATION_RULES = (*specified_rules, NoNulCharacters)


class DocumentCache:
    """LRU of query text → (document, validation errors)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.items: OrderedDict[str, tuple] = OrderedDict()
        self.lock = Lock()

    def get(self, schema, query: str):
        with self.lock:
            hit = self.items.get(query)
            if hit is not None:
                self.items.move_to_end(query)
                return hit
        document = parse(query, max_tokens=settings.GRAPHQL_MAX_TOKENS)
        # The limits first, alone: a document over them is refused before the standard
        # rules run (overlapping-field checks are quadratic in a field's aliases).
        errors = validate(schema, document, LIMIT_RULES) or validate(
            schema, document, VALIDATION_RULES
        )
        entry = (document, errors)
        if len(query) <= MAX_CACHED_QUERY_LENGTH:
            with self.lock:
                self.items[query] = entry
                if len(self.items) > self.size:
                    self.items.popitem(last=False)
        return entry


documents = DocumentCache(CACHE_SIZE)

# graphene-django's dispatch without its ensure_csrf_cookie: that decorator mints a CSRF
# token and sets its cookie on every answer (for GraphiQL's POSTs), but this endpoint is
# CSRF-exempt and authenticates by bearer token, so the token would never be checked.
_dispatch_without_csrf_cookie = GraphQLView.dispatch.__wrapped__


def owns_transaction(schema: GraphQLSchema, operation: OperationDefinitionNode) -> bool:
    """Whether the operation is a lone mutation (beside __typename) whose service runs its
    own transaction (BaseMutation.owns_transaction)."""
    fields = [
        node
        for node in operation.selection_set.selections
        if not (isinstance(node, FieldNode) and node.name.value == "__typename")
    ]
    if len(fields) != 1 or not isinstance(fields[0], FieldNode) or schema.mutation_type is None:
        return False
    field = schema.mutation_type.fields.get(fields[0].name.value)
    mutation = getattr(field.resolve, "__self__", None) if field is not None else None
    return bool(getattr(mutation, "owns_transaction", False))


def _execute(schema: GraphQLSchema, document, **options) -> ExecutionResult:
    result = execute(schema, document, **options)
    if result.errors:
        # A query's resolver reports all its field errors, not only the first.
        result.errors = each_error(result.errors)
        if not settings.GRAPHQL_SUGGESTIONS:
            result.errors = without_suggestions(result.errors)
    return result


@method_decorator(csrf_exempt, name="dispatch")
class APIView(GraphQLView):
    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.graphiql = settings.GRAPHIQL

    def dispatch(self, request, *args, **kwargs):
        if not getattr(request, "_force_token_check", False):
            # The endpoint is CSRF-exempt, so a cookie a browser sends on its own (the
            # admin's) must not sign the caller in: a form posted from another origin
            # would act as the staff member.
            request.user = AnonymousUser()
        else:
            request.user.is_authenticated  # noqa: B018 - evaluates the lazy token user
            if getattr(request, "token_invalid", False):
                body = {
                    "errors": [
                        {
                            "message": _("The access token is invalid or has expired."),
                            "extensions": {"code": "INVALID_TOKEN"},
                        }
                    ]
                }
                return HttpResponse(json.dumps(body), status=401, content_type="application/json")
        refusal = self._upload_refusal(request)
        if refusal is not None:
            return refusal
        # Anonymous catalogue reads are answered from the response cache (api.core.cache).
        key = response_cache.cache_key(request, self.schema.graphql_schema, documents)
        if key is not None:
            cached = response_cache.cached_response(key)
            if cached is not None:
                return cached
        response = _dispatch_without_csrf_cookie(self, request, *args, **kwargs)
        if key is not None:
            response_cache.store(key, response)
        return response

    def get_response(self, request, data, show_graphiql=False):
        result, status_code = super().get_response(request, data, show_graphiql)
        if getattr(request, "_graphql_over_budget", False):
            return result, 429
        limit = settings.GRAPHQL_MAX_RESPONSE_BYTES
        # A mutation's answer is sent whatever its size: its change is committed.
        if result is None or getattr(request, "_graphql_mutation", False):
            return result, status_code
        # UTF-8 takes at most 4 bytes a character: most answers need no encoding to tell.
        if len(result) * 4 <= limit or len(result.encode("utf-8", "surrogatepass")) <= limit:
            return result, status_code
        message = _(
            "The answer would be larger than %(maximum)d bytes, the response size limit. "
            "Ask for smaller pages or fewer fields."
        ) % {"maximum": limit}
        error = {
            "message": message,
            "extensions": {"code": "INVALID", "limit": "responseSize", "maximum": limit},
        }
        return self.json_encode(request, {"errors": [error]}, pretty=show_graphiql), 400

    def _upload_refusal(self, request) -> HttpResponse | None:
        """An upload refused before its body is read: from an anonymous caller (no
        mutation takes a file from one), or larger than GRAPHQL_MAX_UPLOAD_BYTES."""
        if self.get_content_type(request) != "multipart/form-data":
            return None
        if not request.user.is_authenticated:
            status, code, message = 403, "PERMISSION_DENIED", _("Sign in to upload files.")
        else:
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            if length <= settings.GRAPHQL_MAX_UPLOAD_BYTES:
                return None
            status, code = 413, "TOO_LONG"
            message = _("The upload is larger than %(mb)d MB.") % {
                "mb": settings.GRAPHQL_MAX_UPLOAD_BYTES // (1024 * 1024)
            }
        body = {"errors": [{"message": message, "extensions": {"code": code}}]}
        return HttpResponse(json.dumps(body), status=status, content_type="application/json")

    def json_encode(self, request, d, pretty=False):
        # Persian text as UTF-8 rather than \u escapes: a third of the bytes on the wire.
        if pretty or self.pretty or request.GET.get("pretty"):
            return json.dumps(d, sort_keys=True, indent=2, ensure_ascii=False)
        return json.dumps(d, separators=(",", ":"), ensure_ascii=False)

    def parse_body(self, request):
        try:
            return self._parse_body(request)
        except RecursionError:
            # JSON nested deeper than the parser's recursion limit.
            raise HttpError(
                HttpResponse(status=400, content=_("The request body is nested too deeply."))
            ) from None

    def _parse_body(self, request):
        if self.get_content_type(request) == "multipart/form-data":
            try:
                operations = json.loads(request.POST.get("operations", "{}"))
                files_map = json.loads(request.POST.get("map", "{}"))
                return place_files_in_operations(operations, files_map, request.FILES)
            except (ValueError, TypeError, KeyError, AttributeError):
                raise HttpError(
                    HttpResponse(status=400, content=_("The multipart request is malformed."))
                ) from None
        return super().parse_body(request)

    def execute_graphql_request(
        self, request, data, query, variables, operation_name, show_graphiql=False
    ):
        if not query:
            if show_graphiql:
                return None
            return ExecutionResult(errors=[GraphQLError(_("Must provide a query string."))])
        if not isinstance(query, str):
            return ExecutionResult(errors=[GraphQLError(_("The query must be a string."))])
        if variables is not None and not isinstance(variables, dict):
            return ExecutionResult(errors=[GraphQLError(_("Variables must be a JSON object."))])
        if variables:
            variables = without_nul(variables)
        schema = self.schema.graphql_schema
        try:
            document, validation_errors = documents.get(schema, query)
        except GraphQLSyntaxError as exc:
            return ExecutionResult(errors=[exc])
        if not validation_errors and not settings.GRAPHQL_INTROSPECTION:
            validation_errors = validate(schema, document, [NoIntrospection])
        if validation_errors:
            if not settings.GRAPHQL_SUGGESTIONS:
                validation_errors = without_suggestions(list(validation_errors))
            return ExecutionResult(errors=validation_errors)
        operation = get_operation_ast(document, operation_name)
        if operation is None:
            return ExecutionResult(errors=[GraphQLError(_("Unknown or ambiguous operation."))])
        over_budget = budget.refusal(request, schema, document, operation)
        if over_budget is not None:
            request._graphql_over_budget = True
            return ExecutionResult(errors=[over_budget])
        is_mutation = operation.operation == OperationType.MUTATION
        request._graphql_mutation = is_mutation
        if request.method.lower() == "get" and is_mutation:
            if show_graphiql:
                return None
            return ExecutionResult(errors=[GraphQLError(_("Mutations must be sent with POST."))])
        options = {
            "context_value": request,
            "variable_values": variables,
            "operation_name": operation_name,
            "middleware": self.get_middleware(request),
        }
        if not is_mutation:
            return _execute(schema, document, **options)
        with prepared_statements():
            if owns_transaction(schema, operation):
                return _execute(schema, document, **options)
            # Each mutation's service is atomic; the whole operation is too, so a request
            # with several mutations is all or nothing.
            with transaction.atomic():
                result = _execute(schema, document, **options)
                if result.errors:
                    transaction.set_rollback(True)
            return result

    @staticmethod
    def format_error(error):
        formatted = GraphQLView.format_error(error)
        original = getattr(error, "original_error", None)
        if is_connection_failure(original):
            # No field's fault: the whole request fails, answered 503 by config.outage.
            raise original
        if original is not None and not isinstance(original, GraphQLError):
            logger.error("Unhandled error in a resolver", exc_info=original)
            if not settings.DEBUG:
                formatted["message"] = _("Internal error.")
                formatted.pop("extensions", None)
        return formatted
