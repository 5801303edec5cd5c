"""Product search: the index (a weighted tsvector per product, and a vocabulary of the
catalogue's words) and the query that reads it.

Both sides go through `core.normalize.normalize_text` and then the same word splitter
(`words`), so whatever letters, digits or half-spaces a seller or a buyer typed, the
index and the query meet on one spelling. The splitter keeps runs of letters and runs of
digits (so «۵گرمی» and «5 گرمی» both give "5", "گرمی"); the index is built from those
words joined by single spaces, which PostgreSQL's parser splits back into exactly the
same lexemes (configuration 'simple': no stemming, no stop words).

A query's words (suffix words such as «ها» and «ی», left standing alone when the
normaliser turns a half-space into a space, and a few stop words are dropped) each
match through several terms:
- the word as a prefix (`سرگ:*` finds «سرگل»), except numbers, and one- or two-letter
  words before the last;
- the word joined to a neighbour («زرد چوبه» finds «زردچوبه»); the index also holds the
  name's neighbouring words joined, so «گلمحمدی» finds «گل‌محمدی»;
- a joined plural's singular («کشمشها» finds «کشمش»);
- for a word of 4+ letters that starts no word of the catalogue: the catalogue's words
  most like it by pg_trgm similarity (a letter typed wrong, missing or extra), looked
  up in the vocabulary table `catalog_search_word` with its trigram index.
A product is a candidate when any word matches (one GIN index scan).

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
Ties are broken by the caller's ordering (the listing's: id).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from itertools import pairwise

from django.db import connection, transaction
from django.db.models import BooleanField, Expression, F, FloatField, QuerySet, Value

from marketplace.catalog.models import Category, Product
from marketplace.core.normalize import normalize_text

CONFIG = "simple"
VOCABULARY = "catalog_search_word"

# Per-word scores by where the word was found, and the bonus for all words (see above):
# the bonus exceeds the highest per-word score (1.4), so no partial match reaches a full one.
SCORE_NAME_EXACT = 1.0
SCORE_NAME_PREFIX = 0.8
SCORE_CONTEXT = 0.4
SCORE_DESCRIPTION = 0.1
ALL_WORDS_BONUS = 1.5

# Longer "words" are noise (or an attack): dropped on both sides, so they never match.
MAX_WORD_LENGTH = 64
# Every query word adds a few tsquery checks per candidate row; more words add little.
MAX_QUERY_WORDS = 8
# Spelling correction: only for words long enough to be recognisable, a few candidates
# each, at pg_trgm's own default similarity threshold for the `%` operator (0.3), which
# one wrong letter in a 4–8 letter Persian word stays above.
MIN_CORRECTED_LENGTH = 4
MAX_CORRECTIONS = 3
MIN_SIMILARITY = 0.3
# Suffixes written after a half-space («کشمش‌ها», «پسته‌ی») and a few function words
# say nothing about the product, so a query ignores them (unless it has nothing else).
STOP_WORDS = frozenset(
    {
        *("ها", "های", "هایی", "ی", "ای", "ایی", "تر", "ترین"),
        *("و", "با", "از", "در", "برای", "را", "که", "یا", "این", "آن", "یک"),
        *("the", "and", "of", "with", "for", "from", "in", "an"),
    }
)
# A plural written joined («کشمشها») also looks for its singular: not a stemmer, one
# rule for the commonest suffix, offered as an alternative, never a replacement.
PLURAL_SUFFIXES = ("هایی", "های", "ها")

_WORD = re.compile(r"\d+|[^\W\d_]+")


def words(text: str) -> list[str]:
    """The words of `text` as the index stores them: normalised, then split into runs of
    letters and runs of digits."""
    return [w for w in _WORD.findall(normalize_text(text)) if len(w) <= MAX_WORD_LENGTH]


def _joinable(first: str, second: str) -> bool:
    # Numbers are split from letters on both sides, so joining them would match nothing.
    return not (first.isdigit() or second.isdigit())


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


# ---------------------------------------------------------------- the index


@dataclass(frozen=True)
class Document:
    """What one product contributes to the index, by weight."""

    name: str  # A: the Persian and English names, plus their neighbouring words joined
    context: str  # B: seller, cooperative, category (with those above it), village
    description: str  # C: the descriptions' words found in neither of the above
    # search_text: the names and the context as words, the source of the vocabulary
    # (the search itself reads only the vector, so the column's trigram index is unused).
    text: str

    def as_dict(self) -> dict[str, str]:
        return {"A": self.name, "B": self.context, "C": self.description}


def build_document(
    *, name: str, name_en: str, description: str, description_en: str, context: Iterable[str]
) -> Document:
    plain: list[str] = []
    joined: list[str] = []
    for text in (name, name_en):
        found = words(text)
        plain.extend(found)
        joined.extend(a + b for a, b in pairwise(found) if _joinable(a, b))
    context_words = words(" ".join(filter(None, context)))
    # Positions do not matter to the rank, so each word is stored once per weight; and a
    # description only counts for words found nowhere else, so it keeps only those (and
    # no stop words): a small vector stays inside the row, where it is cheap to read.
    name_words = _unique(plain + joined)
    elsewhere = {*name_words, *context_words, *STOP_WORDS}
    description_words = [
        w
        for w in _unique(words(f"{description} {description_en}"))
        if w not in elsewhere and (len(w) > 1 or w.isdigit())
    ]
    return Document(
        name=" ".join(name_words),
        context=" ".join(_unique(context_words)),
        description=" ".join(description_words),
        text=" ".join(plain + context_words),
    )


def _category_rows():
    return Category.objects.values_list("pk", "parent_id", "name", "name_en")


def _category_words() -> dict[int, list[str]]:
    """For every category, its names and those of the categories above it (the tree is
    small: one query)."""
    rows = {pk: (parent, name, name_en) for pk, parent, name, name_en in _category_rows()}
    names: dict[int, list[str]] = {}
    for pk in rows:
        chain: list[str] = []
        current: int | None = pk
        while current is not None and current in rows and len(chain) < 20:
            parent, name, name_en = rows[current]
            chain.extend([name, name_en])
            current = parent
        names[pk] = chain
    return names


_FIELDS = (
    "pk",
    "name",
    "name_en",
    "description",
    "description_en",
    "category_id",
    "seller__name",
    "seller__cooperative__name",
    "origin__name",
    "origin__name_en",
)


def _document(row: tuple, categories: dict[int, list[str]]) -> Document:
    _pk, name, name_en, description, description_en, category_id, *context = row
    return build_document(
        name=name,
        name_en=name_en,
        description=description,
        description_en=description_en,
        context=[*categories.get(category_id, []), *context],
    )


def document_parts(product: Product) -> dict[str, str]:
    """The normalised text of `product` by weight (A name, B context, C description)."""
    row = Product.objects.filter(pk=product.pk).values_list(*_FIELDS).first()
    if row is None:
        return {"A": "", "B": "", "C": ""}
    return _document(row, _category_words()).as_dict()


_WRITE = f"""
UPDATE catalog_product AS p SET
    search_vector = setweight(to_tsvector('{CONFIG}', v.a), 'A')
        || setweight(to_tsvector('{CONFIG}', v.b), 'B')
        || setweight(to_tsvector('{CONFIG}', v.c), 'C'),
    search_text = v.t
FROM unnest(%s::bigint[], %s::text[], %s::text[], %s::text[], %s::text[]) AS v(id, a, b, c, t)
WHERE p.id = v.id
"""
# In a fixed order, so two transactions adding the same new words cannot deadlock.
_ADD_WORDS = f"""
INSERT INTO {VOCABULARY} (word)
SELECT w FROM unnest(%s::text[]) AS w ORDER BY w COLLATE "C"
ON CONFLICT DO NOTHING
"""


def _write(rows: list[tuple], categories: dict[int, list[str]]) -> set[str]:
    """One UPDATE for the whole batch (the text is prepared here, the vectors in SQL) and
    one INSERT of its words into the vocabulary. Returns those words."""
    ids, names, contexts, descriptions, texts = [], [], [], [], []
    vocabulary: set[str] = set()
    for row in rows:
        document = _document(row, categories)
        ids.append(row[0])
        names.append(document.name)
        contexts.append(document.context)
        descriptions.append(document.description)
        texts.append(document.text)
        vocabulary.update(w for w in document.text.split() if not w.isdigit())
    with connection.cursor() as cursor:
        cursor.execute(_WRITE, [ids, names, contexts, descriptions, texts])
        cursor.execute(_ADD_WORDS, [sorted(vocabulary)])
    return vocabulary


def _reindex(
    queryset: QuerySet[Product],
    *,
    batch_size: int = 2000,
    progress: Callable[[int], None] | None = None,
    vocabulary: set[str] | None = None,
) -> int:
    """Reindex `queryset` in batches by ascending id, one transaction per batch, so a
    long run neither holds locks on the whole table nor builds one huge statement."""
    categories = _category_words()
    done, last = 0, 0
    while True:
        rows = list(queryset.filter(pk__gt=last).order_by("pk").values_list(*_FIELDS)[:batch_size])
        if not rows:
            return done
        with transaction.atomic():
            found = _write(rows, categories)
        if vocabulary is not None:
            vocabulary |= found
        done += len(rows)
        last = rows[-1][0]
        if progress is not None:
            progress(done)


def reindex_products(product_ids: Iterable[int]) -> int:
    """Rebuild the index of these products (the services call this on every write that
    changes what is searched). Returns how many were reindexed."""
    ids = list(product_ids)
    if not ids:
        return 0
    return _reindex(Product.objects.filter(pk__in=ids))


def reindex_all(batch_size: int = 2000, *, progress: Callable[[int], None] | None = None) -> int:
    """Rebuild the index of every product, for bulk loads and repairs (100,000 products:
    about half a minute on two cores). Then drops the vocabulary's words no product uses any
    more (a word added by a product saved meanwhile may go too; its next save or the
    next run brings it back) and analyses both tables so plans see the new index."""
    vocabulary: set[str] = set()
    done = _reindex(
        Product.objects.all(), batch_size=batch_size, progress=progress, vocabulary=vocabulary
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {VOCABULARY} AS v WHERE NOT EXISTS"
            " (SELECT 1 FROM unnest(%s::text[]) AS k(word) WHERE k.word = v.word)",
            [sorted(vocabulary)],
        )
        cursor.execute(f"ANALYZE catalog_product, {VOCABULARY}")
    return done


def reindex_for_seller(seller_id: int) -> int:
    """After a seller's name changes: their products show it in the index."""
    return _reindex(Product.objects.filter(seller_id=seller_id))


def reindex_for_cooperative(cooperative_id: int) -> int:
    """After a cooperative's name changes: the products of its members. (A seller who
    joins or leaves a cooperative: `reindex_for_seller`.)"""
    return _reindex(Product.objects.filter(seller__cooperative_id=cooperative_id))


def reindex_for_category(category_id: int) -> int:
    """After a category's name changes: its products and those of the categories below
    it, whose index holds the names of the categories above them."""
    children: dict[int | None, list[int]] = {}
    for pk, parent, _name, _name_en in _category_rows():
        children.setdefault(parent, []).append(pk)
    found: set[int] = set()
    pending = [category_id]
    while pending:
        pk = pending.pop()
        if pk not in found:
            found.add(pk)
            pending.extend(children.get(pk, ()))
    return _reindex(Product.objects.filter(category_id__in=found))


def reindex_for_village(village_id: int) -> int:
    """After a village's name changes: the products that come from it."""
    return _reindex(Product.objects.filter(origin_id=village_id))


# ---------------------------------------------------------------- the query


@dataclass(frozen=True)
class Term:
    lexeme: str
    prefix: bool
    corrected: bool = False

    def tsquery(self, weights: str = "") -> str:
        # Lexemes are runs of letters or digits only, so they never need escaping.
        flags = ("*" if self.prefix else "") + weights
        return f"'{self.lexeme}'" + (f":{flags}" if flags else "")


@dataclass(frozen=True)
class ParsedQuery:
    """A query's words and, for each, the terms that count as finding it."""

    words: tuple[str, ...]
    terms: tuple[tuple[Term, ...], ...]

    def word_query(self, index: int, weights: str = "", *, exact: bool = False) -> str:
        """Finds word `index` (`exact`: the whole word or a join, not a prefix or a
        correction) in the parts of the given weights (all when empty)."""
        terms = self.terms[index]
        if exact:
            terms = tuple(replace(t, prefix=False) for t in terms if not t.corrected)
        return " | ".join(t.tsquery(weights) for t in terms)

    def any_word(self) -> str:
        return " | ".join(f"({self.word_query(i)})" for i in range(len(self.words)))

    def all_words(self) -> str:
        return " & ".join(f"({self.word_query(i)})" for i in range(len(self.words)))


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
    if index > 0 and _joinable(found[index - 1], word):
        terms.append(Term(found[index - 1] + word, prefix=True))
    if index + 1 < len(found) and _joinable(word, found[index + 1]):
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
    found = _unique(words(query or ""))
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
    exact, name = parsed.word_query(index, "A", exact=True), parsed.word_query(index, "A")
    context_query = parsed.word_query(index, "B")
    description = parsed.word_query(index, "C")
    return sql, [exact, context_query, name, context_query, context_query, description]


def _rank_sql(vector: str, parsed: ParsedQuery) -> tuple[str, list[str]]:
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

    def __init__(self, parsed: ParsedQuery) -> None:
        super().__init__(output_field=self.output)
        self.parsed = parsed
        self.vector = F("search_vector")

    def get_source_expressions(self) -> list:
        return [self.vector]

    def set_source_expressions(self, exprs: list) -> None:
        (self.vector,) = exprs

    def column(self, compiler) -> str:
        sql, params = compiler.compile(self.vector)
        assert not params
        return sql


class SearchMatch(_VectorExpression):
    """True for the candidates: any word matches (the GIN index on search_vector)."""

    output = BooleanField()
    conditional = True

    def as_sql(self, compiler, connection):
        return f"{self.column(compiler)} @@ %s::tsquery", [self.parsed.any_word()]


class SearchRank(_VectorExpression):
    """The rank described at the top of this module."""

    output = FloatField()

    def as_sql(self, compiler, connection):
        return _rank_sql(self.column(compiler), self.parsed)


def search_products(queryset: QuerySet[Product], query: str) -> QuerySet[Product]:
    """The products of `queryset` that match `query`, annotated with `rank` (higher is
    better; the caller orders). A query without a usable word matches nothing."""
    parsed = parse_query(query)
    if parsed is None:
        return queryset.none().annotate(rank=Value(0.0, output_field=FloatField()))
    parsed = correct(parsed)
    return queryset.filter(SearchMatch(parsed)).annotate(rank=SearchRank(parsed))


# ---------------------------------------------------------------- explaining a rank


def explain(product_id: int, query: str) -> dict | None:
    """Why `product_id` has its rank for `query`: the terms tried for each word, its
    score from the name, the context and the description, whether all words were found,
    and the rank (computed by the same SQL as the search; None: not a candidate)."""
    parsed = parse_query(query)
    if parsed is None:
        return None
    parsed = correct(parsed)
    columns, params = [], []
    for index in range(len(parsed.words)):
        columns += [
            f"CASE WHEN search_vector @@ %s::tsquery THEN {SCORE_NAME_EXACT}::float8"
            f" WHEN search_vector @@ %s::tsquery THEN {SCORE_NAME_PREFIX}::float8 ELSE 0 END",
            "search_vector @@ %s::tsquery",
            "search_vector @@ %s::tsquery",
        ]
        params += [
            parsed.word_query(index, "A", exact=True),
            parsed.word_query(index, "A"),
            parsed.word_query(index, "B"),
            parsed.word_query(index, "C"),
        ]
    rank, rank_params = _rank_sql("search_vector", parsed)
    sql = (
        f"SELECT {', '.join(columns)}, search_vector @@ %s::tsquery, {rank}"
        " FROM catalog_product WHERE id = %s AND search_vector @@ %s::tsquery"
    )
    params += [parsed.all_words(), *rank_params, product_id, parsed.any_word()]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
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
                "terms": [t.tsquery() for t in terms],
                "name": name,
                "context": context,
                "description": SCORE_DESCRIPTION if only_description else 0.0,
            }
        )
    count = len(parsed.words)
    return {"words": explained, "all_words": row[3 * count], "rank": row[3 * count + 1]}
