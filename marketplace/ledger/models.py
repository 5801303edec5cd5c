"""The ledger's tables. The invariant, lock order and safety net are in ledger/postings.py;
the database half of the safety net (the balance and append-only triggers) is in
migration 0002."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

MONEY = {"max_digits": 20, "decimal_places": 2}


class AccountKind(models.TextChoices):
    # What others hold for the platform (debit balances).
    CLEARING = "CLEARING", _("Gateway clearing")
    CASH_HELD = "CASH_HELD", _("Cash held by the fulfiller")
    RECEIVABLE = "RECEIVABLE", _("Owed to the platform")
    # What the platform owes (credit balances).
    ESCROW = "ESCROW", _("Buyer escrow")
    SELLER = "SELLER", _("Seller")
    COOPERATIVE = "COOPERATIVE", _("Cooperative")
    COMMISSION = "COMMISSION", _("Platform commission")
    REFUNDS_OWED = "REFUNDS_OWED", _("Refunds owed to buyers")
    IN_TRANSIT = "IN_TRANSIT", _("Payouts in transit")
    PAID_OUT = "PAID_OUT", _("Paid out")
    REFUNDED = "REFUNDED", _("Refunded to buyers")


class Account(models.Model):
    """One account per kind, owner and currency. Its balance is the sum of its entries:
    positive is a debit, negative a credit."""

    kind = models.CharField(max_length=16, choices=AccountKind.choices)
    currency = models.CharField(max_length=3)
    seller = models.ForeignKey(
        "sellers.Seller", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    cooperative = models.ForeignKey(
        "sellers.Cooperative", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    gateway = models.CharField(max_length=32, blank=True)

    class Meta:
        verbose_name = _("ledger account")
        verbose_name_plural = _("ledger accounts")
        ordering = ("id",)
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "currency", "seller", "cooperative", "gateway"],
                name="ledger_account_unique",
                nulls_distinct=False,
            ),
            models.CheckConstraint(
                condition=Q(seller__isnull=True) | Q(cooperative__isnull=True),
                name="ledger_account_one_owner",
            ),
        ]

    def __str__(self) -> str:
        owner = self.seller_id or self.cooperative_id or self.gateway or "-"
        return f"{self.kind}:{owner}:{self.currency}"


class CauseKind(models.TextChoices):
    CAPTURE = "CAPTURE", _("Payment captured")
    CASH = "CASH", _("Cash collected")
    COMPLETION = "COMPLETION", _("Order completed")
    REFUND = "REFUND", _("Refund")
    REFUND_PAID = "REFUND_PAID", _("Owed refund paid")
    PAYOUT = "PAYOUT", _("Payout")
    PAYOUT_FAILED = "PAYOUT_FAILED", _("Payout failed")
    PAYOUT_SENT = "PAYOUT_SENT", _("Payout sent")
    NETTING = "NETTING", _("Netting")
    REVERSAL = "REVERSAL", _("Reversal")


class Posting(models.Model):
    """A set of entries that sums to zero per currency, made once per cause."""

    cause_kind = models.CharField(max_length=16, choices=CauseKind.choices)
    cause_id = models.CharField(max_length=64)
    # The order whose money moves (escrow is per order); None for payouts and netting.
    order = models.ForeignKey(
        "orders.Order", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    amount = models.DecimalField(_("amount"), **MONEY)
    currency = models.CharField(max_length=3)
    memo = models.CharField(max_length=200, blank=True)
    created = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("posting")
        verbose_name_plural = _("postings")
        ordering = ("id",)
        constraints = [
            models.UniqueConstraint(fields=["cause_kind", "cause_id"], name="ledger_posting_cause")
        ]
        indexes = [models.Index(fields=["order", "cause_kind"], name="ledger_posting_order_idx")]

    def __str__(self) -> str:
        return f"{self.cause_kind}:{self.cause_id}"


class Entry(models.Model):
    posting = models.ForeignKey(Posting, on_delete=models.PROTECT, related_name="entries")
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="entries")
    amount = models.DecimalField(**MONEY)
    currency = models.CharField(max_length=3)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("entry")
        verbose_name_plural = _("entries")
        ordering = ("id",)
        indexes = [
            models.Index(fields=["account", "created"], name="ledger_entry_account_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.account_id} {self.amount}"


class CategoryCommission(models.Model):
    """The platform's commission on lines of one category, instead of the default setting."""

    category = models.OneToOneField(
        "catalog.Category", on_delete=models.CASCADE, related_name="+", verbose_name=_("category")
    )
    rate = models.DecimalField(_("commission rate"), max_digits=5, decimal_places=4)

    class Meta:
        verbose_name = _("category commission")
        verbose_name_plural = _("category commissions")
        constraints = [
            models.CheckConstraint(
                condition=Q(rate__gte=0) & Q(rate__lt=1), name="ledger_commission_rate_range"
            )
        ]

    def __str__(self) -> str:
        return f"{self.category_id}: {self.rate}"


class PayoutStatus(models.TextChoices):
    PENDING = "PENDING", _("Pending")
    SENT = "SENT", _("Sent")
    FAILED = "FAILED", _("Failed")


class PayoutMethod(models.TextChoices):
    BANK_TRANSFER = "BANK_TRANSFER", _("Bank transfer (Paya)")
    STRIPE_TRANSFER = "STRIPE_TRANSFER", _("Stripe transfer")


class PayoutBatch(models.Model):
    """One weekly run for one currency; a second run for the same day finds this one."""

    run_on = models.DateField(_("run on"))
    currency = models.CharField(max_length=3)
    bank_file = models.TextField(_("Paya transfer file"), blank=True)
    # [{"seller": id} or {"cooperative": id}, "reason": text]: who was not paid and why.
    skipped = models.JSONField(default=list, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("payout batch")
        verbose_name_plural = _("payout batches")
        ordering = ("-run_on", "-id")
        constraints = [
            models.UniqueConstraint(fields=["run_on", "currency"], name="ledger_batch_day")
        ]

    def __str__(self) -> str:
        return f"{self.run_on} {self.currency}"


class Payout(models.Model):
    batch = models.ForeignKey(PayoutBatch, on_delete=models.PROTECT, related_name="payouts")
    seller = models.ForeignKey(
        "sellers.Seller", null=True, blank=True, on_delete=models.PROTECT, related_name="payouts"
    )
    cooperative = models.ForeignKey(
        "sellers.Cooperative",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="payouts",
    )
    amount = models.DecimalField(_("amount"), **MONEY)
    currency = models.CharField(max_length=3)
    method = models.CharField(_("method"), max_length=16, choices=PayoutMethod.choices)
    status = models.CharField(
        _("status"), max_length=8, choices=PayoutStatus.choices, default=PayoutStatus.PENDING
    )
    iban = models.CharField(_("Sheba"), max_length=34, blank=True)
    holder = models.CharField(_("account holder"), max_length=200, blank=True)
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    failure = models.CharField(_("failure"), max_length=300, blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("payout")
        verbose_name_plural = _("payouts")
        ordering = ("-created", "-id")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="ledger_payout_positive"),
            models.CheckConstraint(
                condition=Q(cooperative__isnull=True, seller__isnull=False)
                | Q(cooperative__isnull=False, seller__isnull=True),
                name="ledger_payout_one_payee",
            ),
            models.UniqueConstraint(fields=["batch", "seller"], name="ledger_payout_seller"),
            models.UniqueConstraint(
                fields=["batch", "cooperative"], name="ledger_payout_cooperative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.amount} {self.currency} ({self.status})"


class PayoutProfile(models.Model):
    """Where a cooperative is paid, and the Stripe Connect account of an intl payee. A
    seller's Sheba stays on the seller (sellers.Seller.payout_iban)."""

    seller = models.OneToOneField(
        "sellers.Seller", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    cooperative = models.OneToOneField(
        "sellers.Cooperative", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    iban = models.CharField(_("payout Sheba (IBAN)"), max_length=34, blank=True)
    holder = models.CharField(_("account holder"), max_length=200, blank=True)
    stripe_account = models.CharField(_("Stripe account"), max_length=64, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("payout profile")
        verbose_name_plural = _("payout profiles")
        constraints = [
            models.CheckConstraint(
                condition=Q(cooperative__isnull=True, seller__isnull=False)
                | Q(cooperative__isnull=False, seller__isnull=True),
                name="ledger_profile_one_owner",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.seller_id or self.cooperative_id}"
