"""Reading reviews. What anyone may read of a review is its stars, text, the seller's
answer, the buyer's first name and the month: never who the buyer is beyond that."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db.models import F, QuerySet, Window
from django.db.models.functions import RowNumber, TruncMonth
from django.utils.translation import gettext

from marketplace.reviews.models import Review
from marketplace.sellers import permissions as seller_permissions
from marketplace.sellers.models import Seller


@dataclass
class ShownReview:
    """A visible review as the public sees it."""

    id: int
    product_id: int
    rating: int
    text: str
    reply: str
    month: datetime
    first_name: str
    line_id: int

    pk = property(lambda self: self.id)

    @property
    def author(self) -> str:
        return self.first_name or gettext("A buyer")


_SHOWN = {
    "id": F("id"),
    "product_id": F("product_id"),
    "rating": F("rating"),
    "text": F("text"),
    "reply": F("reply"),
    "month": TruncMonth("created"),
    "first_name": F("user__first_name"),
    "line_id": F("line_id"),
}


def _shown(queryset: QuerySet[Review]) -> QuerySet:
    return queryset.values(**{f"shown_{k}": v for k, v in _SHOWN.items()})


def _row(values: dict) -> ShownReview:
    return ShownReview(**{k: values[f"shown_{k}"] for k in _SHOWN})


def visible_reviews() -> QuerySet[Review]:
    return Review.objects.filter(is_hidden=False).order_by("-created", "-id")


def reviews_of_products(
    product_ids: Iterable[int], *, start: int, stop: int
) -> dict[int, list[ShownReview]]:
    """Rows start..stop (newest first) of each product's visible reviews, in one query."""
    ids = list(product_ids)
    if not ids:
        return {}
    ranked = (
        visible_reviews()
        .filter(product_id__in=ids)
        .annotate(
            position=Window(
                RowNumber(),
                partition_by=F("product_id"),
                order_by=(F("created").desc(), F("id").desc()),
            )
        )
        .filter(position__gt=start, position__lte=stop)
    )
    found: dict[int, list[ShownReview]] = {pk: [] for pk in ids}
    for values in _shown(ranked):
        row = _row(values)
        found[row.product_id].append(row)
    return found


def shown_review(pk: int) -> ShownReview | None:
    values = _shown(visible_reviews().filter(pk=pk)).first()
    return _row(values) if values else None


def reviews_of_seller_for(user, seller: Seller, *, unanswered: bool = False) -> QuerySet | None:
    """The visible reviews of `seller`'s products, newest first, for who may act for the
    seller (they answer them); None for anyone else."""
    if not seller_permissions.can_manage_seller(user, seller):
        return None
    queryset = visible_reviews().filter(seller=seller)
    if unanswered:
        queryset = queryset.filter(replied_at__isnull=True)
    return queryset


class ShownRows:
    """A queryset of reviews that pages (slices, counts) like one and yields ShownReview."""

    def __init__(self, queryset: QuerySet[Review]) -> None:
        self.queryset = queryset

    def __getitem__(self, index: slice) -> list[ShownReview]:
        return [_row(values) for values in _shown(self.queryset[index])]

    def count(self) -> int:
        return self.queryset.count()


def reviewed_lines(line_ids: Iterable[int]) -> dict[int, ShownReview]:
    """The review of each line that has one (hidden ones included: the buyer wrote it)."""
    ids = list(line_ids)
    if not ids:
        return {}
    rows = _shown(Review.objects.filter(line_id__in=ids).order_by())
    return {row.line_id: row for row in map(_row, rows)}
