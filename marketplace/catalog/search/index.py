"""The product search index: one tsvector per product, and the vocabulary of the
catalogue's words (see catalog/search/query.py for the query that reads them).

Text goes through `core.normalize.normalize_text` and then `words`, which keeps runs of
letters and runs of digits (so «۵گرمی» and «5 گرمی» both give "5", "گرمی"). Every word of
the document is stored once as itself, and the words of the two parts that rank higher
once more, tagged with their part:

    word         anywhere: names, context or the descriptions
    "_" + word   the Persian and English names, plus their neighbouring words joined
    "~" + word   the context: seller, cooperative, category (and those above), village

The descriptions keep only the words found in neither of the others. The vocabulary
table holds the words of the names (joined neighbours included) and of the contexts,
each flagged with where it occurs: the source of spelling corrections, and what tells
the query which of a word's rank levels can occur at all (catalog/search/tiers.py).

The tag makes the part part of the lexeme, so the GIN index answers "this word in the
name" exactly (with tsvector weights it can only answer "this word anywhere", and every
row holding the word elsewhere had to be read and rechecked), and the planner's
statistics count each word per part; "anywhere" stays one lexeme per word, as cheap to
look up as before. The vector is built with `array_to_tsvector`: no parser, no
positions (the rank does not use them).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import pairwise

from django.db import connection, transaction
from django.db.backends.utils import CursorWrapper
from django.db.models import QuerySet

from marketplace.catalog.models import Category, Product
from marketplace.core import sql
from marketplace.core.normalize import normalize_text
from marketplace.core.sql import Table

# The vocabulary table: made by migration 0003 (and 0005), with no model; this is the one
# place that names it. Its primary key is the word, under the "C" collation.
VOCABULARY = "catalog_search_word"
VOCABULARY_KEY = f"{VOCABULARY}_pkey"
SEARCH_INDEX = next(i.name for i in Product._meta.indexes if i.fields == ["search_vector"])
# Words are runs of letters or digits, so a tag that is neither never makes one word
# look like another.
ANYWHERE, NAME, CONTEXT = "", "_", "~"

# Longer "words" are noise (or an attack): dropped on both sides, so they never match.
MAX_WORD_LENGTH = 64
# Suffixes written after a half-space («کشمش‌ها», «پسته‌ی») and a few function words
# say nothing about the product, so a query ignores them (unless it has nothing else).
STOP_WORDS = frozenset(
    {
        *("ها", "های", "هایی", "ی", "ای", "ایی", "تر", "ترین"),
        *("و", "با", "از", "در", "برای", "را", "که", "یا", "این", "آن", "یک"),
        *("the", "and", "of", "with", "for", "from", "in", "an"),
    }
)

_WORD = re.compile(r"\d+|[^\W\d_]+")


def words(text: str) -> list[str]:
    """The words of `text` as the index stores them: normalised, then split into runs of
    letters and runs of digits."""
    return [w for w in _WORD.findall(normalize_text(text)) if len(w) <= MAX_WORD_LENGTH]


def joinable(first: str, second: str) -> bool:
    # Numbers are split from letters on both sides, so joining them would match nothing.
    return not (first.isdigit() or second.isdigit())


def unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


@dataclass(frozen=True)
class Document:
    """What one product contributes to the index, by part."""

    name: str  # the Persian and English names, plus their neighbouring words joined
    context: str  # seller, cooperative, category (with those above it), village
    description: str  # the descriptions' words found in neither of the above
    text: str  # the names and the context as words

    def as_dict(self) -> dict[str, str]:
        return {"A": self.name, "B": self.context, "C": self.description}

    def lexemes(self) -> str:
        """The lexemes, space-separated (words never contain spaces)."""
        name, context = self.name.split(), self.context.split()
        plain = unique([*name, *context, *self.description.split()])
        return " ".join([*plain, *(NAME + w for w in name), *(CONTEXT + w for w in context)])


def build_document(
    *, name: str, name_en: str, description: str, description_en: str, context: Iterable[str]
) -> Document:
    plain: list[str] = []
    joined: list[str] = []
    for text in (name, name_en):
        found = words(text)
        plain.extend(found)
        joined.extend(a + b for a, b in pairwise(found) if joinable(a, b))
    context_words = words(" ".join(filter(None, context)))
    # A description only counts for words found nowhere else, so it keeps only those
    # (and no stop words): a small vector stays inside the row, where it is cheap to read.
    name_words = unique(plain + joined)
    elsewhere = {*name_words, *context_words, *STOP_WORDS}
    description_words = [
        w
        for w in unique(words(f"{description} {description_en}"))
        if w not in elsewhere and (len(w) > 1 or w.isdigit())
    ]
    return Document(
        name=" ".join(name_words),
        context=" ".join(unique(context_words)),
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


def category_and_below(category_id: int) -> set[int]:
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
    return found


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
    """The normalised text of `product` by part (A name, B context, C description)."""
    row = Product.objects.filter(pk=product.pk).values_list(*_FIELDS).first()
    if row is None:
        return {"A": "", "B": "", "C": ""}
    return _document(row, _category_words()).as_dict()


PRODUCT = Table("p", Product)


@sql.statement("catalog.search_write", uses=[sql.index(Product, "pk")])
def _write_sql() -> str:
    p = PRODUCT
    return f"""
UPDATE {p.ref} SET
    {sql.column(Product, "search_vector")} = array_to_tsvector(string_to_array(v.lexemes, ' ')),
    {sql.column(Product, "search_text")} = v.t
FROM unnest(%s::bigint[], %s::text[], %s::text[]) AS v(id, lexemes, t)
WHERE {p.c.id} = v.id
"""


# In a fixed order, so two transactions adding the same new words cannot deadlock. A
# word's flags only ever gain here; `reindex_all` sets them exactly.
@sql.statement("catalog.search_add_words", uses=[VOCABULARY_KEY])
def _add_words() -> str:
    return f"""
INSERT INTO {VOCABULARY} (word, in_name, in_context)
SELECT w, n, c FROM unnest(%s::text[], %s::bool[], %s::bool[]) AS v(w, n, c)
ORDER BY w COLLATE "C"
ON CONFLICT (word) DO UPDATE
SET in_name = {VOCABULARY}.in_name OR excluded.in_name,
    in_context = {VOCABULARY}.in_context OR excluded.in_context
WHERE NOT ({VOCABULARY}.in_name >= excluded.in_name
           AND {VOCABULARY}.in_context >= excluded.in_context)
"""


# Vocabulary: word -> (in a name, in a context).
Vocabulary = dict[str, tuple[bool, bool]]


def _add(vocabulary: Vocabulary, document: Document) -> None:
    for part, words_of_part in ((0, document.name), (1, document.context)):
        for word in words_of_part.split():
            flags = vocabulary.get(word, (False, False))
            if not flags[part]:
                vocabulary[word] = (True, flags[1]) if part == 0 else (flags[0], True)


def _store_words(vocabulary: Vocabulary) -> None:
    ordered = sorted(vocabulary)
    with connection.cursor() as cursor:
        cursor.execute(
            _add_words(),
            [ordered, [vocabulary[w][0] for w in ordered], [vocabulary[w][1] for w in ordered]],
        )


def _write(rows: list[tuple], categories: dict[int, list[str]]) -> Vocabulary:
    """One UPDATE for the whole batch and one INSERT of its words into the vocabulary.
    Returns those words."""
    ids, lexemes, texts = [], [], []
    vocabulary: Vocabulary = {}
    for row in rows:
        document = _document(row, categories)
        ids.append(row[0])
        lexemes.append(document.lexemes())
        texts.append(document.text)
        _add(vocabulary, document)
    with connection.cursor() as cursor:
        cursor.execute(_write_sql(), [ids, lexemes, texts])
    _store_words(vocabulary)
    return vocabulary


def _reindex(
    queryset: QuerySet[Product],
    *,
    batch_size: int = 2000,
    progress: Callable[[int], None] | None = None,
    vocabulary: Vocabulary | None = None,
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
            for word, (in_name, in_context) in found.items():
                was = vocabulary.get(word, (False, False))
                vocabulary[word] = (was[0] or in_name, was[1] or in_context)
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
    under a minute on two cores). Then drops the vocabulary's words no product uses any
    more — checked against the index itself, so a word of a product saved meanwhile
    stays: the query relies on the vocabulary never missing a word a product has — and
    analyses both tables so plans see the new index."""
    vocabulary: Vocabulary = {}
    done = _reindex(
        Product.objects.all(), batch_size=batch_size, progress=progress, vocabulary=vocabulary
    )
    with connection.cursor() as cursor:
        flush_pending_index_entries(cursor)
        cursor.execute(_drop_unused(), [sorted(vocabulary)])
        cursor.execute(f"ANALYZE {sql.table_name(Product)}, {VOCABULARY}")
    return done


def flush_pending_index_entries(cursor: CursorWrapper) -> None:
    """Move the products' search index entries still in its pending list (every write
    adds there first) into the index proper. A GIN scan reads the whole pending list,
    so after a reindex of every product the planner would rather read the products table
    once per vocabulary word than the index: the word clean-up below needs it flushed."""
    cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [SEARCH_INDEX])


@sql.statement("catalog.search_drop_unused", uses=[sql.index(Product, "search_vector")])
def _drop_unused() -> str:
    p = PRODUCT
    return f"""
DELETE FROM {VOCABULARY} AS v
WHERE v.word <> ALL(%s::text[]) AND NOT EXISTS (
    SELECT 1 FROM {p.ref}
    WHERE {p.c.search_vector} @@ (quote_literal('{NAME}' || v.word)::tsquery
                                  || quote_literal('{CONTEXT}' || v.word)::tsquery)
)
"""


def products_of_seller(seller_id: int) -> QuerySet[Product]:
    return Product.objects.filter(seller_id=seller_id)


def products_of_cooperative(cooperative_id: int) -> QuerySet[Product]:
    return Product.objects.filter(seller__cooperative_id=cooperative_id)


def products_of_category(category_id: int) -> QuerySet[Product]:
    """A category's products and those of the categories below it, whose index holds
    the names of the categories above them."""
    return Product.objects.filter(category_id__in=category_and_below(category_id))


def products_of_village(village_id: int) -> QuerySet[Product]:
    return Product.objects.filter(origin_id=village_id)
