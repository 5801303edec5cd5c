"""How the rank behaves, over the search catalogue: weights, all words before some,
corrections only where needed, a stable order, and the explanation adding up."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from marketplace.catalog.models import Product
from marketplace.catalog.search import query as search

pytestmark = pytest.mark.django_db


def ranked(query: str) -> list[tuple[str, float]]:
    rows = search.search_products(Product.objects.all(), query).order_by("-rank", "-id")
    return list(rows.values_list("slug", "rank"))


def test_name_above_context_above_description(catalogue):
    saffron, honey, kashk = dict(ranked("زعفران")), dict(ranked("عسل")), dict(ranked("کشک"))
    # In the name and the context (its category and seller say it too).
    assert saffron["sargol-5g"] == pytest.approx(1.5 + 1.0 + 0.4)
    # In the name only (a herbal tea of another seller).
    assert saffron["saffron-rose-tea"] == pytest.approx(1.5 + 1.0)
    # A word of the name starts with it («زعفرانی», «کشکی»).
    assert saffron["fandoghi-saffron"] == kashk["chickpea"] == pytest.approx(1.5 + 0.8)
    # In the context only: grape molasses sold in the honey category.
    assert honey["grape-molasses"] == pytest.approx(1.5 + 0.4)
    # In the description only: «کشک سیاه».
    assert kashk["qaraqurut"] == pytest.approx(1.5 + 0.1)


def test_all_words_rank_above_some(catalogue):
    rows = ranked("کشمش سبز")
    assert rows[0][0] == "raisin-green"
    full = [rank for _slug, rank in rows if rank >= search.ALL_WORDS_BONUS]
    assert len(full) == 1
    # Other raisins (one word, in name and context) before green cumin (one word, name).
    order = [slug for slug, _rank in rows]
    assert order.index("raisin-red") < order.index("cumin-green")


def test_order_is_stable(catalogue):
    first = ranked("پسته")
    assert first == ranked("پسته") == ranked("پسته\u200cها")
    ties = [slug for slug, rank in first if rank == first[0][1]]
    ids = list(Product.objects.filter(slug__in=ties).order_by("-id").values_list("slug", flat=True))
    assert ties == ids


def test_explain_adds_up_to_the_rank(catalogue):
    product = catalogue["sargol-5g"]
    explained = search.explain(product.pk, "زعفرن سرگل ۵")
    assert [w["word"] for w in explained["words"]] == ["زعفرن", "سرگل", "5"]
    misspelt, sargol, five = explained["words"]
    assert "'زعفران'" in misspelt["terms"]  # the correction
    assert (misspelt["name"], misspelt["context"]) == (0.8, 0.4)
    assert (sargol["name"], five["name"]) == (1.0, 1.0)
    assert explained["all_words"] is True
    assert explained["rank"] == pytest.approx(dict(ranked("زعفرن سرگل ۵"))["sargol-5g"])
    assert search.explain(catalogue["kilim"].pk, "زعفران") is None


def test_corrections_only_for_words_the_catalogue_lacks(catalogue):
    parsed = search.correct(search.parse_query("زعفر زغفران"))
    prefix, misspelt = parsed.terms
    assert not any(t.corrected for t in prefix)  # «زعفر» starts «زعفران»: no correction
    assert "زعفران" in [t.lexeme for t in misspelt if t.corrected]


def test_queries_without_words(catalogue):
    assert ranked("!!! ؟") == []
    assert ranked("ز" * 500) == []
    # Only stop words: they are searched rather than ignored.
    assert search.parse_query("و با").words == ("و", "با")
    assert search.parse_query("کشمش\u200cهای سبز").words == ("کشمش", "سبز")


def test_search_costs_at_most_one_extra_query(catalogue):
    queryset = Product.objects.all()
    with CaptureQueriesContext(connection) as context:
        search.search_products(queryset, "پسته")
        search.search_products(queryset, "گل ۵")  # no word long enough to correct
    assert len(context.captured_queries) == 1


def test_the_api_listing_uses_it(api, catalogue):
    query = "query($q: String) { products(first: 3, search: $q) { edges { node { slug } } } }"
    body = api(query, {"q": "پستهٔ اكبري"}, lang="fa")
    slugs = [edge["node"]["slug"] for edge in body["data"]["products"]["edges"]]
    assert set(slugs[:2]) == {"akbari-raw", "akbari-salted"}


def test_one_shared_word_does_not_list_an_unrelated_product(catalogue):
    # «گوشی» alone is read as the earrings' «گوشواره» (a correction, 0.8 of a name match);
    # with «موبایل», which nothing has, that is too little of the query to be listed.
    assert ranked("گوشی موبایل") == []
    assert [slug for slug, _rank in ranked("گوشی")] == ["earrings"]


def test_partial_matches_above_the_floor_stay(catalogue):
    rows = dict(ranked("کشمش سبز"))
    # Whole in the name and in the context; whole in the name only: listed after.
    assert rows["raisin-red"] == pytest.approx((1.0 + 0.4) / 2)
    assert rows["cumin-green"] == pytest.approx(search.MIN_PARTIAL_RANK)
    # In the context or the description only (apples sold by a dried-fruit seller).
    assert "apple" not in rows
    assert min(rows.values()) >= search.MIN_PARTIAL_RANK - search.RANK_EPSILON
