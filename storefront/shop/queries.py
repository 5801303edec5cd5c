"""The GraphQL documents of the buyers' pages: one document per page, asking for exactly
what its template shows. Product cards share one fragment, with thumbnails at the card's
width and twice that for dense screens (the API's sizes: 120, 240, 480, 960)."""

CARD = """
fragment Card on Product {
  id name slug isAvailable rating reviewCount
  thumbnail(size: 240) { url alt }
  thumbnail2x: thumbnail(size: 480) { url }
  pricing { priceRange { start { gross { amount currency } } stop { gross { amount currency } } } }
  seller { name slug }
  origin { name }
}
"""

PAGE = "pageInfo { hasNextPage hasPreviousPage startCursor endCursor }"

HOME = (
    """
query Home($channel: String) {
  fresh: products(channel: $channel, first: 12, filter: {isAvailable: true}) {
    edges { node { ...Card } }
  }
  categories(level: 0, first: 100) { edges { node { name slug children { name slug } } } }
  cooperatives(first: 20) {
    edges { node { name slug description members(first: 1) { totalCount } } }
  }
}
"""
    + CARD
)

# Everything a listing's filter form offers; anonymous readers get it from the API's
# response cache.
FACET_FIELDS = """
  categories(first: 100) { edges { node { id name slug parent { slug } } } }
  cooperatives(first: 100) { edges { node { id name slug } } }
"""
FACETS = "query Facets {" + FACET_FIELDS + "}"

LISTING_ARGUMENTS = """($channel: String, $search: String, $filter: ProductFilterInput,
  $sortBy: ProductOrder, $first: Int, $after: String, $last: Int, $before: String)"""
PRODUCTS_PAGE = (
    """
  products(channel: $channel, search: $search, filter: $filter, sortBy: $sortBy,
           first: $first, after: $after, last: $last, before: $before) {
    totalCount
    edges { node { ...Card } }
    """
    + PAGE
    + """
  }
"""
)
LISTING = "query Listing" + LISTING_ARGUMENTS + "{" + PRODUCTS_PAGE + "}" + CARD
# A listing that filters by nothing named in its query string needs no IDs first: the
# filter form's choices and the products come in one request.
LISTING_WITH_FACETS = (
    "query ListingWithFacets" + LISTING_ARGUMENTS + "{" + FACET_FIELDS + PRODUCTS_PAGE + "}" + CARD
)

# A search that found nothing: other spellings to try and the newest products.
NO_RESULTS = (
    """
query NoResults($search: String!, $channel: String) {
  searchSuggestions(search: $search)
  newest: products(channel: $channel, first: 8, filter: {isAvailable: true}) {
    edges { node { ...Card } }
  }
}
"""
    + CARD
)

PRODUCT = (
    """
query Product($slug: String!, $channel: String) {
  product(slug: $slug, channel: $channel) {
    id name slug description isAvailable rating reviewCount
    reviews(first: 20) {
      pageInfo { hasNextPage }
      edges { node { id rating text author reply created } }
    }
    category { name slug parent { name slug } }
    origin { name county province }
    media { id alt url(size: 480) large: url(size: 960) small: url(size: 120) }
    variants {
      id name sku quantityAvailable weight
      pricing { price { gross { amount currency } } }
    }
    pricing {
      priceRange { start { gross { amount currency } } stop { gross { amount currency } } }
    }
    attributes { name value }
    seller {
      name slug description
      village { name county province }
      products(channel: $channel, first: 5) { edges { node { ...Card } } }
    }
    cooperative { name slug description }
  }
}
"""
    + CARD
)

SELLER = (
    """
query Seller($slug: String!, $after: String, $channel: String) {
  seller(slug: $slug) {
    name slug description status rating reviewCount photoUrl
    village { name county province }
    cooperative { name slug }
    products(channel: $channel, first: 24, after: $after) {
      totalCount
      edges { node { ...Card } }
      """
    + PAGE
    + """
    }
  }
}
"""
    + CARD
)

COOPERATIVE = """
query Cooperative($slug: String!) {
  cooperative(slug: $slug) {
    id name slug description address phone
    members(first: 100) {
      totalCount
      edges { node { name slug status village { name county } } }
    }
  }
}
"""

COOPERATIVE_PRODUCTS = (
    """
query CooperativeProducts($cooperative: ID!, $channel: String) {
  products(channel: $channel, first: 12, filter: {cooperatives: [$cooperative]}) {
    totalCount
    edges { node { ...Card } }
  }
}
"""
    + CARD
)

SHOP = """
query Shop {
  shop { phone email address about returnPolicy terms trustSeal { url imageUrl } }
}
"""
