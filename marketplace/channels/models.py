from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.Model):
    """A sales channel: its own prices, currency and default country."""

    slug = models.SlugField(_("slug"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    currency_code = models.CharField(_("currency"), max_length=3)
    default_country = models.CharField(_("default country"), max_length=2)
    is_active = models.BooleanField(_("active"), default=True)
    is_default = models.BooleanField(_("default channel"), default=False)

    class Meta:
        verbose_name = _("channel")
        verbose_name_plural = _("channels")
        ordering = ("-is_default", "slug")
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"],
                condition=models.Q(is_default=True),
                name="channels_one_default",
            ),
        ]

    def __str__(self) -> str:
        return self.name
