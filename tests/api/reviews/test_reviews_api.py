"""productReviewCreate, productReviewReply, Product.reviews, Seller.rating and the order
line's review fields, through the public API."""

from __future__ import annotations

import pytest

from marketplace.reviews.models import Review
from tests.builders.accounts import make_user
from tests.builders.catalog import make_variant
from tests.builders.reviews import bought_line, make_review
from tests.support import codes, count_queries, gid

CREATE = """
mutation($input: ReviewInput!) {
  productReviewCreate(input: $input) {
    review { id rating text author reply created }
    product { rating reviewCount seller { rating reviewCount } }
    errors { field code message }
  }
}"""
REPLY = """
mutation($id: ID!, $text: String!) {
  productReviewReply(id: $id, text: $text) {
    review { reply }
    errors { field code message }
  }
}"""
PRODUCT = """
query($slug: String, $first: Int, $after: String) {
  product(slug: $slug) {
    rating reviewCount
    reviews(first: $first, after: $after) {
      totalCount pageInfo { hasNextPage endCursor }
      edges { node { rating text author reply created } }
    }
  }
}"""
LISTING = """
query($first: Int) {
  products(first: $first) {
    edges { node { slug rating reviewCount
      reviews(first: 2) { totalCount edges { node { rating author reply } } } } }
  }
}"""
ORDER = """
query($id: ID!) {
  order(id: $id) { lines { id canReview review { rating text } } }
}"""


@pytest.fixture
def honey(seeded, seller_a):
    return make_variant(seller_a, name="عسل کوهستان")


def create(api, user, line, rating=5, text=None, **kwargs):
    variables = {"input": {"line": gid(line), "rating": rating, "text": text}}
    return api(CREATE, variables, user=user, **kwargs)["data"]["productReviewCreate"]


def test_the_buyer_reviews_and_the_product_shows_it(api, honey, buyer):
    line = bought_line(buyer, honey)
    answer = create(api, buyer, line, 4, "زعفرانش خوشبو بود")
    assert answer["errors"] == []
    review = answer["review"]
    assert (review["rating"], review["text"], review["author"]) == (4, "زعفرانش خوشبو بود", "Sara")
    assert review["reply"] is None
    assert review["created"][8:10] == "01"
    assert "buyer@example.com" not in str(answer)
    assert answer["product"] == {
        "rating": 4.0,
        "reviewCount": 1,
        "seller": {"rating": 4.0, "reviewCount": 1},
    }


@pytest.mark.parametrize(
    "rating, text, expected",
    [
        (0, None, [("rating", "INVALID")]),
        (6, None, [("rating", "INVALID")]),
        (5, "a" * 1_000_000, [("text", "TOO_LONG")]),
        (5, "خوب\u202e", [("text", "INVALID")]),
    ],
)
def test_bad_input_is_refused_with_clear_errors(api, honey, buyer, rating, text, expected):
    line = bought_line(buyer, honey)
    answer = create(api, buyer, line, rating, text, lang="fa")
    assert codes(answer) == expected
    assert all(error["message"] for error in answer["errors"])
    assert answer["review"] is None
    assert not Review.objects.exists()


def test_not_the_buyer_and_twice_are_refused(api, honey, buyer, sara):
    line = bought_line(buyer, honey)
    assert codes(create(api, sara, line)) == [("line", "NOT_FOUND")]
    assert codes(create(api, None, line)) == [("line", "NOT_FOUND")]
    assert create(api, buyer, line, 5)["errors"] == []
    assert codes(create(api, buyer, line, 1)) == [("line", "UNIQUE")]
    assert list(Review.objects.values_list("rating", flat=True)) == [5]


def test_reviews_page_newest_first(api, honey, seeded):
    for n in range(5):
        make_review(make_user(f"b{n}@example.com", first_name=f"B{n}"), honey, n % 5 + 1)
    slug = honey.product.slug
    first = api(PRODUCT, {"slug": slug, "first": 3})["data"]["product"]
    assert first["reviewCount"] == 5 and first["rating"] == 3.0
    page = first["reviews"]
    assert page["totalCount"] == 5 and page["pageInfo"]["hasNextPage"] is True
    assert [e["node"]["author"] for e in page["edges"]] == ["B4", "B3", "B2"]
    after = page["pageInfo"]["endCursor"]
    rest = api(PRODUCT, {"slug": slug, "first": 3, "after": after})["data"]["product"]["reviews"]
    assert [e["node"]["author"] for e in rest["edges"]] == ["B1", "B0"]
    assert rest["pageInfo"]["hasNextPage"] is False


def test_the_seller_answers_once_and_the_answer_is_shown(api, honey, buyer, seller_a, sara):
    review = make_review(buyer, honey, 2, "دیر رسید")
    review_id = gid("Review", review.pk)
    denied = api(REPLY, {"id": review_id, "text": "نه"}, user=sara)["data"]["productReviewReply"]
    assert codes(denied) == [("id", "NOT_FOUND")]
    answer = api(REPLY, {"id": review_id, "text": "پوزش"}, user=seller_a.owner)
    assert answer["data"]["productReviewReply"] == {"review": {"reply": "پوزش"}, "errors": []}
    again = api(REPLY, {"id": review_id, "text": "باز"}, user=seller_a.owner)
    assert codes(again["data"]["productReviewReply"]) == [("id", "INVALID_STATUS")]
    shown = api(PRODUCT, {"slug": honey.product.slug})["data"]["product"]["reviews"]["edges"]
    assert [e["node"]["reply"] for e in shown] == ["پوزش"]


def test_the_order_line_offers_a_review_to_its_buyer_only(api, honey, buyer, seller_a):
    line = bought_line(buyer, honey)
    order_id = gid("Order", line.order_id)
    lines = api(ORDER, {"id": order_id}, user=buyer)["data"]["order"]["lines"]
    assert [(x["canReview"], x["review"]) for x in lines] == [(True, None)]
    create(api, buyer, line, 5, "عالی")
    lines = api(ORDER, {"id": order_id}, user=buyer)["data"]["order"]["lines"]
    assert [(x["canReview"], x["review"]) for x in lines] == [
        (False, {"rating": 5, "text": "عالی"})
    ]


def test_reviews_of_a_listing_page_cost_one_query(api, seeded, seller_a, seller_b):
    for n in range(6):
        variant = make_variant([seller_a, seller_b][n % 2])
        for m in range(3):
            make_review(make_user(f"r{n}-{m}@example.com"), variant, m + 2)

    def run(first):
        return count_queries(api, LISTING, {"first": first})

    one, body = run(1)
    six, body = run(6)
    edges = body["data"]["products"]["edges"]
    assert len(edges) == 6
    assert all(len(e["node"]["reviews"]["edges"]) == 2 for e in edges)
    assert all(e["node"]["reviews"]["totalCount"] == 3 for e in edges)
    assert one == six


def test_hidden_reviews_are_neither_listed_nor_found(api, honey, buyer, sara, operator):
    from marketplace.reviews import services

    kept = make_review(buyer, honey, 5, "خوب")
    hidden = make_review(sara, honey, 1, "ناسزا")
    services.set_hidden(actor=operator, review_id=hidden.pk, hidden=True)
    product = api(PRODUCT, {"slug": honey.product.slug})["data"]["product"]
    assert product["rating"] == 5.0 and product["reviewCount"] == 1
    assert [e["node"]["text"] for e in product["reviews"]["edges"]] == ["خوب"]
    node = "query($id: ID!) { node(id: $id) { ... on Review { text author } } }"
    assert api(node, {"id": gid("Review", kept.pk)})["data"]["node"] == {
        "text": "خوب",
        "author": "Sara",
    }
    assert api(node, {"id": gid("Review", hidden.pk)})["data"]["node"] is None


COOPERATIVE = """
query($slug: String!, $unanswered: Boolean) {
  cooperative(slug: $slug) {
    reviews(unanswered: $unanswered, first: 10) {
      totalCount edges { node { rating productName reply } }
    }
  }
}"""


def test_a_cooperative_lists_its_members_reviews(api, seeded, buyer, seller_a, seller_b, staff_a):
    saffron = make_variant(seller_a, name="زعفران سرگل")
    first = make_review(buyer, saffron, 4)
    make_review(make_user("other@example.com"), saffron, 2)
    make_review(buyer, make_variant(seller_b, name="کشمش"), 5)
    answer = api(REPLY, {"id": gid("Review", first.pk), "text": "سپاس"}, user=staff_a)
    assert answer["data"]["productReviewReply"]["errors"] == []
    slug = seller_a.cooperative.slug

    def listed(unanswered):
        found = api(COOPERATIVE, {"slug": slug, "unanswered": unanswered})["data"]["cooperative"]
        return [e["node"] for e in found["reviews"]["edges"]], found["reviews"]["totalCount"]

    assert listed(False) == (
        [
            {"rating": 2, "productName": "زعفران سرگل", "reply": None},
            {"rating": 4, "productName": "زعفران سرگل", "reply": "سپاس"},
        ],
        2,
    )
    assert listed(True) == ([{"rating": 2, "productName": "زعفران سرگل", "reply": None}], 1)


def test_a_page_of_a_cooperatives_reviews_costs_what_one_review_costs(
    api, seeded, seller_a, seller_b
):
    slug = seller_a.cooperative.slug
    counts = []
    for n in range(3):
        make_review(make_user(f"c{n}@example.com"), make_variant([seller_a, seller_b][n % 2]), 4)
        queries, body = count_queries(api, COOPERATIVE, {"slug": slug, "unanswered": False})
        counts.append((len(body["data"]["cooperative"]["reviews"]["edges"]), queries))
    # Reviews of seller_b (another cooperative's member) are not its cooperative's.
    assert [n for n, _ in counts] == [1, 1, 2]
    assert len({queries for _, queries in counts}) == 1, counts


LIST_REVIEWS = """
query($first: Int) {
  %s(first: $first) {
    edges { node { slug
      reviews(first: 2) { totalCount edges { node { rating productName } } }
      unanswered: reviews(unanswered: true, first: 2) { totalCount }
    } }
  }
}"""


@pytest.mark.parametrize("field", ["cooperatives", "sellers"])
def test_the_reviews_of_a_list_cost_what_those_of_one_cost(
    field, api, seeded, buyer, seller_a, seller_b, staff_a
):
    """A page of sellers (or cooperatives), each with a page of its reviews and their
    counts: one of them costs the same queries as two."""
    for n, seller in enumerate([seller_a, seller_a, seller_a, seller_b]):
        variant = make_variant(seller, name=f"کالای {n}")
        make_review(make_user(f"l{n}@example.com"), variant, n + 1)
    first = Review.objects.get(rating=1)
    api(REPLY, {"id": gid("Review", first.pk), "text": "سپاس"}, user=staff_a)
    query = LIST_REVIEWS % field
    one, _body = count_queries(api, query, {"first": 1})
    both, body = count_queries(api, query, {"first": 2})
    assert one == both
    shown = {
        edge["node"]["slug"]: (
            [
                (r["node"]["rating"], r["node"]["productName"])
                for r in edge["node"]["reviews"]["edges"]
            ],
            edge["node"]["reviews"]["totalCount"],
            edge["node"]["unanswered"]["totalCount"],
        )
        for edge in body["data"][field]["edges"]
    }
    owners = (seller_a, seller_b)
    if field == "cooperatives":
        owners = (seller_a.cooperative, seller_b.cooperative)
    assert shown == {
        owners[0].slug: ([(3, "کالای 2"), (2, "کالای 1")], 3, 2),
        owners[1].slug: ([(4, "کالای 3")], 1, 1),
    }
