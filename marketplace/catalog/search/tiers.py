"""Reading a search listing in rank order without ranking every candidate.

A broad query («زعفران», «پسته مه‌ولات») matches a fifth of a large catalogue. Ordering
all of those by rank means reading every one of their rows, and the rows of a big
catalogue do not all stay in memory: on 100,000 products that alone took 100–250 ms.

So the candidates among the newest products are ranked first, a bounded piece of work
whatever the query; when they fill the page, its last row's rank is a floor, and only
older products ranking above it could still belong in the page. Those are found through
the rank's few values. Each query word scores one of seven levels, and each level is a
tsquery over the tagged index (E: the word exact in the name, P: in the name as a prefix
or a correction, B: in the context, W: anywhere):

    1.4  exact in the name, and in the context       E & B
    1.2  a name word starts with it, and in context   P & !E & B
    1.0  exact in the name only                       E & !B
    0.8  a name word starts with it only              P & !E & !B
    0.4  in the context only                          B & !P
    0.1  in the description only                      W & !B & !P
    0    nowhere                                      !W

A product's rank follows from its words' levels. The vocabulary says which levels each
word can reach at all (a word no name holds is never 1.0); the combinations of those
ranking above the floor, taken best first (those with every word, for the bonus, before
the others, each by the sum of its levels), are usually few, and one query reads the
older products matching any of them. A combination's tsquery without its negations
matches only combinations with each word at a level at least as high, which rank above
the floor too: so the GIN index yields exactly the products wanted, however common the
words, and the query is made to read them through it. A one-word query first tries the
products of the best level its word can reach, newest first: when they fill the page,
nothing else is read.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterator
from functools import reduce
from operator import or_

from django.db import connection, transaction
from django.db.models import FloatField, Q, QuerySet, Value

from marketplace.catalog.models import Product
from marketplace.catalog.search.index import ANYWHERE, CONTEXT, NAME, VOCABULARY, VOCABULARY_KEY
from marketplace.catalog.search.query import (
    ALL_WORDS_BONUS,
    IN_CONTEXT,
    IN_DESCRIPTION,
    NAME_EXACT,
    NAME_PREFIX,
    Matches,
    ParsedQuery,
    SearchRank,
    search_products,
)
from marketplace.core import sql

BOTH_EXACT, BOTH_PREFIX = NAME_EXACT + IN_CONTEXT, NAME_PREFIX + IN_CONTEXT
LEVELS = (BOTH_EXACT, BOTH_PREFIX, NAME_EXACT, NAME_PREFIX, IN_CONTEXT, IN_DESCRIPTION)
# The newest products ranked first (see TieredSearch): a query matching one product in
# two hundred fills a page there, and the wider the window, the more often its page is
# already the best the catalogue can rank, so that no older product need be read.
WINDOW = 5000
# Deeper pages than this are ranked over every candidate.
MAX_WINDOW_PAGE = 200
# How many level combinations the check of the older products may name.
MAX_COMBINATIONS = 1500
MAX_STEPS = 3000
# Rank values are sums of tenths divided by the word count; SQL computes them in floats.
EPSILON = 1e-9


_VOCABULARY_SQL = f"""
SELECT t.term, v.word, v.in_name, v.in_context
FROM unnest(%s::text[]) AS t(term)
JOIN {VOCABULARY} AS v
  ON v.word >= t.term COLLATE "C" AND v.word < (t.term || chr(1114111)) COLLATE "C"
"""
sql.statement("catalog.search_vocabulary", uses=[VOCABULARY_KEY])(lambda: _VOCABULARY_SQL)


def reachable_levels(parsed: ParsedQuery) -> list[tuple[int, ...]]:
    """For each word, the levels (best first) some product can have, by the vocabulary:
    the names' and contexts' words are all there; descriptions' are not, so 0.1 is
    always possible."""
    lexemes = sorted({t.lexeme for terms in parsed.terms for t in terms})
    with connection.cursor() as cursor:
        cursor.execute(_VOCABULARY_SQL, [lexemes])
        rows = cursor.fetchall()
    known: dict[str, list[tuple[str, bool, bool]]] = {}
    for term, word, in_name, in_context in rows:
        known.setdefault(term, []).append((word, in_name, in_context))
    result = []
    for terms in parsed.terms:
        exact = {t.lexeme for t in terms if not t.corrected}
        name_exact = name_other = context = False
        for term in terms:
            for word, in_name, in_context in known.get(term.lexeme, ()):
                if word != term.lexeme and not term.prefix:
                    continue
                context |= in_context
                if in_name and word in exact:
                    name_exact = True
                elif in_name:
                    name_other = True
        possible = {
            BOTH_EXACT: name_exact and context,
            BOTH_PREFIX: name_other and context,
            NAME_EXACT: name_exact,
            NAME_PREFIX: name_other,
            IN_CONTEXT: context,
            IN_DESCRIPTION: True,
        }
        result.append(tuple(level for level, ok in possible.items() if ok))
    return result


def _best_first(levels: list[tuple[int, ...]]) -> Iterator[tuple[int, tuple[int, ...]]]:
    """Every combination of one level per word, by descending sum."""
    start = (0,) * len(levels)
    heap = [(-sum(options[0] for options in levels), start)]
    seen = {start}
    while heap:
        negative, positions = heapq.heappop(heap)
        yield -negative, tuple(levels[w][p] for w, p in enumerate(positions))
        for word, options in enumerate(levels):
            if positions[word] + 1 < len(options):
                following = (*positions[:word], positions[word] + 1, *positions[word + 1 :])
                if following not in seen:
                    seen.add(following)
                    total = sum(levels[w][p] for w, p in enumerate(following))
                    heapq.heappush(heap, (-total, following))


def _groups(levels: list[tuple[int, ...]], accept) -> Iterator[tuple[int, list] | None]:
    """The accepted combinations grouped by sum, best first; None when MAX_STEPS run out
    (the group in progress is then dropped, never yielded incomplete)."""
    current: tuple[int, list] | None = None
    for step, (total, combination) in enumerate(_best_first(levels)):
        if step >= MAX_STEPS:
            yield None
            return
        if not accept(combination):
            continue
        if current is not None and current[0] != total:
            yield current
            current = None
        if current is None:
            current = (total, [])
        current[1].append(combination)
    if current is not None:
        yield current


# Levels whose tsquery without its negations (E & B, P & B, E, P, B, W, nothing) matches
# every product the other level's does: the positive parts, by inclusion.
COVERS = {
    BOTH_EXACT: {BOTH_EXACT},
    BOTH_PREFIX: {BOTH_EXACT, BOTH_PREFIX},
    NAME_EXACT: {BOTH_EXACT, NAME_EXACT},
    NAME_PREFIX: {BOTH_EXACT, BOTH_PREFIX, NAME_EXACT, NAME_PREFIX},
    IN_CONTEXT: {BOTH_EXACT, BOTH_PREFIX, IN_CONTEXT},
    IN_DESCRIPTION: set(LEVELS),
    0: {*LEVELS, 0},
}


def positive_query(parsed: ParsedQuery, index: int, level: int) -> str | None:
    """Level `level` of word `index` without its negations (None: nothing to require)."""
    exact = parsed.word_query(index, NAME, exact=True)
    name = parsed.word_query(index, NAME)
    context = parsed.word_query(index, CONTEXT)
    return {
        BOTH_EXACT: f"{exact} & {context}",
        BOTH_PREFIX: f"{name} & {context}",
        NAME_EXACT: exact,
        NAME_PREFIX: name,
        IN_CONTEXT: context,
        IN_DESCRIPTION: parsed.word_query(index, ANYWHERE),
        0: None,
    }[level]


def _combinations_above(parsed: ParsedQuery, floor: float) -> list[tuple[int, ...]] | None:
    count = len(parsed.words)
    levels = reachable_levels(parsed)
    sources = [(_groups(levels, lambda c: True), ALL_WORDS_BONUS)]
    if count > 1:  # some words but not all: below every product with all of them
        with_none = [(*options, 0) for options in levels]
        sources.append((_groups(with_none, lambda c: 0 in c and any(c)), 0.0))
    found: list[tuple[int, ...]] = []
    for groups, bonus in sources:
        for group in groups:
            if group is None:
                return None
            total, members = group
            if total / 10 / count + bonus <= floor + EPSILON:
                return found
            found.extend(members)
            if len(found) > MAX_COMBINATIONS:
                return None
    return found


def above(parsed: ParsedQuery, floor: float) -> list[str] | None:
    """Tsqueries matching exactly the products ranking above `floor`, or None when the
    level combinations ranking so high are too many to name.

    Each combination is named without its negations: that matches the combinations
    with every word at a level at least as high, which rank higher still, so are in
    the list too; and so a combination covered by another one of the list is left out.
    What remains is small and free of negations, which the index would otherwise have
    to read the (long) lists of."""
    combinations = _combinations_above(parsed, floor)
    if combinations is None:
        return None

    def covers(other: tuple[int, ...], mine: tuple[int, ...]) -> bool:
        return all(a in COVERS[b] for a, b in zip(mine, other, strict=True))

    kept: list[tuple[int, ...]] = []  # the uncovered so far: few, however many there are
    for combination in combinations:
        if not any(covers(other, combination) for other in kept):
            kept = [other for other in kept if not covers(combination, other)]
            kept.append(combination)
    queries = []
    for combination in kept:
        parts = [positive_query(parsed, i, level) for i, level in enumerate(combination)]
        queries.append(" & ".join(part for part in parts if part))
    return queries


class TieredSearch:
    """A searched listing (`queryset`: visibility and filters applied, not yet searched)
    read by descending rank, then descending id, a slice at a time.

    The candidates among the newest WINDOW products are ranked first (a bounded piece of
    work whatever the query). When they fill the slice, the only products that could
    still belong in it are older ones ranking above its last row: the level combinations
    that rank so high are few, so one query names them and reads those products through
    the GIN index. Everything ranking above a combination's levels ranks above the floor
    too, so the index finds exactly those products, however common the words."""

    def __init__(self, queryset: QuerySet[Product], parsed: ParsedQuery) -> None:
        self.queryset = queryset
        self.parsed = parsed

    def ranked(self, queryset: QuerySet[Product] | None = None) -> QuerySet[Product]:
        queryset = self.queryset if queryset is None else queryset
        return search_products(queryset, self.parsed).order_by("-rank", "-id")

    def best_of_one_word(self) -> QuerySet[Product]:
        """The products of a one-word query with the best level the vocabulary allows,
        newest first. Its tsquery without negations finds exactly them (no level ranks
        higher), and a broad word's best level is common: the planner walks the newest
        products by primary key and stops after a page."""
        best = reachable_levels(self.parsed)[0][0]
        return (
            self.queryset.filter(Matches(positive_query(self.parsed, 0, best)))
            .annotate(rank=Value(best / 10 + ALL_WORDS_BONUS, output_field=FloatField()))
            .order_by("-id")
        )

    def rows(self, start: int, stop: int, read: Callable[[QuerySet[Product]], list]) -> list:
        """Rows `start`..`stop` of the listing; `read` runs a sliced queryset and returns
        rows with `id` and `rank`."""
        newest = Product.objects.order_by("-id").values_list("id", flat=True).first() or 0
        if stop > MAX_WINDOW_PAGE or newest <= WINDOW:
            return read(self.ranked()[start:stop])
        if len(self.parsed.words) == 1:
            rows = read(self.best_of_one_word()[start:stop])
            if len(rows) == stop - start:
                return rows
        boundary = newest - WINDOW
        window = read(self.ranked(self.queryset.filter(id__gt=boundary))[:stop])
        if len(window) < stop:  # few candidates anywhere, most likely: rank them all
            return read(self.ranked()[start:stop])
        floor = window[-1].rank
        queries = above(self.parsed, floor)
        if queries is None:
            return read(self.ranked()[start:stop])
        if not queries:
            return window[start:stop]
        # One small tsquery per combination, each a scan of the index that skips along
        # its rarest word; every product found matches some word, so no candidate test.
        older = (
            self.queryset.filter(id__lte=boundary)
            .filter(reduce(or_, (Q(Matches(query)) for query in queries)))
            .annotate(rank=SearchRank(self.parsed))
        )
        with transaction.atomic(), connection.cursor() as cursor:
            # Through the index, whatever the planner expects of words found together.
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_indexscan = off")
            higher = read(older.order_by("-rank", "-id")[:stop])
        merged = sorted(window + higher, key=lambda row: (-row.rank, -row.id))
        return merged[start:stop]
