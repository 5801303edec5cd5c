"""The search index of products: a weighted tsvector and a trigram text, both built from
normalised text (core.normalize), so queries normalised the same way match."""

from __future__ import annotations

from django.contrib.postgres.search import SearchVector
from django.db.models import Value

from marketplace.catalog.models import Product
from marketplace.core.normalize import normalize_text

CONFIG = "simple"


def document_parts(product: Product) -> dict[str, str]:
    seller = product.seller
    village = product.origin
    category = product.category
    return {
        "A": normalize_text(f"{product.name} {product.name_en}"),
        "B": normalize_text(
            " ".join(
                filter(
                    None,
                    [
                        seller.name,
                        category.name,
                        category.name_en,
                        village.name if village else "",
                        village.name_en if village else "",
                        seller.cooperative.name if seller.cooperative_id else "",
                    ],
                )
            )
        ),
        "C": normalize_text(f"{product.description} {product.description_en}"),
    }


def reindex_products(product_ids: list[int]) -> None:
    products = Product.objects.filter(pk__in=product_ids).select_related(
        "seller__cooperative", "category", "origin"
    )
    for product in products:
        parts = document_parts(product)
        vector = (
            SearchVector(Value(parts["A"]), weight="A", config=CONFIG)
            + SearchVector(Value(parts["B"]), weight="B", config=CONFIG)
            + SearchVector(Value(parts["C"]), weight="C", config=CONFIG)
        )
        Product.objects.filter(pk=product.pk).update(
            search_vector=vector, search_text=f"{parts['A']} {parts['B']}"
        )


def search_products(queryset, query: str):
    """Products matching `query` (normalised like the index), annotated with `rank`."""
    from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramWordSimilarity
    from django.db.models import F, FloatField, Q
    from django.db.models.functions import Coalesce

    text = normalize_text(query)
    if not text:
        return queryset.annotate(rank=Value(0.0, output_field=FloatField()))
    tsquery = SearchQuery(text, search_type="plain", config=CONFIG)
    similarity = TrigramWordSimilarity(Value(text), "search_text")
    return queryset.annotate(
        rank=Coalesce(SearchRank(F("search_vector"), tsquery), 0.0) + similarity,
    ).filter(Q(search_vector=tsquery) | Q(search_text__trigram_word_similar=text))
