"""The buyers' pages: home, listings (search and category), product, seller and
cooperative. Each reads what it shows from the API in one query (listings add the
filter form's choices, which anonymous readers get from the API's cache)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from storefront import channel, client
from storefront.shop import queries
from storefront.shop.listing import SORT_LABELS, Listing

MAX_SLUG_LENGTH = 200


def _nodes(connection: dict | None) -> list[dict]:
    return [edge["node"] for edge in (connection or {}).get("edges") or []]


def _lookup(request: HttpRequest, document: str, slug: str, root: str, **extra: Any) -> dict:
    """The object `root` named by `slug`, or 404."""
    if len(slug) > MAX_SLUG_LENGTH:
        raise Http404
    try:
        found = client.query(request, document, {"slug": slug, **extra}).get(root)
    except client.APIError:
        found = None
    if not found:
        raise Http404
    return found


def home(request: HttpRequest) -> HttpResponse:
    data = client.query(request, queries.HOME, {"channel": channel.current(request)})
    return render(
        request,
        "storefront/shop/home.html",
        {
            "products": _nodes(data["fresh"]),
            "categories": _nodes(data["categories"]),
            "cooperatives": _nodes(data["cooperatives"]),
        },
    )


def _parent_slug(category: dict) -> str | None:
    return (category.get("parent") or {}).get("slug")


def _category_tree(categories: list[dict]) -> list[tuple[dict, str]]:
    """Categories in tree order with an indent showing their depth, for the filter's
    select (options cannot be styled)."""
    children: dict[str | None, list[dict]] = {}
    for category in categories:
        children.setdefault(_parent_slug(category), []).append(category)
    ordered: list[tuple[dict, str]] = []

    def walk(parent: str | None, depth: int) -> None:
        for category in children.get(parent, []):
            ordered.append((category, "– " * depth))
            if depth < 5:
                walk(category["slug"], depth + 1)

    walk(None, 0)
    return ordered


def _listing_data(
    request: HttpRequest, document: str, listing: Listing, ids: dict[str, str | None]
) -> dict:
    """The listing's data; a cursor the API refuses (forged or stale) gives the first page
    instead of an error."""
    try:
        return client.query(request, document, _variables(request, listing, ids))
    except client.APIError:
        if not (listing.after or listing.before):
            raise
        listing.after = listing.before = None
        return client.query(request, document, _variables(request, listing, ids))


def _variables(request: HttpRequest, listing: Listing, ids: dict[str, str | None]) -> dict:
    variables = {**listing.variables(**ids), "channel": channel.current(request)}
    if variables["channel"] != channel.DEFAULT and variables.get("filter"):
        # The price bounds are typed in toman: they mean nothing in another currency.
        variables["filter"] = {k: v for k, v in variables["filter"].items() if k != "price"}
    return variables


def _pages(listing: Listing, page: dict, path: str) -> dict[str, str | None]:
    info = page["pageInfo"]
    backwards = listing.before is not None
    has_next = backwards or info["hasNextPage"]
    has_previous = info["hasPreviousPage"] if backwards else listing.after is not None
    return {
        "next": f"{path}?{listing.query_string(after=info['endCursor'])}"
        if has_next and info["endCursor"]
        else None,
        "previous": f"{path}?{listing.query_string(before=info['startCursor'])}"
        if has_previous and info["startCursor"]
        else None,
    }


def _no_results(request: HttpRequest, listing: Listing, categories: list[dict]) -> dict:
    """What a search that found nothing offers instead of a dead end: words of the
    catalogue spelt like the query's, the top categories and the newest products."""
    try:
        data = client.query(
            request,
            queries.NO_RESULTS,
            {"search": listing.q, "channel": channel.current(request)},
        )
    except client.APIError:
        data = {}
    return {
        "suggestions": [
            {"word": word, "url": f"{request.path}?{urlencode({'q': word})}"}
            for word in data.get("searchSuggestions") or []
        ],
        "top_categories": [c for c in categories if not c.get("parent")],
        "newest": _nodes(data.get("newest")),
        "unfiltered_url": f"{request.path}?{urlencode({'q': listing.q})}"
        if listing.is_filtered
        else None,
    }


def _listing(request: HttpRequest, *, category_slug: str = "") -> HttpResponse:
    listing = Listing.from_query(request.GET, category=category_slug)
    unnamed = {"category_id": None, "cooperative_id": None}
    if listing.category or listing.cooperative:
        facets = client.query(request, queries.FACETS)
    else:
        facets = _listing_data(request, queries.LISTING_WITH_FACETS, listing, unnamed)
    categories = _nodes(facets["categories"])
    cooperatives = _nodes(facets["cooperatives"])
    category = next((c for c in categories if c["slug"] == listing.category), None)
    if category_slug and category is None:
        raise Http404
    if category is None:
        listing.category = ""
    cooperative = next((c for c in cooperatives if c["slug"] == listing.cooperative), None)
    if cooperative is None:
        listing.cooperative = ""
    ids = {
        "category_id": category["id"] if category else None,
        "cooperative_id": cooperative["id"] if cooperative else None,
    }
    if ids == unnamed and "products" in facets:
        page = facets["products"]
    else:
        page = _listing_data(request, queries.LISTING, listing, ids)["products"]
    by_slug = {c["slug"]: c for c in categories}
    parent = by_slug.get(_parent_slug(category)) if category else None
    products = _nodes(page)
    searched_in_vain = not products and listing.q and not (listing.after or listing.before)
    return render(
        request,
        "storefront/shop/listing.html",
        {
            "listing": listing,
            "search_query": listing.q,
            "category": category,
            "parent_category": parent,
            "subcategories": [
                c for c in categories if category and _parent_slug(c) == category["slug"]
            ],
            "category_choices": _category_tree(categories),
            "cooperatives": cooperatives,
            "sorts": SORT_LABELS.items(),
            "products": products,
            "total": page.get("totalCount") or 0,
            "pages": _pages(listing, page, request.path),
            "no_results": _no_results(request, listing, categories) if searched_in_vain else None,
        },
    )


def search(request: HttpRequest) -> HttpResponse:
    return _listing(request)


def category(request: HttpRequest, slug: str) -> HttpResponse:
    if len(slug) > MAX_SLUG_LENGTH:
        raise Http404
    return _listing(request, category_slug=slug)


def product(request: HttpRequest, slug: str) -> HttpResponse:
    shop_channel = channel.current(request)
    elsewhere = False
    try:
        found = _lookup(request, queries.PRODUCT, slug, "product", channel=shop_channel)
    except Http404:
        if shop_channel == channel.DEFAULT:
            raise
        # Not sold in this channel: the page stays readable, without a price or cart.
        found = _lookup(request, queries.PRODUCT, slug, "product", channel=channel.DEFAULT)
        elsewhere = True
    variants = [] if elsewhere else found["variants"]
    more = [p for p in _nodes(found["seller"]["products"]) if p["slug"] != found["slug"]][:4]
    chosen = next((v for v in variants if v["quantityAvailable"] > 0), None)
    return render(
        request,
        "storefront/shop/product.html",
        {
            "product": found,
            "variants": variants,
            "chosen_variant": chosen or (variants[0] if variants else None),
            "in_stock": chosen is not None,
            "more_from_seller": more,
            "elsewhere": elsewhere,
        },
    )


def seller(request: HttpRequest, slug: str) -> HttpResponse:
    after = request.GET.get("after") or None
    shop_channel = channel.current(request)
    try:
        found = _lookup(request, queries.SELLER, slug, "seller", after=after, channel=shop_channel)
    except Http404:
        if after is None:
            raise
        found = _lookup(request, queries.SELLER, slug, "seller", after=None, channel=shop_channel)
        after = None
    if found["status"] != "APPROVED":
        raise Http404
    page = found["products"]
    info = page["pageInfo"]
    return render(
        request,
        "storefront/shop/seller.html",
        {
            "seller": found,
            "products": _nodes(page),
            "total": page.get("totalCount") or 0,
            "pages": {
                "next": f"{request.path}?after={info['endCursor']}"
                if info["hasNextPage"] and info["endCursor"]
                else None,
                # A seller's products page only forwards; the way back is to the start.
                "first": request.path if after else None,
            },
        },
    )


def cooperative(request: HttpRequest, slug: str) -> HttpResponse:
    found = _lookup(request, queries.COOPERATIVE, slug, "cooperative")
    page = client.query(
        request,
        queries.COOPERATIVE_PRODUCTS,
        {"cooperative": found["id"], "channel": channel.current(request)},
    )
    members = [m for m in _nodes(found["members"]) if m.get("status") == "APPROVED"]
    return render(
        request,
        "storefront/shop/cooperative.html",
        {
            "cooperative": found,
            "members": members,
            "products": _nodes(page["products"]),
            "total": page["products"].get("totalCount") or 0,
        },
    )
