"""Review mutations: a buyer reviews a received line, the seller answers. Only
translation: the rules are in marketplace.reviews.services."""

from __future__ import annotations

import graphene

from marketplace.api.catalog.loaders import channel_for
from marketplace.api.core.ids import decode_id
from marketplace.api.core.mutations import BaseMutation, Payload
from marketplace.catalog.selectors import product_detail
from marketplace.reviews import selectors, services


class ReviewInput(graphene.InputObjectType):
    line = graphene.ID(
        required=True, description="An OrderLine of the caller's delivered shipment."
    )
    rating = graphene.Int(required=True, description="1 to 5 stars.")
    text = graphene.String()


class ReviewMutation(Payload):
    review = graphene.Field("marketplace.api.reviews.types.Review")
    product = graphene.Field("marketplace.api.catalog.types.Product")


def _answer(info, review):
    shown = selectors.shown_review(review.pk)
    product = product_detail(info.context.user, channel_for(info, None), pk=review.product_id)
    return ReviewMutation.ok(review=shown, product=product)


class ProductReviewCreate(BaseMutation):
    """The buyer of a delivered line reviews it, once."""

    owns_transaction = True

    class Meta:
        output = ReviewMutation

    class Arguments:
        input = ReviewInput(required=True)

    @classmethod
    def perform(cls, info, input):
        review = services.create_review(
            actor=info.context.user,
            line_id=decode_id(input.line, "OrderLine", field="line"),
            rating=input.rating,
            text=input.get("text"),
        )
        return _answer(info, review)


class ProductReviewReply(BaseMutation):
    """The seller (or who acts for them) answers a review, once."""

    owns_transaction = True

    class Meta:
        output = ReviewMutation

    class Arguments:
        id = graphene.ID(required=True, description="The Review.")
        text = graphene.String(required=True)

    @classmethod
    def perform(cls, info, id, text):
        review = services.answer_review(
            actor=info.context.user, review_id=decode_id(id, "Review", field="id"), text=text
        )
        return _answer(info, review)


class ReviewMutations(graphene.ObjectType):
    product_review_create = ProductReviewCreate.Field()
    product_review_reply = ProductReviewReply.Field()
