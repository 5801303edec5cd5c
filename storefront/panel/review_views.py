"""Reviews to answer: a producer's of their products, and a cooperative's desk's of its
members' products (its staff answer for them). Newest first, those still unanswered
first to hand, each with a form for the one answer a review may have."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from storefront import client
from storefront.panel.access import cooperative_of, seller_of, signed_in
from storefront.panel.paging import page, paged_query

SELLER_REVIEWS = """
query SellerReviews($id: ID!, $unanswered: Boolean, $after: String) {
  seller(id: $id) {
    rating reviewCount
    reviews(unanswered: $unanswered, first: 20, after: $after) {
      pageInfo { hasNextPage endCursor }
      edges { node { id rating text author reply created productName } }
    }
  }
}"""
COOPERATIVE_REVIEWS = """
query CooperativeReviews($slug: String!, $unanswered: Boolean, $after: String) {
  cooperative(slug: $slug) {
    id name slug
    reviews(unanswered: $unanswered, first: 20, after: $after) {
      pageInfo { hasNextPage endCursor }
      edges { node { id rating text author reply created productName } }
    }
  }
}"""
REVIEW_REPLY = """
mutation Reply($id: ID!, $text: String!) {
  productReviewReply(id: $id, text: $text) { review { reply } errors { field code message } }
}"""
# Longer than the API accepts, so its own message explains the limit.
MAX_TEXT = 2001
MAX_ID = 200


def _approved_seller(request: HttpRequest) -> dict | None:
    seller = seller_of(request)
    if seller is None or seller["status"] != "APPROVED":
        return None
    return seller


def _unanswered(request: HttpRequest) -> bool:
    return request.GET.get("all") != "1"


@signed_in
def reviews(request: HttpRequest) -> HttpResponse:
    seller = _approved_seller(request)
    if seller is None:
        return redirect("panel:index")
    unanswered = _unanswered(request)
    data = paged_query(request, SELLER_REVIEWS, {"id": seller["id"], "unanswered": unanswered})
    found = data["seller"]
    rows, next_cursor = page(found["reviews"])
    context = {
        "seller": {**seller, "rating": found["rating"], "reviewCount": found["reviewCount"]},
        "reviews": rows,
        "unanswered": unanswered,
        "next_cursor": next_cursor,
    }
    return render(request, "storefront/panel/reviews.html", context)


@signed_in
def cooperative_reviews(request: HttpRequest, slug: str) -> HttpResponse:
    cooperative_of(request, slug)
    unanswered = _unanswered(request)
    data = paged_query(request, COOPERATIVE_REVIEWS, {"slug": slug, "unanswered": unanswered})
    cooperative = data["cooperative"]
    if cooperative is None:
        raise Http404
    rows, next_cursor = page(cooperative["reviews"])
    context = {
        "cooperative": cooperative,
        "reviews": rows,
        "unanswered": unanswered,
        "next_cursor": next_cursor,
    }
    return render(request, "storefront/panel/reviews.html", context)


def _reply(request: HttpRequest) -> None:
    variables = {
        "id": (request.POST.get("review") or "")[:MAX_ID],
        "text": (request.POST.get("text") or "")[:MAX_TEXT],
    }
    _payload, errors = client.mutate(request, REVIEW_REPLY, variables, root="productReviewReply")
    if errors:
        for item in errors.items:
            messages.error(request, item["message"])
    else:
        messages.success(request, _("Your answer is published under the review."))


@signed_in
@require_POST
def review_reply(request: HttpRequest) -> HttpResponse:
    _reply(request)
    return redirect("panel:reviews")


@signed_in
@require_POST
def cooperative_review_reply(request: HttpRequest, slug: str) -> HttpResponse:
    cooperative_of(request, slug)
    _reply(request)
    return redirect("panel:cooperative_reviews", slug)
