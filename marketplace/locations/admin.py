from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from marketplace.core.errors import DomainError
from marketplace.core.normalize import normalize_text
from marketplace.locations import services
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
    list_display = ("name", "name_en", "county", "province", "is_confirmed", "proposed_by")
    list_filter = ("is_confirmed", "county__province")
    list_select_related = ("county__province", "proposed_by")
    search_fields = ("name", "name_en", "county__name", "county__name_en")
    autocomplete_fields = ("county",)
    readonly_fields = ("search_text", "proposed_by")
    actions = ("confirm", "merge")

    @admin.action(description=_("Confirm the selected proposed villages"))
    def confirm(self, request: HttpRequest, queryset: QuerySet) -> None:
        count = services.confirm_villages(actor=request.user, villages=list(queryset))
        self.message_user(request, _("%(count)d villages confirmed.") % {"count": count})

    @admin.action(description=_("Merge the selected proposed villages into the confirmed one"))
    def merge(self, request: HttpRequest, queryset: QuerySet) -> None:
        villages = list(queryset)
        targets = [village for village in villages if village.is_confirmed]
        if len(targets) != 1 or len(villages) < 2:
            self.message_user(
                request,
                _("Select one confirmed village and the proposed ones that are the same place."),
                messages.ERROR,
            )
            return
        try:
            for village in villages:
                if village.pk != targets[0].pk:
                    services.merge_village(actor=request.user, village=village, into=targets[0])
        except DomainError as error:
            self.message_user(request, str(error), messages.ERROR)
            return
        self.message_user(request, _("Merged into %(name)s.") % {"name": targets[0].name})

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
