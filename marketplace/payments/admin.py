"""Payments in the back office, read-only: the gateways' callbacks and the order services
change them. Refunds owed to buyers are the one thing staff record here: the transfer
to the buyer's bank account (marketplace/payments/owed.py)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from marketplace.core.admin_dates import admin_date
from marketplace.core.errors import DomainError
from marketplace.orders.admin import ReadOnlyAdmin, ReadOnlyInline
from marketplace.orders.permissions import CHANGE_PERM
from marketplace.payments import owed
from marketplace.payments.models import Payment, Refund, RefundStatus, Transaction
from marketplace.sellers.permissions import has_platform_perm


class TransactionInline(ReadOnlyInline):
    model = Transaction
    fields = ("kind", "amount", "created")
    show_change_link = False


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ("id", "order", "made", "gateway", "status", "total", "currency")
    list_filter = ("status", "gateway", "created")
    search_fields = ("=order__number", "psp_reference", "order__user__email")
    list_select_related = ("order",)
    inlines = (TransactionInline,)

    @admin.display(description=_("created"), ordering="created")
    def made(self, payment: Payment) -> str:
        return admin_date(payment.created)


class OwedFilter(admin.SimpleListFilter):
    title = _("owed to the buyer")
    parameter_name = "owed"

    def lookups(self, request, model_admin):
        return (("waiting", _("owed, not transferred")), ("transferred", _("transferred")))

    def queryset(self, request, queryset):
        if self.value() == "waiting":
            return queryset.filter(status=RefundStatus.OWED, paid_out_at__isnull=True)
        if self.value() == "transferred":
            return queryset.filter(paid_out_at__isnull=False)
        return queryset


@admin.register(Refund)
class RefundAdmin(ReadOnlyAdmin):
    list_display = ("id", "order", "amount", "status", "paid_out_reference", "made")
    list_filter = (OwedFilter, "status", "created")
    search_fields = ("=payment__order__number", "paid_out_reference")
    list_select_related = ("payment__order",)
    actions = ("mark_paid_out",)

    @admin.display(description=_("Order"))
    def order(self, refund: Refund):
        return refund.payment.order

    @admin.display(description=_("created"), ordering="created")
    def made(self, refund: Refund) -> str:
        return admin_date(refund.created)

    def has_pay_out_permission(self, request) -> bool:
        return has_platform_perm(request.user, CHANGE_PERM)

    @admin.action(
        description=_("Mark transferred to the buyer's bank account"), permissions=("pay_out",)
    )
    def mark_paid_out(self, request, queryset):
        """Asks for the bank's reference of one owed refund's transfer, then records it;
        one refund at a time, as each buyer's transfer has its own reference."""
        chosen = list(queryset.select_related("payment__order")[:2])
        if len(chosen) != 1:
            self.message_user(
                request,
                _("Choose one refund: each transfer has its own bank reference."),
                level=messages.ERROR,
            )
            return None
        refund = chosen[0]
        if "apply" not in request.POST and refund.paid_out_at is None:
            context = {
                **self.admin_site.each_context(request),
                "title": _("Mark transferred to the buyer's bank account"),
                "refund": refund,
                "reference_max": owed.REFERENCE_MAX,
            }
            return render(request, "admin/bazarcheh/refund_paid_out.html", context)
        reference = request.POST.get("reference", "").strip()
        try:
            done = owed.pay_out_owed_refund(
                actor=request.user, refund_id=refund.pk, reference=reference
            )
        except DomainError as exc:
            self.message_user(
                request, f"{refund.pk}: {exc.errors[0].message}", level=messages.ERROR
            )
            return None
        if (done.paid_out_by_id, done.paid_out_reference) != (request.user.pk, reference):
            # Recorded before (by someone else, or with another reference): said, not hidden.
            text = _("Refund %(id)s was already recorded as transferred, reference %(ref)s.")
            self.message_user(
                request,
                text % {"id": refund.pk, "ref": done.paid_out_reference},
                level=messages.WARNING,
            )
            return None
        self.message_user(
            request, _("Refund %(id)s is recorded as transferred.") % {"id": refund.pk}
        )
        return None
