from django.db import models
from django.utils.translation import gettext_lazy as _

MONEY = {"max_digits": 20, "decimal_places": 2}


class PaymentStatus(models.TextChoices):
    NOT_CHARGED = "NOT_CHARGED", _("Not charged")
    PENDING = "PENDING", _("Pending")
    CHARGED = "CHARGED", _("Charged")
    REFUNDED = "REFUNDED", _("Refunded")
    PARTIALLY_REFUNDED = "PARTIALLY_REFUNDED", _("Partially refunded")
    FAILED = "FAILED", _("Failed")


class Payment(models.Model):
    order = models.ForeignKey("orders.Order", on_delete=models.PROTECT, related_name="payments")
    gateway = models.CharField(_("gateway"), max_length=32)
    status = models.CharField(_("status"), max_length=20, choices=PaymentStatus.choices)
    total = models.DecimalField(_("amount"), **MONEY)
    currency = models.CharField(max_length=3)
    psp_reference = models.CharField(
        _("gateway reference"), max_length=255, blank=True, db_index=True
    )
    # What the client must do next: {"kind": "REDIRECT", "url": …} or {"kind": "CLIENT_SECRET", …}.
    action = models.JSONField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ("created", "id")
        constraints = [
            models.CheckConstraint(condition=models.Q(total__gte=0), name="payments_total_nonneg"),
        ]

    def __str__(self) -> str:
        return f"{self.gateway} {self.total} {self.currency}"


class Transaction(models.Model):
    """Every exchange with a gateway, kept verbatim for audits and reconciliation."""

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="transactions")
    kind = models.CharField(max_length=20)
    amount = models.DecimalField(**MONEY)
    is_success = models.BooleanField(default=False)
    raw = models.JSONField(default=dict, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("created", "id")

    def __str__(self) -> str:
        return f"{self.kind} {self.amount}"
