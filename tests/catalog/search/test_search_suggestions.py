"""Searches offered when a search found nothing: product-name words spelt like the
query's words, through the API as the shop's no-results page asks for them."""

from __future__ import annotations

import pytest

from marketplace.catalog.search import query as search

pytestmark = pytest.mark.django_db

SUGGESTIONS = "query($q: String!) { searchSuggestions(search: $q) }"


def test_a_word_no_product_has_is_offered_the_names_words_like_it(catalogue):
    found = search.suggestions("گوشی موبایل")
    assert found[0] == "گوشواره"
    assert len(found) <= search.MAX_SUGGESTIONS


def test_a_misspelt_word_is_offered_its_spelling(catalogue):
    assert "زعفران" in search.suggestions("زعفرن")


def test_nothing_like_it_offers_nothing(catalogue):
    assert search.suggestions("xyzzyq") == []
    assert search.suggestions("   ") == []


def test_the_api_offers_them(catalogue, api):
    body = api(SUGGESTIONS, {"q": "گوشی موبایل"}, lang="fa")
    assert "errors" not in body, body
    assert body["data"]["searchSuggestions"][0] == "گوشواره"
    empty = api(SUGGESTIONS, {"q": ""}, lang="fa")
    assert empty["data"]["searchSuggestions"] == []
