"""The buyer reviews a line of their order once it has arrived: stars and a few words,
from the order page."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from storefront import client
from storefront.account.guard import signed_in_required
from storefront.digits import whole_number

REVIEW_CREATE = """
mutation Review($input: ReviewInput!) {
  productReviewCreate(input: $input) { review { rating } errors { field code message } }
}"""
# Longer than the API accepts, so its own message explains the limit.
MAX_TEXT = 4001
MAX_ID = 200


@require_POST
@signed_in_required
def line_review(request, order_id: str):
    line = (request.POST.get("line") or "")[:MAX_ID]
    rating = whole_number(request.POST.get("rating") or "")
    variables = {
        "input": {
            "line": line,
            "rating": rating if rating is not None and rating < 100 else 0,
            "text": (request.POST.get("text") or "")[:MAX_TEXT],
        }
    }
    _payload, errors = client.mutate(request, REVIEW_CREATE, variables, root="productReviewCreate")
    if errors:
        for item in errors.items:
            messages.error(request, item["message"])
    else:
        messages.success(request, _("Thank you for your review."))
    return redirect("account:order", order_id=order_id)
