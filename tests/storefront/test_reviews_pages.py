"""Reviews on the pages: the buyer reviews a delivered line from the order page, the
product page shows the rating, count and reviews with the producer's answer, cards show
stars, the producer answers from the panel, and the listing sorts by rating."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from marketplace.reviews.models import Review
from tests.builders.accounts import make_user
from tests.builders.catalog import make_variant
from tests.builders.reviews import bought_line, make_review
from tests.storefront.panel_support import signed_in_client
from tests.storefront.shopping import text
from tests.support import gid


def _order_page(browser, line):
    return browser.get(reverse("account:order", args=[gid("Order", line.order_id)]))


def _review(browser, line, **data):
    url = reverse("account:order_review", args=[gid("Order", line.order_id)])
    return browser.post(url, {"line": gid(line), **data}, follow=True)


def test_the_buyer_reviews_a_delivered_line_from_the_order_page(seeded, buyer, seller_a):
    honey = make_variant(seller_a, name="عسل کوهستان")
    waiting = bought_line(buyer, honey, shipment_status="SHIPPED")
    line = bought_line(buyer, honey)
    browser = signed_in_client(buyer)
    assert "Review this product" not in text(_order_page(browser, waiting))
    assert "Review this product" in text(_order_page(browser, line))

    refused = _review(browser, line, rating="0", text="خوب")
    assert "Choose from one to five stars." in text(refused)
    refused = _review(browser, line, rating="5", text="خوب \u202eبود")
    assert "reverse its direction" in text(refused)
    assert not Review.objects.exists()

    done = _review(browser, line, rating="۴", text="تازه و خوشبو")
    words = text(done)
    assert "Thank you for your review." in words
    assert "تازه و خوشبو" in words and "Review this product" not in words
    again = _review(browser, line, rating="1", text="بد")
    assert "This line has already been reviewed." in text(again)
    assert list(Review.objects.values_list("rating", "text")) == [(4, "تازه و خوشبو")]


def test_someone_else_cannot_post_a_review_of_the_line(seeded, buyer, sara, seller_a):
    line = bought_line(buyer, make_variant(seller_a))
    response = _review(signed_in_client(sara), line, rating="5")
    assert "Nothing was found" in text(response)
    assert not Review.objects.exists()


def test_the_product_page_and_cards_show_the_rating(seeded, buyer, sara, seller_a):
    honey = make_variant(seller_a, name="عسل کوهستان")
    make_review(buyer, honey, 5, "بهترین عسل")
    review = make_review(sara, honey, 4)
    from marketplace.reviews import services

    services.answer_review(actor=seller_a.owner, review_id=review.pk, text="سپاس از شما")
    page = signed_in_client(make_user("visitor@example.com")).get(
        reverse("shop:product", args=[honey.product.slug])
    )
    words = text(page)
    assert "4.5 of 5 from 2 reviews" in words
    assert "بهترین عسل" in words and "سپاس از شما" in words and "Sara" in words
    assert "buyer@example.com" not in page.content.decode()
    persian = signed_in_client(make_user("fa@example.com"), "fa")
    words = text(persian.get(reverse("shop:product", args=[honey.product.slug])))
    assert "۴٫۵ از ۵ در ۲ نظر" in words or "۴.۵ از ۵ در ۲ نظر" in words

    seller_page = signed_in_client(make_user("s@example.com")).get(
        reverse("shop:seller", args=[seller_a.slug])
    )
    assert "4.5 of 5 from 2 reviews" in text(seller_page)
    cards = signed_in_client(make_user("c@example.com")).get("/c/saffron/")
    assert 'aria-label="Rated 4.5 of 5"' in cards.content.decode()
    assert "★★★★★" in text(cards)


def test_the_rating_sort_uses_the_reviews(seeded, buyer, sara, seller_a):
    low, high, _unrated = (make_variant(seller_a, name=f"عسل {n}") for n in ("کم", "خوب", "تازه"))
    make_review(buyer, low, 2)
    make_review(buyer, high, 5)
    make_review(sara, high, 4)
    page = signed_in_client(make_user("v@example.com"), "fa").get("/c/saffron/?sort=rating")
    names = re.findall(r'<span class="name">([^<]+)</span>', page.content.decode())
    assert names == ["عسل خوب", "عسل کم", "عسل تازه"]


def _desk(desk: str, seller, staff) -> tuple:
    """(who answers, the list's URL, the answer form's URL) of a producer's panel or of
    their cooperative's desk."""
    if desk == "producer":
        return seller.owner, reverse("panel:reviews"), reverse("panel:review_reply")
    slug = seller.cooperative.slug
    return (
        staff,
        reverse("panel:cooperative_reviews", args=[slug]),
        reverse("panel:cooperative_review_reply", args=[slug]),
    )


@pytest.mark.parametrize("desk", ["producer", "cooperative"])
def test_reviews_are_answered_from_the_panel(seeded, buyer, seller_a, staff_a, desk):
    honey = make_variant(seller_a, name="عسل کوهستان")
    review = make_review(buyer, honey, 3, "شیشه کمی نشت داشت")
    user, listing, answer = _desk(desk, seller_a, staff_a)
    panel = signed_in_client(user)
    listed = panel.get(listing)
    assert "شیشه کمی نشت داشت" in text(listed) and "عسل کوهستان" in text(listed)
    answered = panel.post(
        answer,
        {"review": gid("Review", review.pk), "text": "پوزش؛ بستهٔ تازه می‌فرستیم"},
        follow=True,
    )
    assert "Your answer is published under the review." in text(answered)
    assert "No review is waiting for an answer." in text(answered)
    everything = text(panel.get(listing + "?all=1"))
    assert "پوزش؛ بستهٔ تازه می‌فرستیم" in everything
    twice = panel.post(
        answer,
        {"review": gid("Review", review.pk), "text": "باز"},
        follow=True,
    )
    assert "already been answered" in text(twice)


def test_a_desk_lists_and_answers_only_its_members_reviews(
    seeded, buyer, seller_a, seller_b, staff_a, staff_b
):
    ours = make_review(buyer, make_variant(seller_a, name="زعفران سرگل"), 5, "عطر خوبی داشت")
    theirs = make_review(buyer, make_variant(seller_b, name="کشمش سبز"), 2, "خشک بود")
    desk = signed_in_client(staff_a)
    slug_a, slug_b = seller_a.cooperative.slug, seller_b.cooperative.slug
    words = text(desk.get(reverse("panel:cooperative_reviews", args=[slug_a])))
    assert "عطر خوبی داشت" in words and "خشک بود" not in words
    assert desk.get(reverse("panel:cooperative_reviews", args=[slug_b])).status_code == 404
    # Through its own desk, another cooperative's review cannot be answered.
    refused = signed_in_client(staff_b).post(
        reverse("panel:cooperative_review_reply", args=[slug_b]),
        {"review": gid("Review", ours.pk), "text": "پاسخ نابجا"},
        follow=True,
    )
    assert "Your answer is published" not in text(refused)
    ours.refresh_from_db()
    theirs.refresh_from_db()
    assert ours.reply == "" and theirs.reply == ""
