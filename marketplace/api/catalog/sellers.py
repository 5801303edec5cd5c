"""The resolvers of the catalogue's fields on the Seller type: `products` and `rating`.

The Seller type declares the fields and names the Product type by import string (the
catalogue's types import the Seller type); the reading stays here, with the catalogue.
`Seller.products` of a whole page of sellers is read in one query (a window per seller),
not one per seller.
"""

from __future__ import annotations

from django.conf import settings
from graphql_relay import cursor_to_offset

from marketplace.api.catalog import loaders
from marketplace.api.core import batch
from marketplace.api.core.connection import paginate
from marketplace.catalog import selectors
from marketplace.sellers.models import Seller as SellerModel


class _Prefetched:
    """The page `paginate` asks for, already read for every seller of the page."""

    def __init__(self, rows: list, count) -> None:
        self.rows = rows
        self._count = count

    def __getitem__(self, item: slice) -> list:
        return self.rows

    def count(self) -> int:
        return self._count()


def resolve_products(root: SellerModel, info, channel=None, first=None, after=None):
    # Checks first/after as every connection does, before anything is read.
    paginate([], first=first, after=after)
    channel_obj = loaders.channel_for(info, channel)
    user = info.context.user
    start = cursor_to_offset(after) + 1 if after is not None else 0
    size = first if first is not None else settings.GRAPHQL_MAX_FIRST
    rows = batch.load(
        info,
        f"seller.products:{channel_obj.pk}:{start}:{size}",
        root,
        key=lambda s: s.pk,
        fetch=lambda ids: selectors.rows_by_seller(
            user, channel_obj, ids, start=start, stop=start + size + 1
        ),
        default=list,
    )

    def count() -> int:
        return batch.load(
            info,
            f"seller.product_count:{channel_obj.pk}",
            root,
            key=lambda s: s.pk,
            fetch=lambda ids: selectors.counts_by_seller(user, channel_obj, ids),
            default=0,
        )

    return paginate(_Prefetched(rows, count), first=size, after=after)


def resolve_rating(root: SellerModel, info) -> float | None:
    return float(root.rating) if root.rating is not None else None
