"""Reads of the catalogue: who sees which products, the listing's hot path and the batched
loads behind a product page.

The listing returns `ProductRow`s (plain objects built from one `values_list` query)
rather than model instances: instance building is the largest cost of a catalogue page
(see docs/PERFORMANCE.md). Everything a listing does not always need
(description, relations, variants) is loaded in batches, per page, by the caller.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from django.db.models import (
    Count,
    F,
    FilteredRelation,
    JSONField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    Window,
)
from django.db.models.functions import Coalesce, JSONObject, NullIf, RowNumber

from marketplace.catalog import availability, permissions, product_page
from marketplace.catalog.models import (
    Category,
    Product,
    ProductAttributeValue,
    ProductChannelListing,
    ProductMedia,
    ProductVariant,
    VariantChannelListing,
)
from marketplace.catalog.public_listing import PublicRows
from marketplace.catalog.rows import (
    ATTRIBUTE_JSON,
    MEDIA_JSON,
    MISSING,
    ROW_SOURCES,
    AttributeRow,
    CardExtra,
    MediaRow,
    PriceRange,
    ProductRow,
    RankedCardExtra,
)
from marketplace.catalog.search.query import prepare, search_products, suggestions
from marketplace.catalog.search.tiers import TieredSearch
from marketplace.channels.models import Channel
from marketplace.core import sql
from marketplace.core.normalize import normalize_text
from marketplace.inventory import stock as inventory_stock
from marketplace.inventory.models import Stock
from marketplace.locations.models import Village
from marketplace.sellers import permissions as seller_permissions
from marketplace.sellers.models import CooperativeStaff, Seller, SellerStatus

__all__ = ["MISSING", "AttributeRow", "MediaRow", "PriceRange", "ProductRow"]

# ---------------------------------------------------------------- visibility


def can_view_all_products(user) -> bool:
    """Platform staff who may see every product, hidden ones included."""
    if not seller_permissions.is_authenticated(user):
        return False
    return user.is_superuser or seller_permissions.has_platform_perm(user, "catalog.view_product")


def can_view_unlisted(user, seller: Seller) -> bool:
    """Unpublished or unpriced products: their editors and platform staff."""
    return permissions.can_edit_products_of(user, seller) or can_view_all_products(user)


def _listing_relation(channel: Channel) -> FilteredRelation:
    return FilteredRelation(
        "channel_listings", condition=Q(channel_listings__channel_id=channel.pk)
    )


def _editable_condition(user) -> Q | None:
    """Products `user` edits: their own seller's, their cooperatives' members', or all."""
    if not seller_permissions.is_authenticated(user):
        return None
    if can_view_all_products(user):
        return Q()
    cooperative_ids = list(
        CooperativeStaff.objects.filter(user_id=user.pk).values_list("cooperative_id", flat=True)
    )
    condition = Q(seller__owner_id=user.pk)
    if cooperative_ids:
        condition |= Q(seller__cooperative_id__in=cooperative_ids)
    return condition


def catalogue(
    user,
    channel: Channel,
    *,
    sellers: list[int] | None = None,
    cooperatives: list[int] | None = None,
) -> QuerySet[Product]:
    """The products `user` may list in `channel`: the public ones (published, of approved
    sellers, priced in the channel: the listing row's `is_visible`); when `sellers` or
    `cooperatives` name the caller's own, also their unpublished and unpriced products.
    Hidden products never."""
    # The listing row's columns as aliases: filters on a reverse relation made in
    # separate filter() calls would each join it again.
    queryset = Product.objects.annotate(listing=_listing_relation(channel)).alias(
        **{f"listing_{name}": F(f"listing__{name}") for name in availability.LISTING_COLUMNS}
    )
    condition = Q(listing_is_visible=True)
    if sellers is not None or cooperatives is not None:
        editable = _editable_condition(user)
        if editable is not None:
            condition |= Q(is_hidden=False) & editable
    queryset = queryset.filter(condition)
    if sellers is not None:
        queryset = queryset.filter(seller_id__in=sellers)
    if cooperatives is not None:
        queryset = queryset.filter(seller__cooperative_id__in=cooperatives)
    return queryset


# ---------------------------------------------------------------- the listing


def category_with_descendants(category_ids: Iterable[int]) -> set[int]:
    """The categories and all below them (the tree is small: one query, walked here)."""
    children: dict[int | None, list[int]] = defaultdict(list)
    for pk, parent_id in Category.objects.values_list("id", "parent_id"):
        children[parent_id].append(pk)
    known = {pk for pks in children.values() for pk in pks}
    found: set[int] = set()
    pending = [pk for pk in category_ids if pk in known]
    while pending:
        pk = pending.pop()
        if pk not in found:
            found.add(pk)
            pending.extend(children.get(pk, ()))
    return found


def sort_products(
    queryset: QuerySet[Product],
    field: str,
    *,
    descending: bool,
    english: bool = False,
    searched: bool = False,
    priced: bool = False,
) -> QuerySet[Product]:
    """Order by `field`, then by id in the same direction, so offsets page stably.
    `priced`: every product has a listing row, so a price sort needs no NULLS LAST
    (which no index of the listing rows could serve in descending order)."""
    if field == "RANK" and not searched:
        field = "CREATED"
    nullable = field == "RATING" or (field == "PRICE" and not priced)
    keys = {"PRICE": "listing_price_min", "RATING": "rating", "RANK": "rank"}
    key = F(keys.get(field, "created"))
    if field == "NAME":
        key = Coalesce(NullIf(F("name_en"), Value("")), F("name")) if english else F("name")
    # NULLS LAST only where NULLs exist: on `created` it would stop the index being used.
    if descending:
        primary = key.desc(nulls_last=True) if nullable else key.desc()
        return queryset.order_by(primary, F("id").desc())
    primary = key.asc(nulls_last=True) if nullable else key.asc()
    return queryset.order_by(primary, F("id").asc())


# The columns of CardExtra and RankedCardExtra, after ROW_SOURCES.
_EXTRA_SOURCES = {
    "currency": "listing__currency",
    "price_min": "listing__price_min",
    "price_max": "listing__price_max",
    "media": "first_media",
    "rank": "rank",
}
_MEDIA_JSON = JSONObject(**MEDIA_JSON)
_ATTRIBUTE_JSON = JSONObject(**ATTRIBUTE_JSON)


def _first_media() -> Subquery:
    # Evaluated by PostgreSQL only for the rows left after ORDER BY … LIMIT.
    return Subquery(
        ProductMedia.objects.filter(product_id=OuterRef("pk"))
        .order_by("sort_order", "id")
        .values(data=_MEDIA_JSON)[:1],
        output_field=JSONField(),
    )


def _read_rows(queryset: QuerySet[Product], channel: Channel) -> list[ProductRow]:
    """Run `queryset` (sliced or not) for exactly the listing's columns."""
    has_rank = "rank" in queryset.query.annotations
    extra = RankedCardExtra if has_rank else CardExtra
    columns = (*ROW_SOURCES.values(), *(_EXTRA_SOURCES[name] for name in extra._fields))
    rows = queryset.annotate(first_media=_first_media()).values_list(*columns)
    read = len(ROW_SOURCES)
    at = sql.positions(extra, read)
    currency, low, high, media = at.currency, at.price_min, at.price_max, at.media
    rank = at.rank if has_rank else None
    return [
        ProductRow(
            *row[:read],
            context_channel=channel,
            price_range=PriceRange(row[currency], row[low], row[high]) if row[currency] else None,
            thumbnail_media=MediaRow(**row[media]) if row[media] else None,
            rank=row[rank] if has_rank else None,
        )
        for row in rows
    ]


class ProductRows:
    """A listing to paginate: slicing it runs one query and returns ProductRows;
    `count()` runs only when a caller asks for totalCount. A search by rank is read
    through `tiered` (catalog.search.tiers), page by page, in the queryset's order."""

    def __init__(
        self, queryset: QuerySet[Product], channel: Channel, tiered: TieredSearch | None = None
    ) -> None:
        self.queryset = queryset
        self.channel = channel
        self.tiered = tiered

    def count(self) -> int:
        return self.queryset.count()

    def __getitem__(self, item: slice) -> list[ProductRow]:
        if not isinstance(item, slice):
            raise TypeError("ProductRows only supports slices.")
        if self.tiered is not None and item.stop is not None and item.step is None:
            read = lambda rows: _read_rows(rows, self.channel)  # noqa: E731
            return self.tiered.rows(item.start or 0, item.stop, read)
        return _read_rows(self.queryset[item], self.channel)


MAX_SEARCH_LENGTH = 200


def product_listing(
    user,
    channel: Channel,
    *,
    search: str | None = None,
    sellers: list[int] | None = None,
    cooperatives: list[int] | None = None,
    category_ids: list[int] | None = None,
    price_gte: Decimal | None = None,
    price_lte: Decimal | None = None,
    is_available: bool | None = None,
    sort_field: str | None = None,
    descending: bool = True,
    english: bool = False,
) -> ProductRows | PublicRows:
    """The `products` listing: visibility, filters, search and order, ready to slice.
    Prices compare with the channel's lowest price; without an explicit order: by
    relevance when searching, else newest first."""
    unsearched = not normalize_text((search or "")[:MAX_SEARCH_LENGTH])
    if sellers is None and cooperatives is None and unsearched:
        return PublicRows(
            channel,
            category_ids=None if category_ids is None else category_with_descendants(category_ids),
            price_gte=price_gte,
            price_lte=price_lte,
            is_available=is_available,
            sort_field="CREATED" if sort_field in {None, "RANK"} else sort_field,
            descending=True if sort_field is None else descending,
            english=english,
        )
    queryset = catalogue(user, channel, sellers=sellers, cooperatives=cooperatives)
    if category_ids is not None:
        # The listing row's copy of the category: the filter and the price order are
        # then served by one index (catalog_listing_category_price).
        categories = category_with_descendants(category_ids)
        queryset = queryset.filter(
            Q(listing_category_id__in=categories)
            if sellers is None and cooperatives is None
            else Q(category_id__in=categories)
        )
    if price_gte is not None:
        queryset = queryset.filter(listing_price_min__gte=price_gte)
    if price_lte is not None:
        queryset = queryset.filter(listing_price_min__lte=price_lte)
    if is_available is not None:
        queryset = queryset.filter(
            availability.available() if is_available else availability.unavailable()
        )
    query = (search or "")[:MAX_SEARCH_LENGTH]
    searched = bool(normalize_text(query))
    parsed, unsearched = (prepare(query) if searched else None), queryset
    if searched:
        queryset = search_products(queryset, parsed)
    if sort_field is None:
        sort_field, descending = ("RANK" if searched else "CREATED"), True
    queryset = sort_products(
        queryset,
        sort_field,
        descending=descending,
        english=english,
        searched=searched,
        priced=sellers is None and cooperatives is None,
    )
    by_rank = parsed is not None and sort_field == "RANK" and descending
    return ProductRows(queryset, channel, TieredSearch(unsearched, parsed) if by_rank else None)


def search_suggestions(query: str) -> list[str]:
    """Searches to offer when `query` found nothing: product-name words spelt like its
    words."""
    query = (query or "")[:MAX_SEARCH_LENGTH]
    return suggestions(query) if normalize_text(query) else []


def rows_by_seller(
    user, channel: Channel, seller_ids: list[int], *, start: int, stop: int
) -> dict[int, list[ProductRow]]:
    """For each seller, rows `start`..`stop` (0-based, exclusive) of their products as
    `Seller.products` lists them (newest first), in one query for all the sellers."""
    position = Window(
        RowNumber(), partition_by=[F("seller_id")], order_by=[F("created").desc(), F("id").desc()]
    )
    queryset = (
        catalogue(user, channel, sellers=seller_ids)
        .annotate(position=position)
        .filter(position__gt=start, position__lte=stop)
        .order_by("seller_id", "position")
    )
    return _grouped(seller_ids, _read_rows(queryset, channel), "seller_id")


def counts_by_seller(user, channel: Channel, seller_ids: list[int]) -> dict[int, int]:
    rows = (
        catalogue(user, channel, sellers=seller_ids)
        .order_by()
        .values("seller_id")
        .annotate(total=Count("id"))
        .values_list("seller_id", "total")
    )
    return {pk: 0 for pk in seller_ids} | dict(rows)


# ---------------------------------------------------------------- one product


def _with_listing(queryset: QuerySet[Product], channel: Channel) -> QuerySet[Product]:
    return queryset.annotate(
        listing=_listing_relation(channel),
        listing_currency=F("listing__currency"),
        listing_price_min=F("listing__price_min"),
        listing_price_max=F("listing__price_max"),
    )


def load_product(
    channel: Channel, *, pk: int | None = None, slug: str | None = None
) -> Product | None:
    """A product page in one query, whoever may see it: the product with its seller,
    cooperative, category, origin, price range in `channel`, media and attributes."""
    if pk is None and not slug:
        return None
    loaded = product_page.load(channel.pk, pk=pk, slug=slug)
    if loaded is None:
        return None
    product, extra = loaded
    product.context_channel = channel
    product.price_range = _price_range(
        extra.listing_currency, extra.listing_price_min, extra.listing_price_max
    )
    product.media_list = [MediaRow(**m) for m in extra.media or []]
    product.attribute_list = [AttributeRow(**a) for a in extra.attributes or []]
    return product


def product_detail(
    user, channel: Channel, *, pk: int | None = None, slug: str | None = None
) -> Product | None:
    """`load_product` when `user` may see it: the public see published products of
    approved sellers priced in `channel`; editors and platform staff the rest. Hidden
    products only platform staff, and only by id."""
    product = load_product(channel, pk=pk, slug=slug)
    if product is None:
        return None
    if product.is_hidden:
        return product if pk is not None and can_view_all_products(user) else None
    public = (
        product.is_published
        and product.seller.status == SellerStatus.APPROVED
        and product.price_range is not None
    )
    if public or can_view_unlisted(user, product.seller):
        return product
    return None


def _price_range(currency: str | None, low: Decimal, high: Decimal) -> PriceRange | None:
    return PriceRange(currency, low, high) if currency else None


def _attach_context(product: Product, channel: Channel) -> None:
    product.context_channel = channel
    product.price_range = _price_range(
        product.listing_currency, product.listing_price_min, product.listing_price_max
    )


def products_by_id(ids: list[int], channel: Channel) -> dict[int, Product]:
    """Products (any visibility: the caller already reached them through something
    visible) with their price range in `channel`."""
    queryset = _with_listing(
        Product.objects.filter(pk__in=ids).defer("search_vector", "search_text"), channel
    )
    result = {}
    for product in queryset:
        _attach_context(product, channel)
        result[product.pk] = product
    return result


def price_ranges(product_ids: list[int], channel: Channel) -> dict[int, PriceRange]:
    rows = ProductChannelListing.objects.filter(
        product_id__in=product_ids, channel_id=channel.pk
    ).values_list("product_id", "currency", "price_min", "price_max")
    return {pk: PriceRange(currency, low, high) for pk, currency, low, high in rows}


def available_product_ids(product_ids: list[int], channel: Channel) -> set[int]:
    """Products priced in `channel` with a unit of some variant left to sell."""
    return availability.available_product_ids(product_ids, channel.pk)


# ---------------------------------------------------------------- relations, batched


def sellers_by_id(ids: list[int]) -> dict[int, Seller]:
    # With what the Seller type reads without a loader of its own (village, county…),
    # from one statement (catalog.product_page): every card page reads its sellers.
    return product_page.sellers_by_id(ids)


def villages_by_id(ids: list[int]) -> dict[int, Village]:
    rows = Village.objects.filter(pk__in=ids).select_related("county__province")
    return {village.pk: village for village in rows}


def categories_by_id(ids: list[int]) -> dict[int, Category]:
    return {c.pk: c for c in Category.objects.filter(pk__in=ids)}


def _grouped(ids: list[int], rows: Iterable, key: str) -> dict[int, list]:
    """Rows per id of `ids` (each id present, possibly with an empty list)."""
    result: dict[int, list] = {pk: [] for pk in ids}
    for row in rows:
        result[getattr(row, key)].append(row)
    return result


def category_children(parent_ids: list[int]) -> dict[int, list[Category]]:
    return _grouped(parent_ids, Category.objects.filter(parent_id__in=parent_ids), "parent_id")


def categories(level: int | None = None) -> QuerySet[Category]:
    """All categories, top level first, each level in its display order."""
    queryset = Category.objects.all()
    if level is not None:
        queryset = queryset.filter(**{"__".join(["parent"] * (level + 1)) + "__isnull": True})
        if level > 0:
            queryset = queryset.filter(**{"__".join(["parent"] * level) + "__isnull": False})
    return queryset.order_by(F("parent_id").asc(nulls_first=True), "sort_order", "name", "id")


def _media_rows(queryset: QuerySet[ProductMedia]) -> list[MediaRow]:
    return [MediaRow(**data) for data in queryset.values_list(_MEDIA_JSON, flat=True)]


def media_by_product(product_ids: list[int]) -> dict[int, list[MediaRow]]:
    media = ProductMedia.objects.filter(product_id__in=product_ids).order_by("sort_order", "id")
    return _grouped(product_ids, _media_rows(media), "product_id")


def attributes_by_product(product_ids: list[int]) -> dict[int, list[AttributeRow]]:
    rows = (
        ProductAttributeValue.objects.filter(product_id__in=product_ids)
        .order_by("attribute__name", "id")
        .values_list(_ATTRIBUTE_JSON, flat=True)
    )
    return _grouped(product_ids, [AttributeRow(**data) for data in rows], "product_id")


def variants_by_product(
    product_ids: list[int], channel: Channel
) -> dict[int, list[ProductVariant]]:
    """Variants in display order, each with its price in `channel` (`price_amount`,
    `price_currency`; None when not sold there) read in the same query."""
    variants = product_page.variants(product_ids, channel.pk)
    for variant in variants:
        variant.context_channel = channel
    return _grouped(product_ids, variants, "product_id")


def variant_prices(variant_ids: list[int], channel: Channel) -> dict[int, tuple[str, Decimal]]:
    rows = VariantChannelListing.objects.filter(
        variant_id__in=variant_ids, channel_id=channel.pk
    ).values_list("variant_id", "currency", "price")
    return {pk: (currency, price) for pk, currency, price in rows}


def available_quantities(variant_ids: list[int]) -> dict[int, int]:
    """Units of each variant left to sell: stock minus allocations and live reservations
    (inventory's arithmetic, so checkout and catalogue always agree)."""
    return inventory_stock.available_quantities(list(variant_ids))


def stocks_by_variant(variant_ids: list[int]) -> dict[int, list[Stock]]:
    rows = (
        Stock.objects.filter(variant_id__in=variant_ids)
        .select_related("warehouse")
        .order_by("warehouse__name", "warehouse_id")
    )
    return _grouped(variant_ids, rows, "variant_id")


def product_id_of(model: type[ProductVariant | ProductMedia], pk: int) -> int | None:
    """The product a variant or a photo belongs to (for lookups by their own id)."""
    return model.objects.filter(pk=pk).values_list("product_id", flat=True).first()
