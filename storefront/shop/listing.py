"""A listing page's query string, read leniently: whatever a visitor types or edits into
the address bar gives a page, never an error. Values that cannot be understood (a price
that is not a number, an unknown category, a forged cursor) are dropped and the form
shows what was actually applied."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from storefront.digits import whole_number

PAGE_SIZE = 24
MAX_QUERY_LENGTH = 100
# The API's cursors stay under 40 characters for any listing shorter than a hundred
# trillion products; a longer one is forged, and would point the API past its integers.
MAX_CURSOR_LENGTH = 40
# Larger than any real price, small enough to stay an exact float in the API's input.
MAX_TOMAN = Decimal(10) ** 12
RIALS_PER_TOMAN = 10

CONTROL = re.compile(r"[\x00-\x1f\x7f]")
CURSOR = re.compile(r"^[A-Za-z0-9+/=_-]+$")

# Sort key in the URL → the API's ProductOrder (None: relevance, or newest without a search).
SORTS: dict[str, dict[str, str] | None] = {
    "relevance": None,
    "newest": {"field": "CREATED", "direction": "DESC"},
    "price": {"field": "PRICE", "direction": "ASC"},
    "-price": {"field": "PRICE", "direction": "DESC"},
    "rating": {"field": "RATING", "direction": "DESC"},
}
SORT_LABELS = {
    "relevance": _("Relevance"),
    "newest": _("Newest"),
    "price": _("Price: low to high"),
    "-price": _("Price: high to low"),
    "rating": _("Rating"),
}


def parse_toman(raw: str | None) -> Decimal | None:
    """A whole toman amount typed with Persian, Arabic or Latin digits and any thousands
    separators; None for anything else (negative, fractional, huge, not a number)."""
    amount = whole_number(raw)
    if amount is None or amount > MAX_TOMAN:
        return None
    return Decimal(amount)


def clean_words(raw: str) -> str:
    """Search words with control characters (which PostgreSQL refuses) and runs of space
    removed, cut to a length no real search needs."""
    return " ".join(CONTROL.sub(" ", raw[: MAX_QUERY_LENGTH * 2]).split())[:MAX_QUERY_LENGTH]


def clean_cursor(raw: str | None) -> str | None:
    if not raw or len(raw) > MAX_CURSOR_LENGTH or not CURSOR.match(raw):
        return None
    return raw


@dataclass
class Listing:
    """The filters, sort and page a listing shows, as read from the query string."""

    q: str = ""
    category: str = ""
    cooperative: str = ""
    min_toman: Decimal | None = None
    max_toman: Decimal | None = None
    in_stock: bool = False
    sort: str = "relevance"
    after: str | None = None
    before: str | None = None
    # A category page has its category in the path, not in the query string.
    category_in_path: bool = False
    ignored: list[str] = field(default_factory=list)

    @classmethod
    def from_query(cls, params: QueryDict, *, category: str = "") -> Listing:
        listing = cls(
            q=clean_words(params.get("q", "")),
            category=category or params.get("category", "")[:200],
            category_in_path=bool(category),
            cooperative=params.get("cooperative", "")[:200],
            in_stock=params.get("stock") in {"1", "on", "true"},
            after=clean_cursor(params.get("after")),
            before=clean_cursor(params.get("before")),
        )
        for name in ("min", "max"):
            raw = params.get(name, "").strip()
            amount = parse_toman(raw)
            if raw and amount is None:
                listing.ignored.append(name)
            setattr(listing, f"{name}_toman", amount)
        sort = params.get("sort", "")
        listing.sort = sort if sort in SORTS else ("relevance" if listing.q else "newest")
        if listing.after and listing.before:
            listing.before = None
        return listing

    @property
    def is_filtered(self) -> bool:
        """Whether the filter form has anything beyond the search words to show."""
        return bool(
            self.cooperative
            or self.min_toman is not None
            or self.max_toman is not None
            or self.in_stock
            or self.ignored
            or (self.category and not self.category_in_path)
        )

    def variables(self, *, category_id: str | None, cooperative_id: str | None) -> dict[str, Any]:
        """The `products` arguments; prices go to the API in rial."""
        product_filter: dict[str, Any] = {}
        if category_id:
            product_filter["categories"] = [category_id]
        if cooperative_id:
            product_filter["cooperatives"] = [cooperative_id]
        price = {}
        if self.min_toman is not None:
            price["gte"] = float(self.min_toman * RIALS_PER_TOMAN)
        if self.max_toman is not None:
            price["lte"] = float(self.max_toman * RIALS_PER_TOMAN)
        if price:
            product_filter["price"] = price
        if self.in_stock:
            product_filter["isAvailable"] = True
        variables: dict[str, Any] = {
            "search": self.q or None,
            "filter": product_filter or None,
            "sortBy": SORTS[self.sort] if self.q or self.sort != "relevance" else None,
        }
        if self.before:
            variables.update(last=PAGE_SIZE, before=self.before)
        else:
            variables.update(first=PAGE_SIZE, after=self.after)
        return variables

    def query_string(self, **page: str) -> str:
        """This listing's query string, with `page` (after= or before=) added."""
        params = QueryDict(mutable=True)
        for name, value in (
            ("q", self.q),
            ("category", "" if self.category_in_path else self.category),
            ("cooperative", self.cooperative),
            ("min", "" if self.min_toman is None else str(self.min_toman)),
            ("max", "" if self.max_toman is None else str(self.max_toman)),
            ("stock", "1" if self.in_stock else ""),
            ("sort", self.sort),
            *page.items(),
        ):
            if value:
                params[name] = value
        return params.urlencode()
