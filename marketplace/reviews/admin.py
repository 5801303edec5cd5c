from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from marketplace.core.errors import DomainError
from marketplace.reviews import services
from marketplace.reviews.models import Review


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    """Reviews are written by buyers and answered by sellers; staff only hide or show
    them, through the service, so the product's and seller's ratings follow."""

    list_display = ("product", "seller", "rating", "short_text", "is_hidden", "created")
    list_filter = ("is_hidden", "rating")
    search_fields = ("text", "product__name", "seller__name")
    list_select_related = ("product", "seller")
    readonly_fields = (
        "line",
        "product",
        "seller",
        "user",
        "rating",
        "text",
        "reply",
        "replied_at",
        "is_hidden",
        "created",
    )
    actions = ("hide", "show")

    @admin.display(description=_("text"))
    def short_text(self, review: Review) -> str:
        return review.text[:80]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def _set_hidden(self, request, queryset, hidden: bool) -> None:
        changed = 0
        for pk in queryset.order_by("pk").values_list("pk", flat=True):
            try:
                services.set_hidden(actor=request.user, review_id=pk, hidden=hidden)
            except DomainError as exc:
                self.message_user(request, str(exc.errors[0].message), messages.ERROR)
                return
            changed += 1
        message = ngettext("%(count)d review changed.", "%(count)d reviews changed.", changed)
        self.message_user(request, message % {"count": changed})

    @admin.action(description=_("Hide the selected reviews"), permissions=["change"])
    def hide(self, request, queryset) -> None:
        self._set_hidden(request, queryset, True)

    @admin.action(description=_("Show the selected reviews again"), permissions=["change"])
    def show(self, request, queryset) -> None:
        self._set_hidden(request, queryset, False)
