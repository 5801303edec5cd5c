from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Cooperative(models.Model):
    """A rural cooperative: checks, packs and ships its members' goods for a fee."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=100, unique=True, allow_unicode=True)
    description = models.TextField(_("description"), blank=True, max_length=5000)
    county = models.ForeignKey(
        "locations.County",
        verbose_name=_("county"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    fee_rate = models.DecimalField(
        _("fee rate"),
        max_digits=5,
        decimal_places=4,
        default=Decimal("0.05"),
        help_text=_("Share of each line total paid to the cooperative, e.g. 0.05."),
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    address = models.CharField(_("address"), max_length=500, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="CooperativeStaff",
        related_name="cooperatives",
        verbose_name=_("staff"),
    )

    class Meta:
        verbose_name = _("cooperative")
        verbose_name_plural = _("cooperatives")
        ordering = ("name", "id")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(fee_rate__gte=0) & models.Q(fee_rate__lt=1),
                name="sellers_cooperative_fee_rate_range",
            )
        ]

    def __str__(self) -> str:
        return self.name


class CooperativeStaff(models.Model):
    cooperative = models.ForeignKey(
        Cooperative, on_delete=models.CASCADE, related_name="staff_links"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cooperative_links"
    )
    added = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        verbose_name = _("cooperative staff member")
        verbose_name_plural = _("cooperative staff")
        constraints = [
            models.UniqueConstraint(fields=["cooperative", "user"], name="sellers_staff_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.cooperative}"


class SellerStatus(models.TextChoices):
    PENDING = "PENDING", _("Pending approval")
    APPROVED = "APPROVED", _("Approved")
    SUSPENDED = "SUSPENDED", _("Suspended")
    REJECTED = "REJECTED", _("Not accepted")


class Seller(models.Model):
    """A producer who sells: owned by one user, optionally a member of a cooperative."""

    owner = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="seller",
        verbose_name=_("owner"),
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=100, unique=True, allow_unicode=True)
    description = models.TextField(_("story"), blank=True, max_length=5000)
    photo = models.ImageField(_("photo"), upload_to="sellers/", blank=True)
    phone = models.CharField(_("mobile number"), max_length=20)
    village = models.ForeignKey(
        "locations.Village",
        verbose_name=_("village"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    cooperative = models.ForeignKey(
        Cooperative,
        verbose_name=_("cooperative"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=SellerStatus.choices, default=SellerStatus.PENDING
    )
    # The mean and count of the visible reviews of the seller's products, kept by
    # reviews.services in the same transaction as the review.
    rating = models.DecimalField(_("rating"), max_digits=3, decimal_places=2, null=True, blank=True)
    review_count = models.PositiveIntegerField(_("reviews"), default=0)
    payout_iban = models.CharField(_("payout Sheba (IBAN)"), max_length=34, blank=True)
    payout_holder = models.CharField(_("account holder"), max_length=200, blank=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    rejection_reason = models.TextField(_("reason for not accepting"), blank=True, max_length=2000)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("seller")
        verbose_name_plural = _("sellers")
        ordering = ("name", "id")
        indexes = [models.Index(fields=["cooperative", "status"], name="sellers_coop_status_idx")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_approved(self) -> bool:
        return self.status == SellerStatus.APPROVED
