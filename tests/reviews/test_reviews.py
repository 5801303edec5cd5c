"""Reviews: only the buyer of a received line, once, 1 to 5 stars, clean text; the
seller answers once; hidden reviews stop counting in the stored ratings."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import translation

from marketplace.catalog.models import Product
from marketplace.core.errors import DomainError
from marketplace.orders.models import OrderStatus, ShipmentStatus
from marketplace.reviews import selectors, services
from marketplace.reviews.models import Review
from marketplace.sellers.models import Seller
from tests.builders.accounts import make_user
from tests.builders.catalog import make_variant
from tests.builders.reviews import bought_line, make_review
from tests.support import codes


@pytest.fixture
def honey(seeded, seller_a):
    return make_variant(seller_a, name="عسل کوهستان")


def ratings(variant) -> tuple:
    product = Product.objects.get(pk=variant.product_id)
    seller = Seller.objects.get(pk=product.seller_id)
    return product.rating, product.review_count, seller.rating, seller.review_count


def test_the_buyer_reviews_a_delivered_line_and_the_ratings_follow(honey, buyer, sara):
    make_review(buyer, honey, 5, "  عالي بود،   خیلی تازه  ")
    review = make_review(sara, honey, 4)
    assert review.text == ""
    assert Review.objects.get(user=buyer).text == "عالی بود، خیلی تازه"
    assert ratings(honey) == (Decimal("4.50"), 2, Decimal("4.50"), 2)


@pytest.mark.parametrize(
    "shipment_status, order_status",
    [
        (ShipmentStatus.DELIVERED, OrderStatus.CONFIRMED),
        (ShipmentStatus.SHIPPED, OrderStatus.FULFILLED),
        (ShipmentStatus.SHIPPED, OrderStatus.COMPLETED),
    ],
)
def test_received_means_delivered_or_a_fulfilled_order(honey, buyer, shipment_status, order_status):
    line = bought_line(buyer, honey, shipment_status=shipment_status, order_status=order_status)
    services.create_review(actor=buyer, line_id=line.pk, rating=3)
    assert Review.objects.filter(line=line).exists()


@pytest.mark.parametrize("status", [ShipmentStatus.UNFULFILLED, ShipmentStatus.SHIPPED])
def test_an_undelivered_line_is_not_reviewed(honey, buyer, status):
    line = bought_line(buyer, honey, shipment_status=status)
    with pytest.raises(DomainError) as exc:
        services.create_review(actor=buyer, line_id=line.pk, rating=5)
    assert codes(exc) == [("line", "INVALID_STATUS")]
    assert not Review.objects.exists()


def test_someone_who_did_not_buy_it_cannot_review_it(honey, buyer, sara, seller_a):
    line = bought_line(buyer, honey)
    for stranger in (sara, seller_a.owner, None):
        with pytest.raises(DomainError) as exc:
            services.create_review(actor=stranger, line_id=line.pk, rating=5)
        assert codes(exc) == [("line", "NOT_FOUND")]
    with pytest.raises(DomainError) as exc:
        services.create_review(actor=buyer, line_id=line.pk + 1000, rating=5)
    assert codes(exc) == [("line", "NOT_FOUND")]
    assert not Review.objects.exists()
    assert ratings(honey) == (None, 0, None, 0)


def test_a_line_is_reviewed_once(honey, buyer):
    line = bought_line(buyer, honey)
    services.create_review(actor=buyer, line_id=line.pk, rating=5, text="خوب")
    with pytest.raises(DomainError) as exc:
        services.create_review(actor=buyer, line_id=line.pk, rating=1, text="بد")
    assert codes(exc) == [("line", "UNIQUE")]
    assert list(Review.objects.values_list("rating", "text")) == [(5, "خوب")]
    assert ratings(honey) == (Decimal("5.00"), 1, Decimal("5.00"), 1)


@pytest.mark.parametrize("rating", [0, 6, -1, None, True])
def test_ratings_outside_one_to_five_are_refused(honey, buyer, rating):
    line = bought_line(buyer, honey)
    with pytest.raises(DomainError) as exc:
        services.create_review(actor=buyer, line_id=line.pk, rating=rating)
    assert codes(exc) == [("rating", "INVALID")]
    assert not Review.objects.exists()


@pytest.mark.parametrize(
    "text, code",
    [
        ("خ" * 1_000_000, "TOO_LONG"),
        ("خ" * 2001, "TOO_LONG"),
        ("خوب \u202eبود", "INVALID"),
        ("\u2067عالی\u2069", "INVALID"),
    ],
)
def test_text_too_long_or_with_direction_overrides_is_refused(honey, buyer, text, code):
    line = bought_line(buyer, honey)
    with pytest.raises(DomainError) as exc:
        services.create_review(actor=buyer, line_id=line.pk, rating=5, text=text)
    assert codes(exc) == [("text", code)]
    assert not Review.objects.exists()


def test_every_bad_field_is_reported_at_once(honey, buyer):
    line = bought_line(buyer, honey)
    with pytest.raises(DomainError) as exc:
        services.create_review(actor=buyer, line_id=line.pk, rating=0, text="\u202e")
    assert codes(exc) == [("rating", "INVALID"), ("text", "INVALID")]


def test_half_spaces_and_line_breaks_are_kept(honey, buyer):
    review = make_review(buyer, honey, 5, "می\u200cخرم\r\n\r\n\r\n\r\nدوباره")
    assert review.text == "می\u200cخرم\n\nدوباره"


def test_the_seller_answers_once(honey, buyer, seller_a, sara):
    review = make_review(buyer, honey, 2, "دیر رسید")
    with pytest.raises(DomainError) as exc:
        services.answer_review(actor=sara, review_id=review.pk, text="نه")
    assert codes(exc) == [("id", "NOT_FOUND")]
    with pytest.raises(DomainError) as exc:
        services.answer_review(actor=seller_a.owner, review_id=review.pk, text="  ")
    assert codes(exc) == [("text", "REQUIRED")]
    services.answer_review(actor=seller_a.owner, review_id=review.pk, text="پوزش؛ جبران می‌کنیم")
    with pytest.raises(DomainError) as exc:
        services.answer_review(actor=seller_a.owner, review_id=review.pk, text="دوباره")
    assert codes(exc) == [("id", "INVALID_STATUS")]
    review.refresh_from_db()
    assert review.reply == "پوزش؛ جبران می‌کنیم" and review.replied_at is not None


def test_hidden_reviews_stop_counting(honey, buyer, sara, operator):
    make_review(buyer, honey, 5)
    abusive = make_review(sara, honey, 1, "...")
    assert ratings(honey) == (Decimal("3.00"), 2, Decimal("3.00"), 2)
    with pytest.raises(DomainError):
        services.set_hidden(actor=buyer, review_id=abusive.pk, hidden=True)
    services.set_hidden(actor=operator, review_id=abusive.pk, hidden=True)
    assert ratings(honey) == (Decimal("5.00"), 1, Decimal("5.00"), 1)
    assert [
        r.rating
        for r in selectors.reviews_of_products([honey.product_id], start=0, stop=10)[
            honey.product_id
        ]
    ] == [5]
    services.set_hidden(actor=operator, review_id=abusive.pk, hidden=False)
    assert ratings(honey) == (Decimal("3.00"), 2, Decimal("3.00"), 2)


def test_the_seller_rating_spans_their_products(honey, buyer, seller_a):
    jam = make_variant(seller_a, name="مربای زرشک")
    make_review(buyer, honey, 5)
    make_review(buyer, jam, 2)
    assert ratings(honey) == (Decimal("5.00"), 1, Decimal("3.50"), 2)
    assert ratings(jam) == (Decimal("2.00"), 1, Decimal("3.50"), 2)


def test_shown_with_first_name_and_month_only(honey, seeded):
    nameless = make_user("no-name@example.com")
    named = make_user("named@example.com", first_name="Maryam", last_name="Karimi")
    make_review(nameless, honey, 4)
    make_review(named, honey, 5)
    shown = selectors.reviews_of_products([honey.product_id], start=0, stop=10)[honey.product_id]
    with translation.override("fa"):
        assert [r.author for r in shown] == ["Maryam", "یک خریدار"]
    assert all(r.month.day == 1 and r.month.hour == 0 for r in shown)


@pytest.mark.django_db(transaction=True)
def test_reviews_written_at_once_are_all_counted(seeded, seller_a):
    """Two buyers review one product at the same moment: the product row lock makes the
    second recount see the first review."""
    variant = make_variant(seller_a)
    buyers = [make_user(f"racer-{n}@example.com") for n in range(4)]
    lines = [bought_line(b, variant) for b in buyers]
    barrier = threading.Barrier(len(lines))
    failures: list[BaseException] = []

    def write(buyer, line, rating):
        try:
            barrier.wait()
            services.create_review(actor=buyer, line_id=line.pk, rating=rating)
        except BaseException as exc:
            failures.append(exc)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=write, args=(b, line, n + 2))
        for n, (b, line) in enumerate(zip(buyers, lines, strict=True))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert ratings(variant) == (Decimal("3.50"), 4, Decimal("3.50"), 4)


def test_staff_hide_an_abusive_review_in_the_admin(client, honey, buyer, sara, operator):
    make_review(buyer, honey, 5)
    abusive = make_review(sara, honey, 1, "...")
    client.force_login(operator)
    url = "/admin/reviews/review/"
    listed = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert listed.status_code == 200
    response = client.post(
        url,
        {"action": "hide", "_selected_action": [abusive.pk]},
        HTTP_ACCEPT_LANGUAGE="en",
        follow=True,
    )
    assert "1 review changed." in response.content.decode()
    abusive.refresh_from_db()
    assert abusive.is_hidden
    assert ratings(honey) == (Decimal("5.00"), 1, Decimal("5.00"), 1)
    assert client.get(f"{url}{abusive.pk}/change/").status_code == 200


@pytest.mark.django_db(transaction=True)
def test_the_same_line_reviewed_twice_at_once_keeps_one(seeded, seller_a):
    variant = make_variant(seller_a)
    buyer = make_user("twice@example.com")
    line = bought_line(buyer, variant)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def write(rating):
        try:
            barrier.wait()
            services.create_review(actor=buyer, line_id=line.pk, rating=rating)
            outcomes.append("written")
        except DomainError as exc:
            outcomes.extend(e.code for e in exc.errors)
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(rating,)) for rating in (5, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["UNIQUE", "written"]
    assert Review.objects.count() == 1
    product = Product.objects.get(pk=variant.product_id)
    assert product.review_count == 1 and product.rating == Review.objects.get().rating
