"""The Review type and the review fields of Product, Seller and OrderLine. Reviews are
read through marketplace.reviews.selectors, a page of them for every product of a page
in one query."""

from __future__ import annotations

import graphene
from graphene import relay
from graphql_relay import offset_to_cursor

from marketplace.api.core import batch
from marketplace.api.core.connection import Edge, Page, PageInfoData, window
from marketplace.reviews import selectors
from marketplace.reviews.selectors import ShownReview

DEFAULT_PAGE = 10


class Review(graphene.ObjectType):
    """A buyer's review of a product they received: shown with their first name and the
    month only."""

    rating = graphene.Int(required=True, description="1 to 5 stars.")
    text = graphene.String(required=True)
    author = graphene.String(
        required=True, description="The buyer's first name, never their email or phone."
    )
    reply = graphene.String(description="The seller's answer, if they gave one.")
    created = graphene.DateTime(
        required=True, description="The first day of the month it was written in."
    )
    product_name = graphene.String(required=True, description="As the buyer bought it.")

    class Meta:
        interfaces = (relay.Node,)

    @classmethod
    def is_type_of(cls, root, info) -> bool:
        return isinstance(root, ShownReview)

    @staticmethod
    def resolve_reply(root: ShownReview, info) -> str | None:
        return root.reply or None

    @staticmethod
    def resolve_created(root: ShownReview, info):
        return root.month

    @classmethod
    def get_node(cls, info, id):
        if not str(id).isdigit() or len(str(id)) > 18:
            return None
        return selectors.shown_review(int(id))


def _page(rows: list[ShownReview], start: int, size: int, count) -> Page:
    nodes = rows[:size]
    edges = [Edge(node=node, cursor=offset_to_cursor(start + i)) for i, node in enumerate(nodes)]
    return Page(
        edges=edges,
        page_info=PageInfoData(
            has_next_page=len(rows) > size,
            has_previous_page=start > 0,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        ),
        count=count,
    )


def resolve_product_reviews(root, info, first: int | None = None, after: str | None = None):
    """Newest first. The same page of every product on the page is read in one query."""
    start, size = window(first, after, default=DEFAULT_PAGE)
    stop = start + size + 1
    rows = batch.load(
        info,
        f"product.reviews:{start}:{stop}",
        root,
        key=lambda p: p.pk,
        fetch=lambda ids: selectors.reviews_of_products(ids, start=start, stop=stop),
        default=list,
    )
    return _page(rows, start, size, lambda: root.review_count)


def _owner_reviews(owner: str, root, info, unanswered, first, after) -> Page:
    """Newest first. The same page of every seller (or cooperative) of a list is read in
    one query, and their counts (when asked for) in another."""
    only = bool(unanswered)
    start, size = window(first, after, default=DEFAULT_PAGE)
    stop = start + size + 1
    rows = batch.load(
        info,
        f"reviews:{owner}:{only}:{start}:{stop}",
        root,
        key=lambda r: r.pk,
        fetch=lambda ids: selectors.reviews_of_owners(
            owner, ids, unanswered=only, start=start, stop=stop
        ),
        default=list,
    )

    def count() -> int:
        return batch.load(
            info,
            f"reviews.count:{owner}:{only}",
            root,
            key=lambda r: r.pk,
            fetch=lambda ids: selectors.count_reviews_of_owners(owner, ids, unanswered=only),
            default=int,
        )

    return _page(rows, start, size, count)


def resolve_seller_reviews(root, info, unanswered=False, first=None, after=None):
    return _owner_reviews(selectors.OF_SELLER, root, info, unanswered, first, after)


def resolve_cooperative_reviews(root, info, unanswered=False, first=None, after=None):
    return _owner_reviews(selectors.OF_COOPERATIVE, root, info, unanswered, first, after)


class LineReviewFields:
    """The review fields of OrderLine, for its buyer."""

    @staticmethod
    def _state(info, line) -> selectors.LineReview:
        user = info.context.user
        return batch.load(
            info,
            "order_line.review",
            line,
            key=lambda o: o.pk,
            fetch=lambda ids: selectors.line_reviews_for(user, ids),
        )

    @classmethod
    def resolve_review(cls, root, info):
        state = cls._state(info, root)
        return state.review if state else None

    @classmethod
    def resolve_can_review(cls, root, info) -> bool:
        state = cls._state(info, root)
        return bool(state and state.can_review)
