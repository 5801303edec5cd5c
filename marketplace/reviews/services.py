"""Writing reviews: a buyer reviews a line they received, the seller answers once,
platform staff hide an abusive review.

Invariant: `Product.rating`/`review_count` and `Seller.rating`/`review_count` are the
mean and count of the visible reviews, recomputed from the reviews table in the
transaction that changes one. Lock order: the order line (or the review), then the
product, then the seller — so two reviews of one product, or of two products of one
seller, wait for each other instead of both writing a mean that misses the other. The
unique line and the CHECK on the rating are the last line of defence.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.db import IntegrityError
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from marketplace.catalog.models import Product
from marketplace.core.errors import DomainError, ErrorCode, ErrorCollector
from marketplace.core.normalize import has_bidi_controls, normalize_shown_text
from marketplace.core.versioning import bump_catalog_version
from marketplace.notifications import announce
from marketplace.orders.models import OrderLine
from marketplace.orders.permissions import is_buyer
from marketplace.orders.services import run_with_retries
from marketplace.reviews import selectors
from marketplace.reviews.models import REPLY_MAX_LENGTH, TEXT_MAX_LENGTH, Review
from marketplace.sellers import permissions as seller_permissions
from marketplace.sellers.models import Seller

RATINGS = range(1, 6)
HIDE_PERM = "reviews.change_review"


def _clean_text(value: str | None, *, field: str, max_length: int) -> str:
    raw = value or ""
    # Measured before normalising, so a megabyte is refused without being rewritten.
    if len(raw) > max_length * 2:
        raise _too_long(field, max_length)
    if has_bidi_controls(raw):
        raise DomainError.of(
            ErrorCode.INVALID,
            field,
            _("The text may not contain characters that reverse its direction."),
        )
    text = normalize_shown_text(raw)
    if len(text) > max_length:
        raise _too_long(field, max_length)
    return text


def _too_long(field: str, max_length: int) -> DomainError:
    return DomainError.of(
        ErrorCode.TOO_LONG,
        field,
        _("At most %(limit)d characters are allowed.") % {"limit": max_length},
    )


def _clean_rating(value: int | None) -> int:
    if value not in RATINGS or isinstance(value, bool):
        raise DomainError.of(ErrorCode.INVALID, "rating", _("Choose from one to five stars."))
    return value


def _mean(total: int | None, count: int) -> Decimal | None:
    if not count:
        return None
    return (Decimal(total) / count).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _refresh_ratings(product_id: int, seller_id: int) -> None:
    """Recount the visible reviews of the product and the seller, whose rows are locked
    here in the module's order."""
    list(Product.objects.select_for_update().filter(pk=product_id).values_list("pk"))
    list(Seller.objects.select_for_update().filter(pk=seller_id).values_list("pk"))
    visible = Review.objects.filter(is_hidden=False)
    of_product = visible.filter(product_id=product_id).aggregate(s=Sum("rating"), n=Count("id"))
    of_seller = visible.filter(seller_id=seller_id).aggregate(s=Sum("rating"), n=Count("id"))
    Product.objects.filter(pk=product_id).update(
        rating=_mean(of_product["s"], of_product["n"]), review_count=of_product["n"]
    )
    Seller.objects.filter(pk=seller_id).update(
        rating=_mean(of_seller["s"], of_seller["n"]), review_count=of_seller["n"]
    )
    bump_catalog_version()


def create_review(*, actor, line_id: int, rating: int | None, text: str | None = None) -> Review:
    """The buyer of a received line reviews it, once. Another buyer's line, or one that
    does not exist, is NOT_FOUND (never a hint that it exists)."""
    errors = ErrorCollector()
    clean_rating = errors.collect(_clean_rating, rating)
    clean = errors.collect(_clean_text, text, field="text", max_length=TEXT_MAX_LENGTH)
    errors.raise_if_any()
    return run_with_retries(lambda: _create(actor, line_id, clean_rating, clean))


def _create(actor, line_id: int, rating: int, text: str) -> Review:
    line = (
        OrderLine.objects.select_for_update(of=("self",))
        .select_related("order", "shipment", "variant")
        .filter(pk=line_id)
        .first()
    )
    if line is None or not is_buyer(actor, line.order):
        raise DomainError.of(ErrorCode.NOT_FOUND, "line")
    if not selectors.is_received(line.shipment.status, line.order.status):
        raise DomainError.of(
            ErrorCode.INVALID_STATUS, "line", _("A line can be reviewed once it is delivered.")
        )
    if line.variant is None:
        raise DomainError.of(ErrorCode.INVALID, "line", _("This product is no longer sold."))
    if Review.objects.filter(line=line).exists():
        raise _already_reviewed()
    try:
        review = Review.objects.create(
            line=line,
            product_id=line.variant.product_id,
            seller_id=line.seller_id,
            user=actor,
            rating=rating,
            text=text,
        )
    except IntegrityError:  # pragma: no cover — the line lock makes the check above exact
        raise _already_reviewed() from None
    _refresh_ratings(review.product_id, review.seller_id)
    announce.review_created(review=review)
    return review


def _already_reviewed() -> DomainError:
    return DomainError.of(ErrorCode.UNIQUE, "line", _("This line has already been reviewed."))


def can_answer(user, review: Review) -> bool:
    seller = Seller.objects.filter(pk=review.seller_id).first()
    return seller is not None and seller_permissions.can_manage_seller(user, seller)


def answer_review(*, actor, review_id: int, text: str | None) -> Review:
    """The seller (or who acts for them) answers a visible review once."""
    clean = _clean_text(text, field="text", max_length=REPLY_MAX_LENGTH)
    if not clean:
        raise DomainError.of(ErrorCode.REQUIRED, "text")
    return run_with_retries(lambda: _answer(actor, review_id, clean))


def _answer(actor, review_id: int, text: str) -> Review:
    review = Review.objects.select_for_update().filter(pk=review_id, is_hidden=False).first()
    if review is None or not can_answer(actor, review):
        raise DomainError.of(ErrorCode.NOT_FOUND, "id")
    if review.replied_at is not None:
        raise DomainError.of(
            ErrorCode.INVALID_STATUS, "id", _("This review has already been answered.")
        )
    review.reply = text
    review.replied_at = timezone.now()
    review.save(update_fields=["reply", "replied_at"])
    bump_catalog_version()
    return review


def set_hidden(*, actor, review_id: int, hidden: bool) -> Review:
    """Platform staff hide an abusive review (or show it again); the ratings follow."""
    if not seller_permissions.has_platform_perm(actor, HIDE_PERM):
        raise DomainError.of(ErrorCode.PERMISSION_DENIED)
    return run_with_retries(lambda: _set_hidden(review_id, hidden))


def _set_hidden(review_id: int, hidden: bool) -> Review:
    review = Review.objects.select_for_update().filter(pk=review_id).first()
    if review is None:
        raise DomainError.of(ErrorCode.NOT_FOUND, "id")
    if review.is_hidden != hidden:
        review.is_hidden = hidden
        review.save(update_fields=["is_hidden"])
        _refresh_ratings(review.product_id, review.seller_id)
    return review
