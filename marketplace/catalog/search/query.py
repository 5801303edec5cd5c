"""Product search: the query that reads the index built by catalog/search/index.py.

Both sides go through the same normaliser and word splitter (`words`), so whatever
letters, digits or half-spaces a seller or a buyer typed, the index and the query meet
on one spelling. A query's words (suffix words such as «ها» and «ی», left standing alone
when the normaliser turns a half-space into a space, and a few stop words are dropped)
each match through several terms:
- the word as a prefix (`سرگ:*` finds «سرگل»), except numbers, and one- or two-letter
  words before the last;
- the word joined to a neighbour («زرد چوبه» finds «زردچوبه»); the index also holds the
  name's neighbouring words joined, so «گلمحمدی» finds «گل‌محمدی»;
- a joined plural's singular («کشمشها» finds «کشمش»);
- for a word of 4+ letters that starts no word of the catalogue: the catalogue's words
  most like it by pg_trgm similarity (a letter typed wrong, missing or extra), looked
  up in the vocabulary table `catalog_search_word` with its trigram index.
A product is a candidate when any word matches (one GIN index scan); one that lacks some
of a query's words is listed only above a relevance floor (MIN_PARTIAL_RANK).

The rank is a plain sum, the same for the same product and query whatever else is in the
catalogue (no corpus statistics), so it can be explained row by row (see `explain`):

    rank = (sum of the per-word scores) / n  +  1.5 if every word matched

    per-word score = name:        1.0 the whole word, 0.8 a word starting with it (or the
                                  word corrected), else 0
                   + context:     0.4 in the seller, cooperative, category or village
                   + description: 0.1 when the word is in the description only

So a product with all the words always ranks above one with only some (all: at least
1.6, some: below 1.4), a name match beats a context or description match, and among
products named alike the one whose category or seller also says the word comes first.
A product without every word must reach MIN_PARTIAL_RANK: what it has must add up to
half a whole-word name match per query word. One shared word found as a prefix or a
correction («گوشی» read as «گوشواره» in «گوشی موبایل»: 0.8 / 2) or in the context or
description only does not list a product; one word of two whole in its name, or two of
three in its name, does.
Ties are broken by the caller's ordering (the listing's: id). The listing reads a page
in that order tier by tier (catalog/search/tiers.py) instead of ranking every candidate.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from django.db import connection
from django.db.models import BooleanField, Expression, F, FloatField, QuerySet, Value

from marketplace.catalog.models import Product
from marketplace.catalog.search.index import (
    ANYWHERE,
    CONTEXT,
    NAME,
    STOP_WORDS,
    VOCABULARY,
    VOCABULARY_KEY,
    joinable,
    unique,
    words,
)
from marketplace.core import sql

# Per-word scores in tenths, by where the word was found, and the bonus for all words
# (see above): the bonus exceeds the highest per-word score (1.4), so no partial match
# reaches a full one. Tenths keep the tiers' arithmetic exact.
NAME_EXACT, NAME_PREFIX, IN_CONTEXT, IN_DESCRIPTION = 10, 8, 4, 1
SCORE_NAME_EXACT = NAME_EXACT / 10
SCORE_NAME_PREFIX = NAME_PREFIX / 10
SCORE_CONTEXT = IN_CONTEXT / 10
SCORE_DESCRIPTION = IN_DESCRIPTION / 10
ALL_WORDS_BONUS = 1.5
# Below this, a product lacking some words shares too little with the query to be shown
# (see above); every product with all the words ranks above it.
MIN_PARTIAL_RANK = 0.5
# Rank values are sums of tenths divided by the word count, computed in floats.
RANK_EPSILON = 1e-9

# Every query word adds a few tsquery checks per candidate row; more words add little.
MAX_QUERY_WORDS = 8
# Spelling correction: only for words long enough to be recognisable, a few candidates
# each, at pg_trgm's own default similarity threshold for the `%` operator (0.3), which
# one wrong letter in a 4–8 letter Persian word stays above.
MIN_CORRECTED_LENGTH = 4
MAX_CORRECTIONS = 3
MIN_SIMILARITY = 0.3
# A plural written joined («کشمشها») also looks for its singular: not a stemmer, one
# rule for the commonest suffix, offered as an alternative, never a replacement.
PLURAL_SUFFIXES = ("هایی", "های", "ها")


@dataclass(frozen=True)
class Term:
    lexeme: str
    prefix: bool
    corrected: bool = False

    def tsquery(self, part: str) -> str:
        # Lexemes are runs of letters or digits only, so they never need escaping.
        return f"'{part}{self.lexeme}'" + (":*" if self.prefix else "")


@dataclass(frozen=True)
class ParsedQuery:
    """A query's words and, for each, the terms that count as finding it."""

    words: tuple[str, ...]
    terms: tuple[tuple[Term, ...], ...]

    def word_query(self, index: int, part: str, *, exact: bool = False) -> str:
        """Finds word `index` in one part of the document (`exact`: the whole word or a
        join, not a prefix or a correction)."""
        terms = self.terms[index]
        if exact:
            terms = tuple(replace(t, prefix=False) for t in terms if not t.corrected)
        return "(" + " | ".join(t.tsquery(part) for t in terms) + ")"

    def any_word(self) -> str:
        return " | ".join(self.word_query(i, ANYWHERE) for i in range(len(self.words)))

    def all_words(self) -> str:
        return " & ".join(self.word_query(i, ANYWHERE) for i in range(len(self.words)))


def _terms(found: list[str], index: int) -> list[Term]:
    word = found[index]
    # A word still being typed (the last) may be a prefix of any length; before it, a
    # one- or two-letter word is a whole word («گل محمدی» should not find «گلیم»).
    last = index == len(found) - 1
    terms = [Term(word, prefix=not word.isdigit() and (last or len(word) >= 3))]
    for suffix in PLURAL_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            terms.append(Term(word[: -len(suffix)], prefix=True))
            break
    if word.isascii() and word.endswith("s") and len(word) >= 4:
        terms.append(Term(word[:-1], prefix=True))  # "raisins" finds "raisin"
    if index > 0 and joinable(found[index - 1], word):
        terms.append(Term(found[index - 1] + word, prefix=True))
    if index + 1 < len(found) and joinable(word, found[index + 1]):
        terms.append(Term(word + found[index + 1], prefix=True))
    return terms


def _distinct_terms(terms: Iterable[Term]) -> tuple[Term, ...]:
    seen: dict[str, Term] = {}
    for term in terms:
        seen.setdefault(term.lexeme, term)
    return tuple(seen.values())


def parse_query(query: str) -> ParsedQuery | None:
    """The words that matter in `query` and their terms, without corrections (None when
    it has no word)."""
    found = unique(words(query or ""))
    kept = [w for w in found if w not in STOP_WORDS and (len(w) > 1 or w.isdigit())]
    kept = (kept or found)[:MAX_QUERY_WORDS]
    if not kept:
        return None
    terms = tuple(_distinct_terms(_terms(kept, i)) for i in range(len(kept)))
    return ParsedQuery(words=tuple(kept), terms=terms)


# The catalogue's words most like each query word that starts none of them. The prefix
# test is a range over the "C"-collated primary key (U+10FFFF sorts after any character),
# done first (OFFSET 0 keeps it there) so that only unknown words are looked up.
CORRECTIONS_SQL = f"""
SELECT q.word, c.word
FROM (
    SELECT u.word FROM unnest(%s::text[]) AS u(word)
    WHERE NOT EXISTS (
        SELECT 1 FROM {VOCABULARY} AS k
        WHERE k.word >= u.word COLLATE "C" AND k.word < (u.word || chr(1114111)) COLLATE "C"
    )
    OFFSET 0
) AS q
CROSS JOIN LATERAL (
    SELECT v.word FROM {VOCABULARY} AS v
    WHERE v.word %% q.word AND similarity(v.word, q.word) >= %s
    ORDER BY similarity(v.word, q.word) DESC, v.word
    LIMIT {MAX_CORRECTIONS}
) AS c
"""
# The prefix test reads the primary key whatever the vocabulary's size; the trigram
# index pays only once the vocabulary outgrows a few pages, so it is not pinned here.
sql.statement("catalog.search_corrections", uses=[VOCABULARY_KEY])(lambda: CORRECTIONS_SQL)


def correct(parsed: ParsedQuery) -> ParsedQuery:
    """Add, to each word that starts no word of the catalogue, the catalogue's words
    most like it (one query for all the words)."""
    candidates = [w for w in parsed.words if len(w) >= MIN_CORRECTED_LENGTH and not w.isdigit()]
    if not candidates:
        return parsed
    with connection.cursor() as cursor:
        cursor.execute(CORRECTIONS_SQL, [candidates, MIN_SIMILARITY])
        found = cursor.fetchall()
    if not found:
        return parsed
    extra: dict[str, list[Term]] = {}
    for word, correction in found:
        extra.setdefault(word, []).append(Term(correction, prefix=False, corrected=True))
    terms = tuple(
        _distinct_terms([*terms, *extra.get(word, [])])
        for word, terms in zip(parsed.words, parsed.terms, strict=True)
    )
    return replace(parsed, terms=terms)


# For a search that found nothing: the names' words most like the query's, to offer as
# searches of their own («گوشی» → «گوشواره»). Unlike the corrections, a word that
# starts some catalogue word is looked at too, and only words of names are offered.
MAX_SUGGESTIONS = 5
SUGGESTIONS_SQL = f"""
SELECT c.word
FROM unnest(%s::text[]) AS q(word)
CROSS JOIN LATERAL (
    SELECT v.word, similarity(v.word, q.word) AS likeness FROM {VOCABULARY} AS v
    WHERE v.word %% q.word AND v.in_name AND v.word <> q.word
    ORDER BY likeness DESC, v.word
    LIMIT {MAX_SUGGESTIONS}
) AS c
ORDER BY c.likeness DESC, c.word
"""
sql.statement("catalog.search_suggestions")(lambda: SUGGESTIONS_SQL)


def suggestions(query: str) -> list[str]:
    """Words of the catalogue's product names spelt most like the words of `query`, best
    first (at most MAX_SUGGESTIONS)."""
    parsed = parse_query(query)
    if parsed is None:
        return []
    candidates = [w for w in parsed.words if len(w) >= MIN_CORRECTED_LENGTH - 1]
    if not candidates:
        return []
    with connection.cursor() as cursor:
        cursor.execute(SUGGESTIONS_SQL, [candidates])
        found = [row[0] for row in cursor.fetchall()]
    return [word for word in unique(found) if not word.isdigit()][:MAX_SUGGESTIONS]


def _word_score_sql(vector: str, parsed: ParsedQuery, index: int) -> tuple[str, list[str]]:
    """Word `index`'s score as one CASE, which stops at the first check that settles it
    (most candidates have the word in the name: two checks)."""
    check = f"{vector} @@ %s::tsquery"
    context = f"CASE WHEN {check} THEN {SCORE_CONTEXT}::float8 ELSE 0::float8 END"
    sql = (
        f"CASE WHEN {check} THEN {SCORE_NAME_EXACT}::float8 + {context}"
        f" WHEN {check} THEN {SCORE_NAME_PREFIX}::float8 + {context}"
        f" WHEN {check} THEN {SCORE_CONTEXT}::float8"
        f" WHEN {check} THEN {SCORE_DESCRIPTION}::float8 ELSE 0::float8 END"
    )
    exact, name = parsed.word_query(index, NAME, exact=True), parsed.word_query(index, NAME)
    context_query = parsed.word_query(index, CONTEXT)
    # Past the name and context checks, found anywhere means found in the description.
    anywhere = parsed.word_query(index, ANYWHERE)
    return sql, [exact, context_query, name, context_query, context_query, anywhere]


def rank_sql(vector: str, parsed: ParsedQuery) -> tuple[str, list[str]]:
    parts, params = [], []
    for index in range(len(parsed.words)):
        sql, word_params = _word_score_sql(vector, parsed, index)
        parts.append(sql)
        params.extend(word_params)
    sql = (
        f"(({' + '.join(parts)}) / {len(parsed.words)}::float8"
        f" + CASE WHEN {vector} @@ %s::tsquery THEN {ALL_WORDS_BONUS}::float8 ELSE 0 END)"
    )
    return sql, [*params, parsed.all_words()]


class _VectorExpression(Expression):
    """Compiled over the product's `search_vector` column, wherever the query puts it."""

    def __init__(self) -> None:
        super().__init__(output_field=self.output)
        self.vector = F("search_vector")

    def get_source_expressions(self) -> list:
        return [self.vector]

    def set_source_expressions(self, exprs: list) -> None:
        (self.vector,) = exprs

    def column(self, compiler) -> str:
        sql, params = compiler.compile(self.vector)
        assert not params
        return sql


class Matches(_VectorExpression):
    """True where the vector matches a tsquery (the GIN index on search_vector)."""

    output = BooleanField()
    conditional = True

    def __init__(self, tsquery: str) -> None:
        super().__init__()
        self.tsquery = tsquery

    def as_sql(self, compiler, connection):
        return f"{self.column(compiler)} @@ %s::tsquery", [self.tsquery]


class SearchRank(_VectorExpression):
    """The rank described at the top of this module."""

    output = FloatField()

    def __init__(self, parsed: ParsedQuery) -> None:
        super().__init__()
        self.parsed = parsed

    def as_sql(self, compiler, connection):
        return rank_sql(self.column(compiler), self.parsed)


def search_match(parsed: ParsedQuery) -> Matches:
    """True for the candidates: any word matches."""
    return Matches(parsed.any_word())


def prepare(query: str) -> ParsedQuery | None:
    """`query` parsed and corrected, ready to search (None: no usable word)."""
    parsed = parse_query(query)
    return None if parsed is None else correct(parsed)


def search_products(
    queryset: QuerySet[Product], query: str | ParsedQuery | None
) -> QuerySet[Product]:
    """The products of `queryset` that match `query` enough (see MIN_PARTIAL_RANK),
    annotated with `rank` (higher is better; the caller orders). A query without a
    usable word matches nothing."""
    parsed = query if isinstance(query, ParsedQuery) else prepare(query or "")
    if parsed is None:
        return queryset.none().annotate(rank=Value(0.0, output_field=FloatField()))
    found = queryset.filter(search_match(parsed)).annotate(rank=SearchRank(parsed))
    if len(parsed.words) > 1:  # one word found is every word: never below the floor
        found = found.filter(rank__gte=MIN_PARTIAL_RANK - RANK_EPSILON)
    return found


# ---------------------------------------------------------------- explaining a rank


def explain(product_id: int, query: str) -> dict | None:
    """Why `product_id` has its rank for `query`: the terms tried for each word, its
    score from the name, the context and the description, whether all words were found,
    and the rank (computed by the same SQL as the search; None: not a candidate)."""
    parsed = prepare(query)
    if parsed is None:
        return None
    columns, params = [], []
    for index in range(len(parsed.words)):
        columns += [
            f"CASE WHEN search_vector @@ %s::tsquery THEN {SCORE_NAME_EXACT}::float8"
            f" WHEN search_vector @@ %s::tsquery THEN {SCORE_NAME_PREFIX}::float8 ELSE 0 END",
            "search_vector @@ %s::tsquery",
            "search_vector @@ %s::tsquery",
        ]
        params += [
            parsed.word_query(index, NAME, exact=True),
            parsed.word_query(index, NAME),
            parsed.word_query(index, CONTEXT),
            parsed.word_query(index, ANYWHERE),
        ]
    rank, rank_params = rank_sql("search_vector", parsed)
    statement = (
        f"SELECT {', '.join(columns)}, search_vector @@ %s::tsquery, {rank}"
        f" FROM {sql.table_name(Product)} WHERE id = %s AND search_vector @@ %s::tsquery"
    )
    params += [parsed.all_words(), *rank_params, product_id, parsed.any_word()]
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        row = cursor.fetchone()
    if row is None:
        return None
    explained = []
    for i, (word, terms) in enumerate(zip(parsed.words, parsed.terms, strict=True)):
        name, in_context, in_description = row[3 * i : 3 * i + 3]
        context = SCORE_CONTEXT if in_context else 0.0
        only_description = in_description and not (name or in_context)
        explained.append(
            {
                "word": word,
                "terms": [t.tsquery(ANYWHERE) for t in terms],
                "name": name,
                "context": context,
                "description": SCORE_DESCRIPTION if only_description else 0.0,
            }
        )
    count = len(parsed.words)
    return {"words": explained, "all_words": row[3 * count], "rank": row[3 * count + 1]}
