"""Returns: a buyer asks to send back units of delivered order lines; the fulfiller
accepts (refund) or rejects; a rejected return may be disputed and platform staff decide."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

MONEY = {"max_digits": 20, "decimal_places": 2}


class ReturnReason(models.TextChoices):
    DAMAGED = "DAMAGED", _("Arrived damaged")
    WRONG_ITEM = "WRONG_ITEM", _("Not what I ordered")
    POOR_QUALITY = "POOR_QUALITY", _("Poor quality")
    MISSING_PARTS = "MISSING_PARTS", _("Parts are missing")
    NOT_WANTED = "NOT_WANTED", _("No longer wanted")


class ReturnStatus(models.TextChoices):
    REQUESTED = "REQUESTED", _("Waiting for a decision")
    ACCEPTED = "ACCEPTED", _("Accepted")
    REJECTED = "REJECTED", _("Rejected")
    RECEIVED = "RECEIVED", _("Goods received")
    REFUNDED = "REFUNDED", _("Refunded")
    DISPUTED = "DISPUTED", _("Disputed")
    CLOSED = "CLOSED", _("Closed")


class DisputeResolution(models.TextChoices):
    FULL = "FULL", _("Refund in full")
    PART = "PART", _("Refund in part")
    NONE = "NONE", _("No refund")


class RefundProblem(models.TextChoices):
    """Why an owed refund stopped being tried by itself and waits for platform staff."""

    NOTHING_LEFT = "NOTHING_LEFT", _("Less is left on the payment than the return owes")
    REFUSED = "REFUSED", _("The gateway kept refusing it")


class ReturnPolicy(models.Model):
    """A category's own return rules (its subcategories follow it unless they have
    their own); other categories use RETURN_WINDOW_DAYS and every reason."""

    category = models.OneToOneField(
        "catalog.Category",
        verbose_name=_("category"),
        on_delete=models.CASCADE,
        related_name="return_policy",
    )
    window_hours = models.PositiveIntegerField(_("return window (hours)"))
    # Empty: every reason is allowed.
    reasons = models.JSONField(_("allowed reasons"), default=list, blank=True)
    refund_on_receipt = models.BooleanField(
        _("refund when the goods come back"),
        default=False,
        help_text=_("Otherwise the refund is paid when the return is accepted."),
    )

    class Meta:
        verbose_name = _("return policy")
        verbose_name_plural = _("return policies")

    def __str__(self) -> str:
        return str(self.category)


class ReturnRequest(models.Model):
    order = models.ForeignKey(
        "orders.Order", verbose_name=_("order"), on_delete=models.PROTECT, related_name="returns"
    )
    shipment = models.ForeignKey(
        "orders.Shipment", on_delete=models.PROTECT, related_name="returns"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=ReturnStatus.choices, default=ReturnStatus.REQUESTED
    )
    reason = models.CharField(_("reason"), max_length=20, choices=ReturnReason.choices)
    text = models.TextField(_("buyer's words"), blank=True)
    note = models.TextField(_("fulfiller's note"), blank=True)
    refund_on_receipt = models.BooleanField(default=False)
    amount = models.DecimalField(_("value of the units"), **MONEY)
    refunded = models.DecimalField(_("refunded"), null=True, blank=True, **MONEY)
    # Set with the decision that owes the buyer a refund, in the same transaction, and
    # cleared when the return is REFUNDED: a refund that could not be made at once (the
    # cash is not in yet, the gateway refused or was down) stays owed and is tried again
    # (refunds.retry_owed) until it settles.
    refund_due = models.DecimalField(_("refund owed"), null=True, blank=True, **MONEY)
    refund_tried_at = models.DateTimeField(_("refund last tried"), null=True, blank=True)
    # Tries that ended in a refusal since the last time staff asked for one. At
    # RETURN_REFUND_MAX_TRIES, or at once when the payment has too little left, the refund
    # is held: no longer tried by itself, until staff retry it (refunds.retry_held).
    refund_tries = models.PositiveSmallIntegerField(_("refund tries refused"), default=0)
    refund_held_at = models.DateTimeField(_("refund held for staff"), null=True, blank=True)
    refund_problem = models.CharField(
        _("refund problem"), max_length=16, choices=RefundProblem.choices, blank=True
    )
    currency = models.CharField(max_length=3)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    received_at = models.DateTimeField(_("goods received"), null=True, blank=True)
    dispute_text = models.TextField(_("dispute"), blank=True)
    disputed_at = models.DateTimeField(_("disputed"), null=True, blank=True)
    resolution = models.CharField(
        _("staff decision"), max_length=8, choices=DisputeResolution.choices, blank=True
    )
    resolution_note = models.TextField(_("staff note"), blank=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("return")
        verbose_name_plural = _("returns")
        ordering = ("-created", "-id")
        indexes = [
            models.Index(fields=["shipment", "status"], name="returns_shipment_status_idx"),
            models.Index(
                fields=["refund_tried_at"],
                condition=Q(refund_due__isnull=False, refund_held_at__isnull=True),
                name="returns_refund_owed_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gte=0) & (Q(refunded__isnull=True) | Q(refunded__gte=0)),
                name="returns_amounts_nonneg",
            ),
            models.CheckConstraint(
                condition=Q(refund_due__isnull=True) | Q(refund_due__gt=0),
                name="returns_refund_due_pos",
            ),
            models.CheckConstraint(
                condition=Q(refund_held_at__isnull=True, refund_problem="")
                | (
                    Q(refund_held_at__isnull=False, refund_due__isnull=False)
                    & ~Q(refund_problem="")
                ),
                name="returns_refund_held_why",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order_id}/{self.pk}"

    @property
    def refund_pending(self) -> bool:
        """A refund is owed to the buyer and not made yet."""
        return self.refund_due is not None and self.status != ReturnStatus.REFUNDED


class ReturnLine(models.Model):
    request = models.ForeignKey(ReturnRequest, on_delete=models.CASCADE, related_name="lines")
    order_line = models.ForeignKey(
        "orders.OrderLine", on_delete=models.PROTECT, related_name="returned"
    )
    quantity = models.PositiveIntegerField(_("quantity"))
    # Set when the goods come back: the units put back on sale.
    restocked = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ("id",)
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="returns_line_quantity_pos"),
            models.UniqueConstraint(fields=["request", "order_line"], name="returns_line_once"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} of line {self.order_line_id}"


class ReturnPhoto(models.Model):
    request = models.ForeignKey(ReturnRequest, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(upload_to="returns/%Y/%m/")
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ("id",)

    def __str__(self) -> str:
        return self.image.name
