from django.contrib import admin
from django.db import transaction

from marketplace.catalog.models import (
    Attribute,
    AttributeValue,
    Category,
    Product,
    ProductMedia,
    ProductType,
    ProductVariant,
    VariantChannelListing,
)
from marketplace.catalog.services import refresh_price_ranges
from marketplace.core.versioning import bump_catalog_version


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "name_en", "slug", "parent", "sort_order")
    list_select_related = ("parent",)
    search_fields = ("name", "name_en", "slug")
    prepopulated_fields = {"slug": ("name_en",)}


class AttributeValueInline(admin.TabularInline):
    model = AttributeValue
    extra = 0


@admin.register(Attribute)
class AttributeAdmin(admin.ModelAdmin):
    list_display = ("name", "name_en", "slug", "input_type")
    inlines = [AttributeValueInline]


@admin.register(ProductType)
class ProductTypeAdmin(admin.ModelAdmin):
    list_display = ("name", "name_en", "slug")
    filter_horizontal = ("attributes",)


class VariantInline(admin.TabularInline):
    model = ProductVariant
    extra = 0
    fields = ("sku", "name", "name_en", "weight", "sort_order")


class MediaInline(admin.TabularInline):
    model = ProductMedia
    extra = 0
    fields = ("image", "alt", "sort_order")


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ("name", "seller", "category", "is_published", "is_hidden", "created")
    list_filter = ("is_published", "is_hidden", "category")
    list_select_related = ("seller", "category")
    search_fields = ("name", "name_en", "slug", "seller__name")
    raw_id_fields = ("seller", "origin")
    readonly_fields = ("rating", "created", "updated")
    inlines = [VariantInline, MediaInline]


@admin.register(VariantChannelListing)
class VariantChannelListingAdmin(admin.ModelAdmin):
    list_display = ("variant", "channel", "price", "currency")
    list_select_related = ("variant__product", "channel")
    raw_id_fields = ("variant",)

    # The listing's price range (price filters and order) and the response cache follow
    # a price changed here as they follow the API's price writes.
    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            previous = (
                VariantChannelListing.objects.filter(pk=obj.pk)
                .values_list("variant__product_id", flat=True)
                .first()
            )
            super().save_model(request, obj, form, change)
            self._refreshed({obj.variant.product_id, previous})

    def delete_model(self, request, obj):
        with transaction.atomic():
            product_id = obj.variant.product_id
            super().delete_model(request, obj)
            self._refreshed({product_id})

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            product_ids = set(queryset.values_list("variant__product_id", flat=True))
            super().delete_queryset(request, queryset)
            self._refreshed(product_ids)

    @staticmethod
    def _refreshed(product_ids: set[int | None]) -> None:
        refresh_price_ranges(sorted(pk for pk in product_ids if pk is not None))
        bump_catalog_version()
