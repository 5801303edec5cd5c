"""The operator's view of money: payout batches (bank file download, marking a batch
sent, a payout failed), payout profiles, category commissions and the read-only ledger.
Every action goes through the payout services, which check the operator's permission."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.db.models import Count, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from marketplace.core.errors import DomainError
from marketplace.core.validators import clean_iban
from marketplace.ledger import payouts
from marketplace.ledger.models import (
    CategoryCommission,
    Entry,
    Payout,
    PayoutBatch,
    PayoutProfile,
    Posting,
)


class PayoutInline(admin.TabularInline):
    model = Payout
    fields = ("seller", "cooperative", "amount", "method", "status", "reference", "failure")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(PayoutBatch)
class PayoutBatchAdmin(admin.ModelAdmin):
    list_display = (
        "run_on",
        "currency",
        "payout_count",
        "total",
        "skipped_count",
        "bank_file_link",
    )
    list_filter = ("currency",)
    readonly_fields = ("run_on", "currency", "skipped", "created", "bank_file_link")
    exclude = ("bank_file",)
    inlines = [PayoutInline]
    actions = ["mark_sent"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(payout_count=Count("payouts"), total=Sum("payouts__amount"))
        )

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("payouts"), ordering="payout_count")
    def payout_count(self, obj: PayoutBatch) -> int:
        return obj.payout_count

    @admin.display(description=_("total"))
    def total(self, obj: PayoutBatch):
        return obj.total

    @admin.display(description=_("skipped"))
    def skipped_count(self, obj: PayoutBatch) -> int:
        return len(obj.skipped)

    @admin.display(description=_("Paya transfer file"))
    def bank_file_link(self, obj: PayoutBatch) -> str:
        if not obj.bank_file:
            return "-"
        url = reverse("admin:ledger_payoutbatch_bank_file", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Download"))

    def get_urls(self):
        view = self.admin_site.admin_view(self.bank_file_view)
        extra = [path("<int:pk>/bank-file/", view, name="ledger_payoutbatch_bank_file")]
        return extra + super().get_urls()

    def bank_file_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        if not self.has_view_permission(request):
            return HttpResponse(status=403)
        batch = get_object_or_404(PayoutBatch, pk=pk)
        response = HttpResponse(batch.bank_file, content_type="text/csv; charset=utf-8")
        filename = f"paya-{batch.run_on}-{batch.pk}.csv"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response

    @admin.action(description=_("Mark the bank file as uploaded (payouts sent)"))
    def mark_sent(self, request: HttpRequest, queryset) -> None:
        try:
            sent = sum(payouts.mark_batch_sent(actor=request.user, batch=b) for b in queryset)
        except DomainError as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return
        self.message_user(request, _("%(count)d payouts marked sent.") % {"count": sent})


@admin.register(Payout)
class PayoutAdmin(admin.ModelAdmin):
    list_display = ("created", "seller", "cooperative", "amount", "currency", "method", "status")
    list_filter = ("status", "method", "currency")
    list_select_related = ("seller", "cooperative")
    search_fields = ("reference", "seller__name", "cooperative__name", "iban")
    readonly_fields = [f.name for f in Payout._meta.fields]
    actions = ["mark_failed"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description=_("Mark as failed (returned by the bank): money back to available"))
    def mark_failed(self, request: HttpRequest, queryset) -> None:
        try:
            failed = sum(
                payouts.mark_payout_failed(
                    actor=request.user, payout=p, reason=str(_("Returned by the bank"))
                )
                for p in queryset
            )
        except DomainError as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return
        self.message_user(request, _("%(count)d payouts marked failed.") % {"count": failed})


class PayoutProfileForm(forms.ModelForm):
    class Meta:
        model = PayoutProfile
        fields = ("seller", "cooperative", "iban", "holder", "stripe_account")

    def clean(self):
        data = super().clean()
        iban = data.get("iban") or ""
        if not iban:
            return data
        if data.get("seller") is not None:
            # The batch pays a seller to the Sheba the seller keeps up to date itself.
            self.add_error("iban", _("A seller's Sheba is kept on the seller, not here."))
            return data
        try:
            cleaned = clean_iban(iban, field="iban")
        except DomainError as exc:
            self.add_error("iban", str(exc.errors[0].message))
            return data
        if not cleaned.startswith("IR"):
            self.add_error("iban", _("Enter a valid Sheba (IBAN) number."))
            return data
        data["iban"] = cleaned
        return data


@admin.register(PayoutProfile)
class PayoutProfileAdmin(admin.ModelAdmin):
    form = PayoutProfileForm
    list_display = ("seller", "cooperative", "iban", "holder", "stripe_account")
    raw_id_fields = ("seller", "cooperative")
    readonly_fields = ("updated_by",)

    def save_model(self, request, obj, form, change) -> None:
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(CategoryCommission)
class CategoryCommissionAdmin(admin.ModelAdmin):
    list_display = ("category", "rate")
    raw_id_fields = ("category",)


class EntryInline(admin.TabularInline):
    model = Entry
    fields = ("account", "amount", "currency")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Posting)
class PostingAdmin(admin.ModelAdmin):
    """Read-only: the ledger is corrected by reversing postings, never edited."""

    list_display = ("created", "cause_kind", "cause_id", "order", "amount", "currency")
    list_filter = ("cause_kind", "currency")
    search_fields = ("cause_id",)
    inlines = [EntryInline]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
