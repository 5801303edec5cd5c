from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

MONEY = {"max_digits": 20, "decimal_places": 2}


class VoucherKind(models.TextChoices):
    PERCENTAGE = "PERCENTAGE", _("Percentage")
    FIXED = "FIXED", _("Fixed amount")


class Voucher(models.Model):
    """A promo code: platform-wide, or only for one seller's products."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=VoucherKind.choices)
    value = models.DecimalField(_("value"), **MONEY)
    channel = models.ForeignKey("channels.Channel", on_delete=models.PROTECT, related_name="+")
    seller = models.ForeignKey(
        "sellers.Seller",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="vouchers",
        verbose_name=_("only for seller"),
    )
    min_spend = models.DecimalField(_("minimum spend"), null=True, blank=True, **MONEY)
    usage_limit = models.PositiveIntegerField(_("total uses"), null=True, blank=True)
    per_buyer_limit = models.PositiveIntegerField(_("uses per buyer"), null=True, blank=True)
    used = models.PositiveIntegerField(_("used"), default=0)
    valid_from = models.DateTimeField(_("valid from"), null=True, blank=True)
    valid_until = models.DateTimeField(_("valid until"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("voucher")
        verbose_name_plural = _("vouchers")
        constraints = [
            models.CheckConstraint(condition=Q(value__gt=0), name="discounts_value_positive"),
            models.CheckConstraint(
                condition=~Q(kind="PERCENTAGE") | Q(value__lte=100),
                name="discounts_percentage_max_100",
            ),
            models.CheckConstraint(
                condition=Q(usage_limit__isnull=True) | Q(used__lte=models.F("usage_limit")),
                name="discounts_used_within_limit",
            ),
        ]

    def __str__(self) -> str:
        return self.code


class VoucherUsage(models.Model):
    voucher = models.ForeignKey(Voucher, on_delete=models.PROTECT, related_name="usages")
    order = models.OneToOneField(
        "orders.Order", on_delete=models.CASCADE, related_name="voucher_usage"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    email = models.EmailField(blank=True)
    # What the per-buyer limit counts by, beside the account: the email as
    # core.normalize.email_for_limits spells it, and the delivery mobile number.
    email_key = models.CharField(max_length=254, blank=True)
    phone = models.CharField(_("mobile number"), max_length=20, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            models.Index(fields=["voucher", "user"], name="discounts_usage_user_idx"),
            models.Index(fields=["voucher", "email_key"], name="discounts_usage_email_idx"),
            models.Index(fields=["voucher", "phone"], name="discounts_usage_phone_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.voucher} → {self.order_id}"
