"""Reading reviews. What anyone may read of a review is its stars, text, the seller's
answer, the buyer's first name and the month: never who the buyer is beyond that."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, F, QuerySet, Window
from django.db.models.functions import RowNumber, TruncMonth
from django.utils.translation import gettext

from marketplace.orders.models import OrderLine, OrderStatus, ShipmentStatus
from marketplace.reviews.models import Review


def is_received(shipment_status: str, order_status: str) -> bool:
    """The buyer has the goods of a line: its parcel was delivered, or the whole order."""
    return shipment_status == ShipmentStatus.DELIVERED or order_status in (
        OrderStatus.FULFILLED,
        OrderStatus.COMPLETED,
    )


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
    product_name: str

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
    "product_name": F("line__product_name"),
}


def _shown(queryset: QuerySet[Review]) -> QuerySet:
    return queryset.values(**{f"shown_{k}": v for k, v in _SHOWN.items()})


def _row(values: dict) -> ShownReview:
    return ShownReview(**{k: values[f"shown_{k}"] for k in _SHOWN})


def visible_reviews() -> QuerySet[Review]:
    return Review.objects.filter(is_hidden=False).order_by("-created", "-id")


def _ranked(queryset: QuerySet[Review], partition: str, start: int, stop: int, **extra) -> QuerySet:
    """Rows start..stop (newest first) of `queryset` within each value of `partition`,
    as the values of ShownReview (and `extra`)."""
    ranked = queryset.annotate(
        position=Window(
            RowNumber(),
            partition_by=F(partition),
            order_by=(F("created").desc(), F("id").desc()),
        )
    ).filter(position__gt=start, position__lte=stop)
    return ranked.values(**{f"shown_{k}": v for k, v in _SHOWN.items()}, **extra)


def reviews_of_products(
    product_ids: Iterable[int], *, start: int, stop: int
) -> dict[int, list[ShownReview]]:
    """Rows start..stop (newest first) of each product's visible reviews, in one query."""
    ids = list(product_ids)
    found: dict[int, list[ShownReview]] = {pk: [] for pk in ids}
    if ids:
        for values in _ranked(
            visible_reviews().filter(product_id__in=ids), "product_id", start, stop
        ):
            found[values["shown_product_id"]].append(_row(values))
    return found


def shown_review(pk: int) -> ShownReview | None:
    values = _shown(visible_reviews().filter(pk=pk)).first()
    return _row(values) if values else None


# The owners whose reviews a list pages through: a seller's are those of its products, a
# cooperative's those of its members' products.
OF_SELLER = "seller_id"
OF_COOPERATIVE = "seller__cooperative_id"


def _of_owners(owner: str, ids: list[int], unanswered: bool) -> QuerySet[Review]:
    queryset = visible_reviews().filter(**{f"{owner}__in": ids})
    return queryset.filter(replied_at__isnull=True) if unanswered else queryset


def reviews_of_owners(
    owner: str, ids: Iterable[int], *, unanswered: bool = False, start: int, stop: int
) -> dict[int, list[ShownReview]]:
    """Rows start..stop (newest first) of the visible reviews of each seller
    (`owner=OF_SELLER`) or cooperative (`OF_COOPERATIVE`), public as on the product
    pages, in one query; `unanswered`: those no one answered yet."""
    keys = list(ids)
    found: dict[int, list[ShownReview]] = {pk: [] for pk in keys}
    if keys:
        rows = _of_owners(owner, keys, unanswered)
        for values in _ranked(rows, owner, start, stop, owner_id=F(owner)):
            found[values["owner_id"]].append(_row(values))
    return found


def count_reviews_of_owners(
    owner: str, ids: Iterable[int], *, unanswered: bool = False
) -> dict[int, int]:
    """How many reviews reviews_of_owners pages through, for each owner."""
    rows = _of_owners(owner, list(ids), unanswered).order_by().values(owner).annotate(n=Count("id"))
    return {row[owner]: row["n"] for row in rows}


def reviewed_lines(line_ids: Iterable[int]) -> dict[int, ShownReview]:
    """The review of each line that has one (hidden ones included: the buyer wrote it)."""
    ids = list(line_ids)
    if not ids:
        return {}
    rows = _shown(Review.objects.filter(line_id__in=ids).order_by())
    return {row.line_id: row for row in map(_row, rows)}


@dataclass
class LineReview:
    """A line as its buyer sees it here: may they review it now, and their review."""

    can_review: bool
    review: ShownReview | None


def line_reviews_for(user, line_ids: Iterable[int]) -> dict[int, LineReview]:
    """For each line: whether `user` may review it now (they bought it, it arrived, it has
    no review yet) and the review it has. Two queries for any number of lines."""
    ids = list(line_ids)
    reviews = reviewed_lines(ids)
    user_id = user.pk if getattr(user, "is_authenticated", False) else None
    found: dict[int, LineReview] = {}
    rows = OrderLine.objects.filter(pk__in=ids).values_list(
        "pk", "shipment__status", "order__status", "order__user_id", "variant_id"
    )
    for pk, shipment_status, order_status, buyer_id, variant_id in rows:
        received = is_received(shipment_status, order_status)
        review = reviews.get(pk) if buyer_id == user_id and user_id is not None else None
        can = (
            user_id is not None
            and buyer_id == user_id
            and received
            and variant_id is not None
            and pk not in reviews
        )
        found[pk] = LineReview(can_review=can, review=review)
    return found
