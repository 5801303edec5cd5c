from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str | None = None, password: str | None = None, **extra) -> User:
        user = self.model(email=email or None, **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email=email, password=password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """Someone who signs in with an email or an (Iranian) mobile number."""

    # NULL, not "", for a missing login so the unique constraints ignore it.
    email = models.EmailField(_("email"), max_length=254, null=True, blank=True)  # noqa: DJ001
    phone = models.CharField(_("mobile number"), max_length=20, null=True, blank=True)  # noqa: DJ001
    first_name = models.CharField(_("first name"), max_length=150, blank=True)
    last_name = models.CharField(_("last name"), max_length=150, blank=True)
    is_staff = models.BooleanField(
        _("platform staff"),
        default=False,
        help_text=_("Platform operators: may sign in to the admin."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    language = models.CharField(_("language"), max_length=8, default="fa")
    # In every token issued; raising it (signing out, a new password) revokes them all.
    token_version = models.PositiveIntegerField(_("token version"), default=0, editable=False)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_unique_ci"),
            models.UniqueConstraint(fields=["phone"], name="accounts_user_phone_unique"),
            models.CheckConstraint(
                condition=models.Q(email__isnull=False) | models.Q(phone__isnull=False),
                name="accounts_user_has_login",
            ),
        ]

    def __str__(self) -> str:
        return self.email or self.phone or f"user {self.pk}"

    def set_password(self, raw_password: str | None) -> None:
        super().set_password(raw_password)
        self.token_version += 1

    def save(self, *args, **kwargs) -> None:
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "password" in update_fields:
            # A new password revokes the tokens issued before it, wherever it is saved.
            kwargs["update_fields"] = {*update_fields, "token_version"}
        super().save(*args, **kwargs)

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.first_name


class Address(models.Model):
    """A postal address. Checkouts and orders keep their own copies, so editing a saved
    address never rewrites an order's history."""

    user = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.CASCADE, related_name="addresses"
    )
    first_name = models.CharField(_("first name"), max_length=150)
    last_name = models.CharField(_("last name"), max_length=150)
    phone = models.CharField(_("mobile number"), max_length=20)
    country = models.CharField(_("country"), max_length=2, default="IR")
    country_area = models.CharField(_("province"), max_length=100)
    province = models.ForeignKey(
        "locations.Province",
        verbose_name=_("province"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    city = models.CharField(_("city"), max_length=100)
    street_address_1 = models.CharField(_("address"), max_length=300)
    street_address_2 = models.CharField(_("address (continued)"), max_length=300, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=20)
    is_default = models.BooleanField(_("default address"), default=False)

    class Meta:
        verbose_name = _("address")
        verbose_name_plural = _("addresses")
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(is_default=True),
                name="accounts_one_default_address",
            )
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}, {self.city}"


class LoginCode(models.Model):
    """A one-time sign-in code sent by SMS; only its hash is kept."""

    phone = models.CharField(_("mobile number"), max_length=20, db_index=True)
    code_hash = models.CharField(max_length=128)
    created = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    tries = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("sign-in code")
        verbose_name_plural = _("sign-in codes")
        indexes = [models.Index(fields=["phone", "-created"], name="accounts_logincode_phone_idx")]

    def __str__(self) -> str:
        return f"{self.phone} {self.created:%Y-%m-%d %H:%M}"
