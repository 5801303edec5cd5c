from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from marketplace.core.normalize import normalize_text
from marketplace.locations.models import County, Province, Village


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ("name", "name_en", "code", "country")
    list_filter = ("country",)
    search_fields = ("name", "name_en", "code")
    ordering = ("code",)


@admin.register(County)
class CountyAdmin(admin.ModelAdmin):
    list_display = ("name", "name_en", "province")
    list_filter = ("province",)
    list_select_related = ("province",)
    search_fields = ("name", "name_en", "province__name", "province__name_en")
    autocomplete_fields = ("province",)


@admin.register(Village)
class VillageAdmin(admin.ModelAdmin):
    list_display = ("name", "name_en", "county", "province")
    list_filter = ("county__province",)
    list_select_related = ("county__province",)
    search_fields = ("name", "name_en", "county__name", "county__name_en")
    autocomplete_fields = ("county",)
    readonly_fields = ("search_text",)

    @admin.display(description=Province._meta.verbose_name, ordering="county__province__name")
    def province(self, village: Village) -> Province:
        return village.county.province

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet, search_term: str
    ) -> tuple[QuerySet, bool]:
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        # Names typed on an Arabic keyboard or without the ZWNJ still find the village.
        text = normalize_text(search_term)
        if text:
            results |= queryset.filter(search_text__contains=text)
        return results, may_have_duplicates
