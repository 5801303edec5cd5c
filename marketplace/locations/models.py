from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.utils.translation import gettext_lazy as _

from marketplace.locations.search import village_search_text


class Province(models.Model):
    country = models.CharField(_("country"), max_length=2, default="IR")
    code = models.CharField(_("code"), max_length=10, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)

    class Meta:
        verbose_name = _("province")
        verbose_name_plural = _("provinces")
        ordering = ("name",)
        constraints = [
            models.UniqueConstraint(
                fields=["country", "name"], name="locations_province_unique_name"
            )
        ]

    def __str__(self) -> str:
        return self.name


class County(models.Model):
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="counties")
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)

    class Meta:
        verbose_name = _("county")
        verbose_name_plural = _("counties")
        ordering = ("name",)
        constraints = [
            models.UniqueConstraint(
                fields=["province", "name"], name="locations_county_unique_name"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Village(models.Model):
    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="villages")
    name = models.CharField(_("name"), max_length=150)
    name_en = models.CharField(_("name (English)"), max_length=150, blank=True)
    # Normalised Persian and English names, for search (see core.normalize).
    search_text = models.TextField(editable=False, default="")
    # A producer may name a village the gazetteer lacks; it stays out of the village
    # search until a cooperative clerk or the operator confirms it (or merges it into
    # the village it turns out to be).
    is_confirmed = models.BooleanField(_("confirmed"), default=True)
    proposed_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("proposed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("village")
        verbose_name_plural = _("villages")
        ordering = ("name", "id")
        constraints = [
            models.UniqueConstraint(fields=["county", "name"], name="locations_village_unique_name")
        ]
        indexes = [
            GinIndex(
                fields=["search_text"],
                name="locations_village_search_trgm",
                opclasses=["gin_trgm_ops"],
            )
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.search_text = village_search_text(self.name, self.name_en)
        super().save(*args, **kwargs)
