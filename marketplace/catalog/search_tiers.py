"""Reading a search listing in rank order without ranking every candidate.

A broad query («زعفران», «پسته مه‌ولات») matches a fifth of a large catalogue. Ordering
all of those by rank means reading every one of their rows, and the rows of a big
catalogue do not all stay in memory: on 100,000 products that alone took 100–250 ms.

The rank (catalog/search.py) takes few values. Each query word scores one of seven
levels, and each level is a tsquery over the tagged index (E: the word exact in the
name, P: in the name as a prefix or a correction, B: in the context, W: anywhere):

    1.4  exact in the name, and in the context       E & B
    1.2  a name word starts with it, and in context   P & !E & B
    1.0  exact in the name only                       E & !B
    0.8  a name word starts with it only              P & !E & !B
    0.4  in the context only                          B & !P
    0.1  in the description only                      W & !B & !P
    0    nowhere                                      !W

A product's rank follows from its words' levels, so the products of one rank value (a
*tier*) are those matching one of the level combinations giving that value. The
vocabulary says which levels each word can reach at all (a word no name holds is never
1.0), and the combinations of those are taken best first: those with every word (the
bonus) before the others, each by the sum of its levels. A page is read tier after
tier, each in id order (the listing's tie-break), until it is full: the planner walks
the newest products by primary key for a dense tier and stops after a page, or reads a
sparse one through the GIN index; each combination's tsquery is small, so an index probe
that finds nothing costs little. After a few tiers, what is left (below the last tier
read) is ranked row by row.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db import connection
from django.db.models import FloatField, Q, QuerySet, Value

from marketplace.catalog.models import Product
from marketplace.catalog.search import (
    ALL_WORDS_BONUS,
    ANYWHERE,
    CONTEXT,
    IN_CONTEXT,
    IN_DESCRIPTION,
    NAME,
    NAME_EXACT,
    NAME_PREFIX,
    VOCABULARY,
    Matches,
    ParsedQuery,
    search_products,
)

BOTH_EXACT, BOTH_PREFIX = NAME_EXACT + IN_CONTEXT, NAME_PREFIX + IN_CONTEXT
# How many tiers to read before ranking what is left, how many level combinations one
# tier may join, and how far to look for them. Every tier read costs a query.
MAX_TIERS = 6
MAX_COMBINATIONS = 6
MAX_STEPS = 400
# Rank values are sums of tenths divided by the word count; SQL computes them in floats.
EPSILON = 1e-9


@dataclass(frozen=True)
class Tier:
    rank: float
    tsqueries: tuple[str, ...]  # one per combination of levels


def level_query(parsed: ParsedQuery, index: int, level: int) -> str:
    """The tsquery of word `index` scoring exactly `level` (see the table above)."""
    exact = parsed.word_query(index, NAME, exact=True)
    name = parsed.word_query(index, NAME)
    context = parsed.word_query(index, CONTEXT)
    anywhere = parsed.word_query(index, ANYWHERE)
    return {
        BOTH_EXACT: f"{exact} & {context}",
        BOTH_PREFIX: f"{name} & !{exact} & {context}",
        NAME_EXACT: f"{exact} & !{context}",
        NAME_PREFIX: f"{name} & !{exact} & !{context}",
        IN_CONTEXT: f"{context} & !{name}",
        IN_DESCRIPTION: f"{anywhere} & !{context} & !{name}",
        0: f"!{anywhere}",
    }[level]


_VOCABULARY_SQL = f"""
SELECT t.term, v.word, v.in_name, v.in_context
FROM unnest(%s::text[]) AS t(term)
JOIN {VOCABULARY} AS v
  ON v.word >= t.term COLLATE "C" AND v.word < (t.term || chr(1114111)) COLLATE "C"
"""


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


def tiers(parsed: ParsedQuery) -> tuple[list[Tier], bool]:
    """The first tiers, best first, and whether they hold every candidate."""
    count = len(parsed.words)
    levels = reachable_levels(parsed)
    sources = [(_groups(levels, lambda c: True), ALL_WORDS_BONUS)]
    if count > 1:  # some words but not all: below every product with all of them
        with_none = [(*options, 0) for options in levels]
        sources.append((_groups(with_none, lambda c: 0 in c and any(c)), 0.0))
    found: list[Tier] = []
    for groups, bonus in sources:
        for group in groups:
            if group is None or len(found) >= MAX_TIERS or len(group[1]) > MAX_COMBINATIONS:
                return found, False
            total, members = group
            queries = tuple(
                " & ".join(level_query(parsed, i, level) for i, level in enumerate(c))
                for c in members
            )
            found.append(Tier(rank=total / 10 / count + bonus, tsqueries=queries))
    return found, True


class TieredSearch:
    """A searched listing (`queryset`: visibility and filters applied, not yet searched)
    read by descending rank, then descending id, a slice at a time."""

    def __init__(self, queryset: QuerySet[Product], parsed: ParsedQuery) -> None:
        self.queryset = queryset
        self.parsed = parsed
        self.tiers, self.complete = tiers(parsed)

    def sources(self) -> Iterator[QuerySet[Product]]:
        for tier in self.tiers:
            # Each combination its own condition: small tsqueries, one index scan each.
            condition = reduce(or_, (Q(Matches(query)) for query in tier.tsqueries))
            yield (
                self.queryset.filter(condition)
                .annotate(rank=Value(tier.rank, output_field=FloatField()))
                .order_by("-id")
            )
        if not self.complete:
            rest = search_products(self.queryset, self.parsed)
            if self.tiers:
                rest = rest.filter(rank__lt=self.tiers[-1].rank - EPSILON)
            yield rest.order_by("-rank", "-id")

    def rows(self, start: int, stop: int, read: Callable[[QuerySet[Product]], list]) -> list:
        """Rows `start`..`stop` of the listing; `read` runs a sliced queryset."""
        result: list = []
        seen = 0  # rows of the sources before the current one
        for source in self.sources():
            if seen >= stop:
                break
            skip, want = max(0, start - seen), stop - seen
            if skip:
                # Only the count of what lies before `start`, capped, not the rows.
                before = source[:skip].count()
                if before < skip:
                    seen += before
                    continue
            rows = read(source[skip:want])
            result.extend(rows)
            seen += skip + len(rows)
            if len(rows) == want - skip:
                break
        return result
