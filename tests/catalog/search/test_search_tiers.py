"""Reading a search by tiers gives exactly what ranking every candidate gives: the same
products, in the same order, with the same rank, on every page."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext

from marketplace.catalog.models import Product
from marketplace.catalog.search import query as search
from marketplace.catalog.search import tiers as search_tiers
from marketplace.catalog.selectors import product_listing
from marketplace.channels.models import Channel
from tests.catalog.search.cases import CASES

pytestmark = pytest.mark.django_db

QUERIES = [case.query for case in CASES] + ["کلات", "پسته زعفران", "ممتاز", "۵", "ک"]


def listing(query: str):
    return product_listing(AnonymousUser(), Channel.objects.get(slug="ir"), search=query)


def tiered(query: str, start: int, stop: int) -> list[tuple[str, float]]:
    rows = listing(query)
    assert rows.tiered is not None
    return [(row.slug, round(row.rank, 6)) for row in rows[start:stop]]


def ranked(query: str, start: int, stop: int) -> list[tuple[str, float]]:
    """The same page by ranking every candidate in one query."""
    rows = listing(query).queryset[start:stop].values_list("slug", "rank")
    return [(slug, round(rank, 6)) for slug, rank in rows]


@pytest.mark.parametrize("window, combinations", [(10, 24), (30, 24), (10, 2)])
def test_pages_match_ranking_every_candidate(catalogue, monkeypatch, window, combinations):
    # The catalogue is small: a small window makes most pages need the older products.
    monkeypatch.setattr(search_tiers, "WINDOW", window)
    monkeypatch.setattr(search_tiers, "MAX_COMBINATIONS", combinations)
    for query in QUERIES:
        for start, stop in ((0, 21), (2, 7)):
            assert tiered(query, start, stop) == ranked(query, start, stop), (query, start)


def test_levels_no_product_can_reach_are_skipped(catalogue):
    parsed = search.prepare("کشمش حیدریه")
    kishmish, heydarieh = search_tiers.reachable_levels(parsed)
    assert kishmish[0] == search_tiers.BOTH_EXACT  # in names and in a cooperative's name
    # In a cooperative's name only («تعاونی زعفران تربت حیدریه»), in no product name.
    assert heydarieh == (search.IN_CONTEXT, search.IN_DESCRIPTION)


def test_a_page_of_the_best_rank_among_the_newest_reads_no_further(catalogue, monkeypatch):
    newest = Product.objects.order_by("-id").values_list("id", flat=True).first()
    monkeypatch.setattr(search_tiers, "WINDOW", newest - 1)  # all but the first product
    rows = listing("زعفران سرگل")
    with CaptureQueriesContext(connection) as queries:
        page = rows[0:3]
    assert [row.rank for row in page] == [pytest.approx(2.7)] * 3
    # The newest id, the newest products ranked, and the vocabulary saying that no
    # product can rank above 2.7 («سرگل» is in no context); older products are not read.
    assert len(queries) == 3


def test_a_broad_word_reads_its_best_level_only(catalogue, monkeypatch):
    monkeypatch.setattr(search_tiers, "WINDOW", 10)
    rows = listing("زعفران")
    with CaptureQueriesContext(connection) as queries:
        page = rows[0:3]
    assert [row.rank for row in page] == [pytest.approx(2.9)] * 3
    assert len(queries) == 3  # the newest id, the vocabulary, the best level's products


def test_a_word_nothing_has_reads_nothing(catalogue):
    rows = listing("هندوانه")
    assert rows[0:21] == []
    assert rows.count() == 0
