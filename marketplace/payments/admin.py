"""Payments in the back office, read-only: the gateways' callbacks and the order services
change them."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from marketplace.core.admin_dates import admin_date
from marketplace.orders.admin import ReadOnlyAdmin, ReadOnlyInline
from marketplace.payments.models import Payment, Transaction


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
