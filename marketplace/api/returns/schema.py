"""Return mutations and the fulfillers' list of returns. Only translation: the rules are
in marketplace.returns."""

from __future__ import annotations

import graphene
from graphene_file_upload.scalars import Upload

from marketplace.api.core.connection import connection_field, paginate
from marketplace.api.core.errors import query_error
from marketplace.api.core.ids import decode_id, decode_optional
from marketplace.api.core.mutations import BaseMutation, Payload
from marketplace.api.returns.types import ReturnRequest
from marketplace.core.errors import DomainError, ErrorCode
from marketplace.orders import selectors as order_selectors
from marketplace.returns import selectors, services


class ReturnLineInput(graphene.InputObjectType):
    line = graphene.ID(required=True)
    quantity = graphene.Int(required=True)


class ReturnRequestInput(graphene.InputObjectType):
    order = graphene.ID(required=True)
    lines = graphene.List(graphene.NonNull(ReturnLineInput), required=True)
    reason = graphene.String(
        required=True, description="DAMAGED WRONG_ITEM POOR_QUALITY MISSING_PARTS NOT_WANTED"
    )
    text = graphene.String(description="What happened, in the buyer's words.")
    photos = graphene.List(
        graphene.NonNull(Upload), description="Up to 3 photos (JPEG, PNG or WebP)."
    )


class ReturnMutation(Payload):
    return_request = graphene.Field(ReturnRequest)


def _return_or_not_found(info, value: str):
    request = selectors.return_for_user(
        info.context.user, decode_id(value, "ReturnRequest", field="id")
    )
    if request is None:
        raise DomainError.of(ErrorCode.NOT_FOUND, "id")
    return request


def _answer(info, request) -> ReturnMutation:
    return ReturnMutation.ok(
        return_request=selectors.return_for_user(info.context.user, request.pk)
    )


def _act(info, id: str, service, **arguments) -> ReturnMutation:
    """Run a return's service on the return named by `id`, for the caller."""
    request = _return_or_not_found(info, id)
    return _answer(info, service(actor=info.context.user, return_request=request, **arguments))


class ReturnRequestCreate(BaseMutation):
    """The buyer asks to return units of lines of one delivered parcel."""

    owns_transaction = True

    class Meta:
        output = ReturnMutation

    class Arguments:
        input = ReturnRequestInput(required=True)

    @classmethod
    def perform(cls, info, input):
        order = order_selectors.order_for_user(
            info.context.user, decode_id(input["order"], "Order", field="order")
        )
        if order is None:
            raise DomainError.of(ErrorCode.NOT_FOUND, "order")
        lines = [
            services.AskedLine(
                line_id=decode_id(item["line"], "OrderLine", field="lines"),
                quantity=item["quantity"],
            )
            for item in input["lines"]
        ]
        request = services.create_return(
            actor=info.context.user,
            order=order,
            lines=lines,
            reason=input["reason"],
            text=input.get("text"),
            photos=input.get("photos") or [],
        )
        return _answer(info, request)


class ReturnRequestDecide(BaseMutation):
    """The fulfiller accepts (the refund follows) or rejects with a note."""

    owns_transaction = True

    class Meta:
        output = ReturnMutation

    class Arguments:
        id = graphene.ID(required=True)
        accept = graphene.Boolean(required=True)
        note = graphene.String()

    @classmethod
    def perform(cls, info, id, accept, note=None):
        return _act(info, id, services.decide_return, accept=accept, note=note)


class ReturnRequestReceive(BaseMutation):
    """The fulfiller got the goods back; resellable ones go back on sale."""

    owns_transaction = True

    class Meta:
        output = ReturnMutation

    class Arguments:
        id = graphene.ID(required=True)
        resellable = graphene.Boolean(required=True)

    @classmethod
    def perform(cls, info, id, resellable):
        return _act(info, id, services.receive_return, resellable=resellable)


class ReturnRequestDispute(BaseMutation):
    """The buyer disputes a rejection; platform staff decide, for good."""

    owns_transaction = True

    class Meta:
        output = ReturnMutation

    class Arguments:
        id = graphene.ID(required=True)
        text = graphene.String(required=True)

    @classmethod
    def perform(cls, info, id, text):
        return _act(info, id, services.dispute_return, text=text)


class ReturnQueries(graphene.ObjectType):
    return_requests = connection_field(
        "ReturnRequest",
        ReturnRequest,
        cooperative=graphene.ID(description="That cooperative's; else the caller's own seller's."),
        status=graphene.List(graphene.NonNull(graphene.String)),
        description="Returns to decide, newest first.",
    )

    @staticmethod
    def resolve_return_requests(root, info, cooperative=None, status=None, first=None, after=None):
        try:
            cooperative_id = decode_optional(cooperative, "Cooperative", field="cooperative")
        except DomainError as exc:
            raise query_error(exc) from None
        rows = selectors.returns_to_handle(
            info.context.user, cooperative_id=cooperative_id, statuses=status
        )
        return paginate(rows, first=first, after=after)


class ReturnMutations(graphene.ObjectType):
    return_request_create = ReturnRequestCreate.Field()
    return_request_decide = ReturnRequestDecide.Field()
    return_request_receive = ReturnRequestReceive.Field()
    return_request_dispute = ReturnRequestDispute.Field()
