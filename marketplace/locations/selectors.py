from functools import lru_cache

from django.contrib.postgres.search import TrigramWordSimilarity
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from marketplace.core.normalize import normalize_text
from marketplace.locations.models import County, Province, Village

# Shorter queries are mostly prefixes still being typed; fuzzy matches there are noise.
FUZZY_MIN_LENGTH = 3


def matching_county_ids(text: str) -> list[int]:
    """Counties whose Persian or English name has a word starting with the normalised `text`
    (a ZWNJ typed as a space or left out still matches: مه ولات, مهولات).

    Counties are a few hundred rows, so they are matched here with the one normaliser rather
    than with an SQL imitation of it.
    """
    return [
        pk
        for pk, name, name_en in County.objects.values_list("id", "name", "name_en")
        if _name_matches(name, text) or _name_matches(name_en, text)
    ]


@lru_cache(maxsize=4096)
def _normalized(name: str) -> str:
    # County names rarely change; this keeps a search from re-normalising every one of them.
    return normalize_text(name)


def _name_matches(name: str, text: str) -> bool:
    name = _normalized(name)
    return (
        name.startswith(text)
        or f" {text}" in name
        or name.replace(" ", "").startswith(text.replace(" ", ""))
    )


def search_villages(query: str | None) -> QuerySet[Village]:
    """Villages matching `query` by name (Persian or English, any keyboard), by a fuzzy
    match, or by their county's name; best matches first.

    Ranking: the name starts with the query, then a later word does, then the query is
    anywhere in a name, then the county matched, then fuzzy matches; ties by similarity, name.
    """
    queryset = Village.objects.filter(is_confirmed=True).select_related("county__province")
    text = normalize_text(query or "")
    if not text:
        return queryset.order_by("name", "id")
    county_ids = matching_county_ids(text)
    # search_text and the query are both lower-cased by normalize_text, so `contains` matches
    # what `icontains` would, and (unlike icontains' UPPER()) can use the trigram index.
    found = Q(search_text__contains=text)
    if len(text) >= FUZZY_MIN_LENGTH:
        # pg_trgm's word similarity (the %> operator, so the trigram index is used) at its
        # threshold, 0.6 by default: lets "zafaranieh" find "zafaraniyeh".
        found |= Q(search_text__trigram_word_similar=text)
    ranks = [
        When(search_text__startswith=text, then=Value(0)),
        When(search_text__contains=f" {text}", then=Value(1)),
        When(search_text__contains=text, then=Value(2)),
    ]
    if county_ids:
        found |= Q(county_id__in=county_ids)
        ranks.append(When(county_id__in=county_ids, then=Value(3)))
    return (
        queryset.annotate(similarity=TrigramWordSimilarity(text, "search_text"))
        .filter(found)
        .annotate(rank=Case(*ranks, default=Value(4), output_field=IntegerField()))
        .order_by("rank", "-similarity", "name", "id")
    )


def provinces(country: str) -> list[Province]:
    return list(Province.objects.filter(country=country.upper()[:2]).order_by("name"))


def county_named(name: str | None) -> County | None:
    """The one county whose Persian or English name is `name` (any keyboard); None when
    no county or several have it."""
    text = normalize_text(name or "")
    if not text:
        return None
    found = [
        pk
        for pk, persian, english in County.objects.values_list("id", "name", "name_en")
        if text in (_normalized(persian), _normalized(english))
    ]
    return County.objects.get(pk=found[0]) if len(found) == 1 else None


def proposed_villages(actor) -> QuerySet[Village]:
    """Villages awaiting review that `actor` may confirm: every one for the operator, those
    their members proposed for a cooperative's staff, none for anybody else."""
    queryset = Village.objects.filter(is_confirmed=False).select_related("county__province")
    if not actor.is_authenticated:
        return queryset.none()
    if actor.is_staff:
        return queryset.order_by("name", "id")
    mine = queryset.filter(proposed_by__seller__cooperative__staff_links__user=actor)
    return mine.distinct().order_by("name", "id")
