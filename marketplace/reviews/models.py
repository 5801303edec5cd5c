from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

TEXT_MAX_LENGTH = 2000
REPLY_MAX_LENGTH = 1000


class Review(models.Model):
    """A buyer's stars and words on one order line they received. The product and seller
    are copied from the line so that a product's reviews are read by one index."""

    line = models.OneToOneField(
        "orders.OrderLine",
        verbose_name=_("order line"),
        on_delete=models.PROTECT,
        related_name="review",
    )
    product = models.ForeignKey(
        "catalog.Product",
        verbose_name=_("product"),
        on_delete=models.PROTECT,
        related_name="reviews",
    )
    seller = models.ForeignKey(
        "sellers.Seller", verbose_name=_("seller"), on_delete=models.PROTECT, related_name="reviews"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("buyer"),
        on_delete=models.PROTECT,
        related_name="reviews",
    )
    rating = models.PositiveSmallIntegerField(_("rating"))
    text = models.TextField(_("text"), blank=True, max_length=TEXT_MAX_LENGTH)
    reply = models.TextField(_("seller's answer"), blank=True, max_length=REPLY_MAX_LENGTH)
    replied_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    # Set by platform staff on an abusive review: it is no longer shown or counted.
    is_hidden = models.BooleanField(_("hidden"), default=False)
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ("-created", "-id")
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__gte=1) & Q(rating__lte=5), name="reviews_rating_1_to_5"
            ),
        ]
        indexes = [
            models.Index(
                fields=["product", "-created", "-id"],
                name="reviews_product_newest",
                condition=Q(is_hidden=False),
            ),
            models.Index(
                fields=["seller", "-created", "-id"],
                name="reviews_seller_newest",
                condition=Q(is_hidden=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product_id}: {self.rating}"
