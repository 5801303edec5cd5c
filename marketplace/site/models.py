"""What the operator says about the shop itself: how to reach it, its policies and its
e-trust seal (اینماد). One row, edited in the admin."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

SETTINGS_ID = 1


class SiteSettings(models.Model):
    id = models.PositiveSmallIntegerField(primary_key=True, default=SETTINGS_ID, editable=False)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    email = models.EmailField(_("email"), blank=True)
    address = models.CharField(_("address"), max_length=500, blank=True)
    address_en = models.CharField(_("address (English)"), max_length=500, blank=True)
    about = models.TextField(_("about the shop"), blank=True, max_length=10000)
    about_en = models.TextField(_("about the shop (English)"), blank=True, max_length=10000)
    return_policy = models.TextField(_("return policy"), blank=True, max_length=20000)
    return_policy_en = models.TextField(_("return policy (English)"), blank=True, max_length=20000)
    terms = models.TextField(_("terms of use"), blank=True, max_length=20000)
    terms_en = models.TextField(_("terms of use (English)"), blank=True, max_length=20000)
    enamad_id = models.CharField(
        _("e-trust seal id"),
        max_length=32,
        blank=True,
        help_text=_("The id and code in the seal's link that enamad.ir gives the shop."),
    )
    enamad_code = models.CharField(_("e-trust seal code"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("shop settings")
        verbose_name_plural = _("shop settings")
        constraints = [
            models.CheckConstraint(condition=Q(id=SETTINGS_ID), name="site_settings_one_row")
        ]

    def __str__(self) -> str:
        return str(self._meta.verbose_name)
