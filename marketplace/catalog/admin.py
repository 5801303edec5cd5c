from django.contrib import admin

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
