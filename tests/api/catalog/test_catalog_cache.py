"""The response cache of anonymous catalogue reads (marketplace/api/core/cache.py)."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from marketplace.accounts.tokens import create_access_token
from tests.support import gid

pytestmark = pytest.mark.django_db

CARDS = """query($first: Int) { products(first: $first) { edges { node {
  name pricing { priceRange { start { gross { amount } } } } } } } }"""


@pytest.fixture(autouse=True)
def _cache_on(settings):
    settings.API_RESPONSE_CACHE_SECONDS = 60


@pytest.fixture
def post(client):
    def call(query, variables=None, *, user=None, lang="fa", operation=None, get=False):
        headers = {"HTTP_ACCEPT_LANGUAGE": lang}
        if user is not None:
            headers["HTTP_AUTHORIZATION"] = f"Bearer {create_access_token(user)}"
        data = {"query": query, "variables": variables or {}}
        if operation:
            data["operationName"] = operation
        if get:
            params = {"query": query, "variables": json.dumps(variables or {})}
            return client.get("/graphql/", params, **headers)
        return client.post(
            "/graphql/", data=json.dumps(data), content_type="application/json", **headers
        )

    return call


def test_hit_after_miss_without_touching_the_database(post, product):
    first = post(CARDS, {"first": 5})
    assert first["X-Cache"] == "MISS"
    with CaptureQueriesContext(connection) as context:
        second = post(CARDS, {"first": 5})
    assert second["X-Cache"] == "HIT"
    assert len(context.captured_queries) == 0
    assert second.content == first.content
    assert second["Content-Type"] == "application/json"


def test_the_key_holds_variables_language_and_operation(post, product):
    assert post(CARDS, {"first": 5})["X-Cache"] == "MISS"
    assert post(CARDS, {"first": 6})["X-Cache"] == "MISS"
    assert post(CARDS, {"first": 5}, lang="en")["X-Cache"] == "MISS"
    named = "query A { channels { slug } } query B { categories(first: 1) { totalCount } }"
    assert post(named, operation="A")["X-Cache"] == "MISS"
    assert post(named, operation="B")["X-Cache"] == "MISS"
    assert post(named, operation="A")["X-Cache"] == "HIT"
    assert post(CARDS, {"first": 5}, lang="en")["X-Cache"] == "HIT"


def test_get_requests_are_cached_too(post, product):
    assert post(CARDS, {"first": 2}, get=True)["X-Cache"] == "MISS"
    assert post(CARDS, {"first": 2}, get=True)["X-Cache"] == "HIT"


def test_a_product_update_makes_the_next_read_a_miss(
    post, product, django_capture_on_commit_callbacks
):
    assert post(CARDS, {"first": 5})["X-Cache"] == "MISS"
    update = """mutation($id: ID!) { productUpdate(id: $id, input: {name: "زعفران ممتاز"}) {
      errors { code } } }"""
    with django_capture_on_commit_callbacks(execute=True):
        response = post(update, {"id": gid(product)}, user=product.seller.owner)
    assert json.loads(response.content)["data"]["productUpdate"]["errors"] == []
    after = post(CARDS, {"first": 5})
    assert after["X-Cache"] == "MISS"
    assert "زعفران ممتاز" in json.dumps(json.loads(after.content), ensure_ascii=False)
    assert post(CARDS, {"first": 5})["X-Cache"] == "HIT"


def test_a_price_change_makes_the_next_read_a_miss(
    post, product, django_capture_on_commit_callbacks
):
    assert post(CARDS, {"first": 5})["X-Cache"] == "MISS"
    prices = """mutation($id: ID!) { productVariantPricesUpdate(variantId: $id,
      channelListings: [{channel: "ir", price: 3100000}]) { errors { code } } }"""
    variant = product.variants.get()
    with django_capture_on_commit_callbacks(execute=True):
        post(prices, {"id": gid(variant)}, user=product.seller.owner)
    after = post(CARDS, {"first": 5})
    assert after["X-Cache"] == "MISS"
    assert "3100000" in after.content.decode()


def test_never_for_signed_in_callers(post, product, buyer):
    for _ in range(2):
        response = post(CARDS, {"first": 5}, user=buyer)
        assert response.status_code == 200
        assert "X-Cache" not in response
    # …and what they saw is not served to anyone else.
    assert post(CARDS, {"first": 5})["X-Cache"] == "MISS"


def test_never_for_mutations_or_other_reads(post, product, seller_a, saffron):
    create = """mutation($c: ID!) { productCreate(input: {name: "x", category: $c}) {
      errors { code } } }"""
    for _ in range(2):
        assert "X-Cache" not in post(create, {"c": gid(saffron)}, user=seller_a.owner)
    assert "X-Cache" not in post(create, {"c": gid(saffron)})  # anonymous: denied, uncached
    mixed = "{ products(first: 1) { edges { node { name } } } me { email } }"
    for _ in range(2):
        assert "X-Cache" not in post(mixed)
    # A fragment on Query counts as what it selects.
    fragment = "query { ...F } fragment F on Query { me { email } channels { slug } }"
    assert "X-Cache" not in post(fragment)
    fragment = "query { ...F } fragment F on Query { channels { slug } }"
    assert post(fragment)["X-Cache"] == "MISS"
    assert post(fragment)["X-Cache"] == "HIT"


def test_errors_are_not_cached(post, product):
    query = '{ products(first: 1, channel: "mars") { edges { node { name } } } }'
    assert post(query)["X-Cache"] == "MISS"
    assert post(query)["X-Cache"] == "MISS"
    invalid = "{ products(first: 1) { nope } }"
    assert post(invalid).status_code == 400
    assert post(invalid).status_code == 400


def test_zero_seconds_turns_it_off(post, product, settings):
    settings.API_RESPONSE_CACHE_SECONDS = 0
    assert "X-Cache" not in post(CARDS, {"first": 5})
    assert "X-Cache" not in post(CARDS, {"first": 5})


def test_an_answer_over_the_cache_size_limit_is_never_cached(post, product, settings):
    first = post(CARDS, {"first": 5})
    settings.API_RESPONSE_CACHE_MAX_BYTES = len(first.content) - 1
    assert post(CARDS, {"first": 7})["X-Cache"] == "MISS"
    assert post(CARDS, {"first": 7})["X-Cache"] == "MISS"
    settings.API_RESPONSE_CACHE_MAX_BYTES = len(first.content)
    assert post(CARDS, {"first": 8})["X-Cache"] == "MISS"
    assert post(CARDS, {"first": 8})["X-Cache"] == "HIT"
