"""Returns in the back office: every return read-only, disputes to decide a filter away
(staff who may decide them are e-mailed of each), and the platform's final decision on
a disputed one (refund in full, in part, or not), made through resolve_dispute; a held
refund is retried, or marked refunded once staff gave it back by hand.
Category return policies are edited here too."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from marketplace.core.admin_dates import admin_date
from marketplace.core.errors import DomainError
from marketplace.returns import refunds, services
from marketplace.returns.models import (
    DisputeResolution,
    ReturnPolicy,
    ReturnReason,
    ReturnRequest,
    ReturnStatus,
)
from marketplace.returns.photos import photo_url


class ReturnPolicyForm(forms.ModelForm):
    reasons = forms.MultipleChoiceField(
        label=_("allowed reasons"),
        choices=ReturnReason.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every reason is allowed."),
    )

    class Meta:
        model = ReturnPolicy
        fields = ("category", "window_hours", "reasons", "refund_on_receipt")


@admin.register(ReturnPolicy)
class ReturnPolicyAdmin(admin.ModelAdmin):
    form = ReturnPolicyForm
    list_display = ("category", "window_hours", "refund_on_receipt")
    autocomplete_fields = ("category",)


class DisputeForm(forms.ModelForm):
    decision = forms.ChoiceField(
        label=_("staff decision"),
        choices=[("", "—"), *DisputeResolution.choices],
        required=False,
        help_text=_("Final: the buyer and the fulfiller are told, and a refund is paid."),
    )
    refund_amount = forms.DecimalField(
        label=_("partial refund"), required=False, max_digits=20, decimal_places=2
    )
    staff_note = forms.CharField(label=_("staff note"), required=False, widget=forms.Textarea)

    class Meta:
        model = ReturnRequest
        fields = ()

    def clean(self):
        data = super().clean()
        if data.get("decision") == DisputeResolution.PART and data.get("refund_amount") is None:
            self.add_error("refund_amount", _("Enter the amount to refund."))
        return data


class DisputeFilter(admin.SimpleListFilter):
    """Disputes first to hand: those waiting for platform staff, oldest first."""

    title = _("dispute")
    parameter_name = "dispute"

    def lookups(self, request, model_admin):
        return [("open", _("To decide")), ("decided", _("Decided"))]

    def queryset(self, request, queryset):
        if self.value() == "open":
            return queryset.filter(status=ReturnStatus.DISPUTED).order_by("disputed_at", "id")
        if self.value() == "decided":
            return queryset.filter(resolved_at__isnull=False)
        return queryset


class RefundFilter(admin.SimpleListFilter):
    """Refunds still owed: those tried by themselves, and those held for staff."""

    title = _("refund owed")
    parameter_name = "refund"

    def lookups(self, request, model_admin):
        return [("held", _("Refund held")), ("owed", _("Refund being tried"))]

    def queryset(self, request, queryset):
        owed = queryset.filter(refund_due__isnull=False, status__in=refunds.OWING)
        if self.value() == "held":
            return owed.filter(refund_held_at__isnull=False).order_by("refund_held_at", "id")
        if self.value() == "owed":
            return owed.filter(refund_held_at__isnull=True)
        return queryset


READ_ONLY = (
    "order",
    "status",
    "items",
    "reason",
    "text",
    "pictures",
    "amount",
    "refunded",
    "refund_due",
    "refund_tries",
    "refund_held",
    "refund_problem",
    "currency",
    "note",
    "decided",
    "dispute_text",
    "resolution",
    "resolution_note",
)


@admin.register(ReturnRequest)
class ReturnRequestAdmin(admin.ModelAdmin):
    form = DisputeForm
    list_display = (
        "id",
        "order",
        "opened",
        "status",
        "reason",
        "amount",
        "refunded",
        "refund_due",
        "disputed",
    )
    list_filter = (DisputeFilter, RefundFilter, "status", "reason", "created")
    actions = ("retry_refund", "refund_by_hand")
    search_fields = ("=order__number", "order__user__email", "order__user__phone")
    list_select_related = ("order",)
    readonly_fields = READ_ONLY

    def get_fields(self, request, obj=None):
        if obj is not None and obj.status == ReturnStatus.DISPUTED:
            return (*READ_ONLY, "decision", "refund_amount", "staff_note")
        return READ_ONLY

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        if obj is not None and obj.status != ReturnStatus.DISPUTED:
            return False
        return super().has_change_permission(request, obj)

    @admin.display(description=_("created"), ordering="created")
    def opened(self, obj: ReturnRequest) -> str:
        return admin_date(obj.created)

    @admin.display(description=_("disputed"), ordering="disputed_at")
    def disputed(self, obj: ReturnRequest) -> str:
        return admin_date(obj.disputed_at)

    @admin.display(description=_("refund held for staff"), ordering="refund_held_at")
    def refund_held(self, obj: ReturnRequest) -> str:
        return admin_date(obj.refund_held_at)

    @admin.display(description=_("decided"))
    def decided(self, obj: ReturnRequest) -> str:
        return admin_date(obj.decided_at)

    @admin.display(description=_("Items"))
    def items(self, obj: ReturnRequest) -> str:
        return format_html_join(
            "",
            "<div>{} × {}</div>",
            ((line.order_line.product_name, line.quantity) for line in obj.lines.all()),
        )

    @admin.display(description=_("photos"))
    def pictures(self, obj: ReturnRequest) -> str:
        return format_html_join(
            " ",
            '<a href="{}"><img src="{}" alt="" style="max-height:120px"></a>',
            ((photo_url(p), photo_url(p)) for p in obj.photos.all()),
        ) or format_html("{}", "—")

    @admin.action(description=_("Retry the refund now"), permissions=("change",))
    def retry_refund(self, request, queryset) -> None:
        """Each chosen return that owes a refund is tried once now, its count of refused
        tries started again; the outcome of each is told."""
        for obj in queryset.order_by("id"):
            try:
                done = refunds.retry_held(actor=request.user, return_request=obj)
            except DomainError as exc:
                self.message_user(
                    request, f"{obj.pk}: {exc.errors[0].message}", level=messages.ERROR
                )
                continue
            if done.status == ReturnStatus.REFUNDED:
                self.message_user(request, _("Return %(id)s is refunded.") % {"id": obj.pk})
            elif done.refund_held_at is not None:
                text = _("Return %(id)s: the refund is held again: %(problem)s.")
                problem = done.get_refund_problem_display()
                self.message_user(
                    request, text % {"id": obj.pk, "problem": problem}, level=messages.WARNING
                )
            else:
                text = _("Return %(id)s: the refund is not made yet; it is tried again.")
                self.message_user(request, text % {"id": obj.pk}, level=messages.WARNING)

    @admin.action(description=_("Mark refunded by hand"), permissions=("change",))
    def refund_by_hand(self, request, queryset) -> None:
        """Each chosen return whose refund is held, given back outside the platform (a
        bank transfer), is marked refunded: no gateway is asked."""
        for obj in queryset.order_by("id"):
            try:
                refunds.refund_by_hand(actor=request.user, return_request=obj)
            except DomainError as exc:
                self.message_user(
                    request, f"{obj.pk}: {exc.errors[0].message}", level=messages.ERROR
                )
                continue
            self.message_user(
                request, _("Return %(id)s is marked refunded by hand.") % {"id": obj.pk}
            )

    def save_model(self, request, obj, form, change) -> None:
        decision = form.cleaned_data.get("decision")
        if not decision:
            return
        try:
            services.resolve_dispute(
                actor=request.user,
                return_request=obj,
                resolution=decision,
                amount=form.cleaned_data.get("refund_amount"),
                note=form.cleaned_data.get("staff_note"),
            )
        except DomainError as exc:
            self.message_user(request, str(exc.errors[0].message), level=messages.ERROR)

    def save_related(self, request, form, formsets, change) -> None:
        return None

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("lines__order_line", "photos")
