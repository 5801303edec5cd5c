"""The GraphQL documents the panel sends. Pages ask only for what they show: producers
open them on weak connections."""

ERRORS = "errors { field code message }"

PANEL_ME = """
query PanelMe {
  me {
    id email phone firstName lastName
    seller {
      id name slug status description
      village { id name county }
      cooperative { id name slug warehouses { id name } }
      warehouses { id name }
    }
    cooperatives { id name slug }
  }
}
"""

COOPERATIVE_CHOICES = """
query CooperativeChoices { cooperatives(first: 100) { edges { node { id name } } } }
"""

VILLAGE_SEARCH = """
query VillageSearch($q: String!) {
  villages(search: $q, first: 20) { edges { node { id name county } } }
}
"""

VILLAGE_PROPOSE = f"""
mutation VillagePropose($name: String!, $county: String!) {{
  villagePropose(name: $name, county: $county) {{ village {{ id name county }} {ERRORS} }}
}}
"""

PROPOSED_VILLAGES = """
query PanelProposedVillages {
  proposedVillages(first: 100) { totalCount edges { node { id name county province } } }
}
"""

VILLAGE_CONFIRM = f"""
mutation PanelVillageConfirm($id: ID!) {{
  villageConfirm(id: $id) {{ village {{ id isConfirmed }} {ERRORS} }}
}}
"""

CATEGORY_CHOICES = """
query CategoryChoices { categories(first: 100) { edges { node { id name parent { id name } } } } }
"""

SELLER_CREATE = f"""
mutation Apply($input: SellerCreateInput!) {{
  sellerCreate(input: $input) {{ seller {{ id status }} {ERRORS} }}
}}
"""

PRODUCT_LIST = """
query PanelProducts($sellers: [ID!], $cooperatives: [ID!], $after: String) {
  products(filter: {sellers: $sellers, cooperatives: $cooperatives}, first: 30, after: $after,
           sortBy: {field: CREATED, direction: DESC}) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node {
      id name isPublished
      seller { id name }
      thumbnail(size: 160) { url alt }
      pricing(channel: "ir") { priceRange { start { gross { amount currency } } } }
    } }
  }
}
"""

MEMBER_PRODUCTS = """
query PanelMemberProducts($cooperatives: [ID!], $sellers: [ID!], $search: String,
                          $available: Boolean, $after: String) {
  products(search: $search, first: 30, after: $after, sortBy: {field: CREATED, direction: DESC},
           filter: {cooperatives: $cooperatives, sellers: $sellers, isAvailable: $available}) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node {
      id name isPublished
      seller { id name }
      variants { id quantityAvailable }
      pricing(channel: "ir") { priceRange { start { gross { amount currency } } } }
    } }
  }
}
"""

PRODUCT_FOR_EDIT = """
query PanelProduct($id: ID!) {
  product(id: $id, channel: "ir") {
    id name description isPublished
    category { id }
    origin { id name county }
    seller {
      id name warehouses { id name }
      cooperative { id name slug warehouses { id name } }
    }
    thumbnail(size: 320) { url alt }
    media { id alt url(size: 160) }
    variants {
      id name weight
      pricing(channel: "ir") { price { gross { amount currency } } }
      stocks { warehouse { id name } quantity quantityAllocated }
    }
  }
}
"""

SELLER_FOR_NEW_PRODUCT = """
query PanelSeller($id: ID!) {
  seller(id: $id) {
    id name status
    village { id name county }
    warehouses { id name }
    cooperative { id name slug warehouses { id name } }
  }
}
"""

PRODUCT_CREATE = f"""
mutation PanelProductCreate($input: ProductCreateInput!) {{
  productCreate(input: $input) {{ product {{ id }} {ERRORS} }}
}}
"""

PRODUCT_UPDATE = f"""
mutation PanelProductUpdate($id: ID!, $input: ProductUpdateInput!) {{
  productUpdate(id: $id, input: $input) {{ product {{ id isPublished }} {ERRORS} }}
}}
"""

PRODUCT_DELETE = f"""
mutation PanelProductDelete($id: ID!) {{ productDelete(id: $id) {{ {ERRORS} }} }}
"""

VARIANT_CREATE = f"""
mutation PanelVariantCreate($input: ProductVariantCreateInput!) {{
  productVariantCreate(input: $input) {{ productVariant {{ id }} {ERRORS} }}
}}
"""

VARIANT_PRICES = f"""
mutation PanelVariantPrices($id: ID!, $prices: [ChannelPriceInput!]!) {{
  productVariantPricesUpdate(variantId: $id, channelListings: $prices) {{ {ERRORS} }}
}}
"""

VARIANT_STOCKS = f"""
mutation PanelVariantStocks($id: ID!, $stocks: [StockInput!]!) {{
  productVariantStocksUpdate(variantId: $id, stocks: $stocks) {{ {ERRORS} }}
}}
"""

VARIANT_UPDATE = f"""
mutation PanelVariantUpdate($id: ID!, $input: ProductVariantUpdateInput!) {{
  productVariantUpdate(id: $id, input: $input) {{ {ERRORS} }}
}}
"""

MEDIA_CREATE = f"""
mutation PanelPhoto($input: ProductMediaCreateInput!) {{
  productMediaCreate(input: $input) {{ media {{ id }} {ERRORS} }}
}}
"""

MEDIA_DELETE = f"""
mutation PanelPhotoDelete($id: ID!) {{ productMediaDelete(id: $id) {{ {ERRORS} }} }}
"""

MEDIA_REORDER = f"""
mutation PanelPhotoOrder($product: ID!, $media: [ID!]!) {{
  productMediaReorder(productId: $product, mediaIds: $media) {{ {ERRORS} }}
}}
"""

WAREHOUSE_CREATE = f"""
mutation PanelWarehouse($input: WarehouseInput!) {{
  warehouseCreate(input: $input) {{ warehouse {{ id name }} {ERRORS} }}
}}
"""

SELLER_SALES = """
query PanelSales($id: ID!, $after: String) {
  seller(id: $id) {
    id
    sales(first: 30, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node {
        orderNumber shipmentStatus created
        line { productName variantName quantity totalPrice { gross { amount currency } } }
      } }
    }
  }
}
"""

COOPERATIVE_DESK = """
query PanelCooperative($slug: String!) {
  cooperative(slug: $slug) {
    id name slug
    applicants(first: 100) {
      totalCount
      edges { node { id name description phone village { name county } } }
    }
    members(first: 100) { totalCount edges { node { id name status } } }
    warehouses { id name }
  }
}
"""

SELLER_APPROVE = f"""
mutation PanelApprove($id: ID!) {{ sellerApprove(id: $id) {{ seller {{ id status }} {ERRORS} }} }}
"""

SELLER_REJECT = f"""
mutation PanelReject($id: ID!, $reason: String!) {{
  sellerReject(id: $id, reason: $reason) {{ seller {{ id status }} {ERRORS} }}
}}
"""

MONEY = "{ amount currency }"
PAYOUTS = f"""payouts(first: 20) {{ edges {{ node {{
  id amount {MONEY} status method reference created }} }} }}"""

SELLER_EARNINGS = f"""
query SellerEarnings($id: ID!) {{
  seller(id: $id) {{
    id name
    balance(channel: "ir") {{ pending {MONEY} available {MONEY} paidOut {MONEY} }}
    pendingOrders(channel: "ir") {{ orderNumber amount {MONEY} }}
    {PAYOUTS}
  }}
}}
"""

COOPERATIVE_FINANCE = f"""
query CooperativeFinance($slug: String!, $start: Date!, $end: Date!) {{
  cooperative(slug: $slug) {{
    id name slug feeRate
    balance(channel: "ir") {{ pending {MONEY} available {MONEY} paidOut {MONEY} cashHeld {MONEY} }}
    feesEarned(start: $start, end: $end, channel: "ir") {MONEY}
    members(first: 100) {{ edges {{ node {{
      id name balance(channel: "ir") {{ pending {MONEY} available {MONEY} paidOut {MONEY} }}
    }} }} }}
    {PAYOUTS}
  }}
}}
"""

SELLER_STATEMENT = """
query SellerStatement($id: ID!, $start: Date!, $end: Date!, $format: String) {
  seller(id: $id) { statementUrl(start: $start, end: $end, format: $format) }
}
"""

COOPERATIVE_STATEMENT = """
query CooperativeStatement($id: ID!, $start: Date!, $end: Date!, $format: String) {
  cooperative(id: $id) { statementUrl(start: $start, end: $end, format: $format) }
}
"""
