from django.db.models import QuerySet

from marketplace.core.normalize import normalize_text
from marketplace.locations.models import Province, Village


def search_villages(query: str | None) -> QuerySet[Village]:
    queryset = Village.objects.select_related("county__province").order_by("name", "id")
    text = normalize_text(query or "")
    if text:
        queryset = queryset.filter(search_text__icontains=text)
    return queryset


def provinces(country: str) -> list[Province]:
    return list(Province.objects.filter(country=country.upper()[:2]).order_by("name"))
