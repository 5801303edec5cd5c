from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from marketplace.catalog.rows import AttributeRow, MediaRow, PriceRange
    from marketplace.channels.models import Channel

MONEY_DIGITS = 20
MONEY_PLACES = 2


class Category(models.Model):
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    name = models.CharField(_("name"), max_length=150)
    name_en = models.CharField(_("name (English)"), max_length=150, blank=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True, allow_unicode=True)
    description = models.TextField(_("description"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    sort_order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ("sort_order", "name", "id")

    def __str__(self) -> str:
        return self.name


class AttributeInputType(models.TextChoices):
    DROPDOWN = "DROPDOWN", _("Choice")
    BOOLEAN = "BOOLEAN", _("Yes / no")
    NUMERIC = "NUMERIC", _("Number")


class Attribute(models.Model):
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    name = models.CharField(_("name"), max_length=150)
    name_en = models.CharField(_("name (English)"), max_length=150, blank=True)
    input_type = models.CharField(
        _("input type"),
        max_length=16,
        choices=AttributeInputType.choices,
        default=AttributeInputType.DROPDOWN,
    )

    class Meta:
        verbose_name = _("attribute")
        verbose_name_plural = _("attributes")
        ordering = ("name", "id")

    def __str__(self) -> str:
        return self.name


class AttributeValue(models.Model):
    attribute = models.ForeignKey(Attribute, on_delete=models.CASCADE, related_name="values")
    slug = models.SlugField(_("slug"), max_length=100)
    name = models.CharField(_("name"), max_length=150)
    name_en = models.CharField(_("name (English)"), max_length=150, blank=True)
    sort_order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("attribute value")
        verbose_name_plural = _("attribute values")
        ordering = ("sort_order", "id")
        constraints = [
            models.UniqueConstraint(fields=["attribute", "slug"], name="catalog_attr_value_unique")
        ]

    def __str__(self) -> str:
        return self.name


class ProductType(models.Model):
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    name = models.CharField(_("name"), max_length=150)
    name_en = models.CharField(_("name (English)"), max_length=150, blank=True)
    attributes = models.ManyToManyField(Attribute, blank=True, related_name="product_types")

    class Meta:
        verbose_name = _("product type")
        verbose_name_plural = _("product types")
        ordering = ("name", "id")

    def __str__(self) -> str:
        return self.name


class Product(models.Model):
    seller = models.ForeignKey(
        "sellers.Seller",
        verbose_name=_("seller"),
        on_delete=models.PROTECT,
        related_name="products",
    )
    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="products"
    )
    product_type = models.ForeignKey(
        ProductType,
        verbose_name=_("product type"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="products",
    )
    origin = models.ForeignKey(
        "locations.Village",
        verbose_name=_("origin village"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="products",
    )
    name = models.CharField(_("name"), max_length=250)
    name_en = models.CharField(_("name (English)"), max_length=250, blank=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True, allow_unicode=True)
    description = models.TextField(_("description"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    is_published = models.BooleanField(_("published"), default=False)
    # Set instead of deleting when orders refer to the product: it disappears from the
    # catalogue and from its owner's lists but the order history keeps it.
    is_hidden = models.BooleanField(_("hidden"), default=False)
    # The mean and count of visible reviews, kept by reviews.services in the same
    # transaction as the review (the listing sorts by rating).
    rating = models.DecimalField(_("rating"), max_digits=3, decimal_places=2, null=True, blank=True)
    review_count = models.PositiveIntegerField(_("reviews"), default=0)
    created = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)
    # Maintained by catalog.search on every write that changes what is searched.
    search_vector = SearchVectorField(null=True, editable=False)
    search_text = models.TextField(default="", editable=False)

    # Not columns: what a read for one channel leaves on the product for the API
    # (catalog.selectors: load_product, products_by_id), so that showing it takes no
    # further query. The channel; the price range there (None: not priced there); the
    # photos and attribute values, when read with the product.
    context_channel: Channel | None = None
    price_range: PriceRange | None = None
    media_list: list[MediaRow] | None = None
    attribute_list: list[AttributeRow] | None = None

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ("-created", "-id")
        indexes = [
            GinIndex(fields=["search_vector"], name="catalog_product_search_vec"),
            GinIndex(
                fields=["search_text"],
                name="catalog_product_search_trgm",
                opclasses=["gin_trgm_ops"],
            ),
            models.Index(fields=["seller", "is_hidden"], name="catalog_product_seller_idx"),
            models.Index(fields=["category", "is_published"], name="catalog_product_cat_idx"),
            # The RATING sort, descending as the shop offers it (unrated last).
            models.Index(
                models.F("rating").desc(nulls_last=True),
                models.F("id").desc(),
                name="catalog_product_rating_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ProductAttributeValue(models.Model):
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="attribute_values")
    attribute = models.ForeignKey(Attribute, on_delete=models.PROTECT, related_name="+")
    value = models.ForeignKey(
        AttributeValue, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    boolean = models.BooleanField(null=True, blank=True)
    numeric = models.DecimalField(max_digits=12, decimal_places=3, null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["product", "attribute"], name="catalog_product_attr_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.product_id}: {self.attribute_id}"


class ProductVariant(models.Model):
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="variants")
    sku = models.CharField(_("SKU"), max_length=64, null=True, blank=True, unique=True)
    name = models.CharField(_("name"), max_length=150, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=150, blank=True)
    weight = models.DecimalField(
        _("weight (kg)"), max_digits=9, decimal_places=3, null=True, blank=True
    )
    sort_order = models.PositiveIntegerField(_("order"), default=0)
    created = models.DateTimeField(_("created"), auto_now_add=True)

    # Not columns: the price in one channel, when read with it (catalog.product_page,
    # the checkout's lines): None when not sold there.
    context_channel: Channel | None = None
    price_amount: Decimal | None = None
    price_currency: str | None = None

    class Meta:
        verbose_name = _("variant")
        verbose_name_plural = _("variants")
        ordering = ("sort_order", "id")
        constraints = [
            models.CheckConstraint(
                condition=Q(weight__isnull=True) | Q(weight__gt=0),
                name="catalog_variant_weight_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.name or self.product.name


class VariantChannelListing(models.Model):
    """The price of a variant in one channel; a variant without one is not sold there."""

    variant = models.ForeignKey(ProductVariant, on_delete=models.CASCADE, related_name="listings")
    channel = models.ForeignKey("channels.Channel", on_delete=models.PROTECT, related_name="+")
    price = models.DecimalField(_("price"), max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES)
    currency = models.CharField(_("currency"), max_length=3)

    class Meta:
        verbose_name = _("variant price")
        verbose_name_plural = _("variant prices")
        constraints = [
            models.UniqueConstraint(
                fields=["variant", "channel"], name="catalog_variant_listing_unique"
            ),
            models.CheckConstraint(
                condition=Q(price__gt=Decimal(0)), name="catalog_price_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.price} {self.currency}"


class ProductChannelListing(models.Model):
    """Per product and channel: what the public listing filters and sorts on, so it reads
    this table alone, in the order of an index.

    The price range over the variants is kept by the services (refresh_price_ranges).
    The other columns are kept by PostgreSQL triggers (migration 0004) on every write to
    the product, its seller and its stock, whichever code makes it; Python never writes
    them. `free_stocks` counts the product's stock rows with units not allocated to
    orders; live checkout reservations are left out on purpose, because they expire by
    time with no write (catalog.availability checks them where they can matter)."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="channel_listings")
    channel = models.ForeignKey("channels.Channel", on_delete=models.PROTECT, related_name="+")
    currency = models.CharField(max_length=3)
    price_min = models.DecimalField(max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES)
    price_max = models.DecimalField(max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES)
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="+", editable=False, db_index=False
    )
    # Published, not hidden, and the seller approved.
    is_visible = models.BooleanField(default=False, editable=False)
    free_stocks = models.IntegerField(default=0, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["product", "channel"], name="catalog_product_listing_unique"
            ),
            models.CheckConstraint(
                condition=Q(price_min__lte=models.F("price_max")),
                name="catalog_product_listing_range",
            ),
            models.CheckConstraint(
                condition=Q(free_stocks__gte=0), name="catalog_product_listing_free_stocks"
            ),
        ]
        indexes = [
            # The public listing by price, and by price within one category.
            models.Index(
                fields=["channel", "price_min", "product"],
                name="catalog_listing_public_price",
                condition=Q(is_visible=True),
            ),
            models.Index(
                fields=["channel", "category", "price_min", "product"],
                name="catalog_listing_category_price",
                condition=Q(is_visible=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.price_min}–{self.price_max} {self.currency}"


class ProductMedia(models.Model):
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="media")
    image = models.ImageField(
        _("image"), upload_to="products/%Y/%m/", width_field="width", height_field="height"
    )
    width = models.PositiveIntegerField(null=True, editable=False)
    height = models.PositiveIntegerField(null=True, editable=False)
    alt = models.CharField(_("description of the image"), max_length=250, blank=True)
    sort_order = models.PositiveIntegerField(_("order"), default=0)
    # {"200": "products/…/x_200.webp", …}: filled by the thumbnail task.
    thumbnails = models.JSONField(default=dict, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("product photo")
        verbose_name_plural = _("product photos")
        ordering = ("sort_order", "id")

    def __str__(self) -> str:
        return self.alt or self.image.name
