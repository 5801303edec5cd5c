"""What catalogue reads return instead of model instances: plain rows built from one
`values_list` or JSON column, with the attribute names of the models they stand for, so
the API treats rows and instances alike (instance building is the largest cost of a
catalogue page, docs/PERFORMANCE.md)."""

from __future__ import annotations

from dataclasses import dataclass, fields
from decimal import Decimal
from types import SimpleNamespace
from typing import Any, NamedTuple

from marketplace.channels.models import Channel

# Marks what an object was not read with (None means "read, and empty").
MISSING: Any = object()

# The JSON objects media and attributes travel in: each key is a field of the row below,
# each value a field of ProductMedia or ProductAttributeValue ("__" across a relation).
# The one source of both shapes, for the ORM reads (catalog.selectors) and the
# hand-written statements (catalog.product_page, catalog.public_listing) alike.
MEDIA_JSON = {
    "id": "id",
    "product_id": "product_id",
    "alt": "alt",
    "thumbnails": "thumbnails",
    "sort_order": "sort_order",
    "image_name": "image",
}
ATTRIBUTE_JSON = {
    "product_id": "product_id",
    **{name: f"attribute__{name}" for name in ("slug", "name", "name_en", "input_type")},
    **{f"value_{name}": f"value__{name}" for name in ("name", "name_en")},
    "boolean": "boolean",
    "numeric": "numeric",
}


# Rows are plain (not slotted) dataclasses: the API marks them for batch loading.
@dataclass
class MediaRow:
    id: int
    product_id: int
    image_name: str
    alt: str
    thumbnails: dict
    sort_order: int

    pk = property(lambda self: self.id)

    @property
    def image(self) -> SimpleNamespace:
        """Stands in for the FieldFile where only the stored name is read (media_url)."""
        return SimpleNamespace(name=self.image_name)


class PriceRange(NamedTuple):
    currency: str
    start: Decimal
    stop: Decimal


@dataclass
class AttributeRow:
    product_id: int
    slug: str
    name: str
    name_en: str
    input_type: str
    value_name: str | None
    value_name_en: str | None
    boolean: bool | None
    numeric: Decimal | None

    def __post_init__(self) -> None:
        if self.numeric is not None:  # JSON gives a float; show what was stored
            self.numeric = Decimal(str(self.numeric))


@dataclass
class ProductRow:
    """A product as the listing reads it; the attribute names mirror the model's, so the
    API treats rows and model instances alike. `context_channel` is the channel the row
    was read for and `price_range` its price range there (None: not priced there)."""

    id: int
    name: str
    name_en: str
    slug: str
    is_published: bool
    is_hidden: bool
    rating: Decimal | None
    review_count: int
    created: Any
    seller_id: int
    category_id: int
    origin_id: int | None
    cooperative_id: int | None
    context_channel: Channel
    price_range: PriceRange | None
    thumbnail_media: MediaRow | None
    rank: float | None = None

    pk = property(lambda self: self.id)


def _row_sources() -> dict[str, str]:
    names = [f.name for f in fields(ProductRow)]
    read = names[: names.index("cooperative_id") + 1]
    return {name: "seller__cooperative_id" if name == "cooperative_id" else name for name in read}


# Where ProductRow's leading fields come from, in its order: a Product field each, the
# cooperative through the seller. One list for the ORM read (catalog.selectors) and the
# hand-written one (catalog.public_listing): rows are built from these columns in the
# order this list fixes.
ROW_SOURCES = _row_sources()


class CardExtra(NamedTuple):
    """What a listing reads beside ROW_SOURCES: the price range in the channel and the
    first photo (MEDIA_JSON, as text or decoded)."""

    currency: str | None
    price_min: Decimal | None
    price_max: Decimal | None
    media: Any


class RankedCardExtra(NamedTuple):
    """CardExtra and the rank of a search."""

    currency: str | None
    price_min: Decimal | None
    price_max: Decimal | None
    media: Any
    rank: float
