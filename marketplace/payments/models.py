from django.conf import settings
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
    captured_amount = models.DecimalField(_("captured"), default=0, **MONEY)
    # Refunds paid back or owed to the buyer (pending ones included, so two refunds at
    # once never give back more than was captured).
    refunded_amount = models.DecimalField(_("refunded"), default=0, **MONEY)
    captured_at = models.DateTimeField(null=True, blank=True)
    # Where the buyer is sent after the gateway's callback.
    return_url = models.CharField(max_length=2000, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ("created", "id")
        constraints = [
            models.CheckConstraint(condition=models.Q(total__gte=0), name="payments_total_nonneg"),
            models.CheckConstraint(
                condition=models.Q(captured_amount__gte=0, captured_amount__lte=models.F("total")),
                name="payments_captured_within_total",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    refunded_amount__gte=0, refunded_amount__lte=models.F("captured_amount")
                ),
                name="payments_refunded_within_captured",
            ),
            # One payment per gateway reference: a callback or webhook finds exactly one.
            models.UniqueConstraint(
                fields=["gateway", "psp_reference"],
                condition=~models.Q(psp_reference=""),
                name="payments_gateway_reference_uniq",
            ),
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


class RefundStatus(models.TextChoices):
    PENDING = "PENDING", _("In progress")
    DONE = "DONE", _("Refunded")
    # The gateway could not give the money back (a Shaparak payment past its reverse
    # window, a partial amount): the buyer is owed it, paid out to their bank account.
    OWED = "OWED", _("Owed to the buyer")
    FAILED = "FAILED", _("Failed")


class Refund(models.Model):
    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="refunds")
    amount = models.DecimalField(_("amount"), **MONEY)
    status = models.CharField(_("status"), max_length=10, choices=RefundStatus.choices)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    psp_reference = models.CharField(max_length=255, blank=True)
    # What the refund is for, when it must be made at most once (a return's refund, tried
    # again until it settles): a second request with the key answers the first refund.
    idempotency_key = models.CharField(max_length=100, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Given back outside the gateway (staff's bank transfer, `user` recorded it): the
    # gateway still holds the money, so the ledger takes it from the platform's own.
    by_hand = models.BooleanField(_("given back by hand"), default=False)
    # An OWED refund staff transferred to the buyer's bank account: when, the bank's
    # reference for the transfer, and who recorded it (marketplace/payments/owed.py).
    paid_out_at = models.DateTimeField(_("transferred on"), null=True, blank=True)
    paid_out_reference = models.CharField(_("bank reference"), max_length=100, blank=True)
    paid_out_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("refund")
        verbose_name_plural = _("refunds")
        ordering = ("created", "id")
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="payments_refund_pos"),
            # A failed refund gave nothing back: only then may its key be used again.
            models.UniqueConstraint(
                fields=["idempotency_key"],
                condition=~models.Q(idempotency_key="") & ~models.Q(status="FAILED"),
                name="payments_refund_key_once",
            ),
            # Only money owed to the buyer is transferred to them, with the bank's reference.
            models.CheckConstraint(
                condition=models.Q(paid_out_at__isnull=True)
                | (models.Q(status="OWED") & ~models.Q(paid_out_reference="")),
                name="payments_refund_paid_out_owed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.amount} {self.status}"


class RefundLine(models.Model):
    """Units of an order line a refund pays back (a return): the ledger reverses those
    lines' parts exactly instead of the order's parts pro rata."""

    refund = models.ForeignKey(Refund, on_delete=models.CASCADE, related_name="lines")
    order_line = models.ForeignKey("orders.OrderLine", on_delete=models.PROTECT, related_name="+")
    quantity = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quantity__gt=0), name="payments_refund_line_quantity_pos"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} of line {self.order_line_id}"


class WebhookEvent(models.Model):
    """A provider's event handled once: the unique key turns a replay into a no-op."""

    gateway = models.CharField(max_length=32)
    event_id = models.CharField(max_length=255)
    type = models.CharField(max_length=100, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["gateway", "event_id"], name="payments_webhook_once"),
        ]

    def __str__(self) -> str:
        return f"{self.gateway} {self.event_id}"


class SandboxStatus(models.TextChoices):
    NEW = "NEW"
    PAID = "PAID"
    CANCELED = "CANCELED"
    VERIFIED = "VERIFIED"
    REVERSED = "REVERSED"


class SandboxSession(models.Model):
    """The built-in sandbox gateway's own state: what a real gateway keeps on its side
    for one payment request (integrations/payments/sandbox_server.py)."""

    authority = models.CharField(max_length=36, unique=True)
    merchant_id = models.CharField(max_length=36)
    # In the currency's smallest unit, as the protocol sends it.
    amount = models.PositiveBigIntegerField()
    currency = models.CharField(max_length=3, default="IRR")
    callback_url = models.CharField(max_length=2000)
    description = models.CharField(max_length=500, blank=True)
    status = models.CharField(max_length=10, choices=SandboxStatus.choices)
    ref_id = models.PositiveBigIntegerField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    paid_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.authority
