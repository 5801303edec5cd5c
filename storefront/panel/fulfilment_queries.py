"""GraphQL documents of the fulfilment desk."""

ERRORS = "errors { field code message }"

DESK = """
query Desk($cooperative: ID, $filter: ShipmentDeskFilterInput, $after: String) {
  shipmentDesk(cooperative: $cooperative, filter: $filter) {
    counts { status count }
    shipments(first: 50, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node {
        id status created carrier trackingNumber trackingUrl packingSlipUrl labelUrl
        cashToCollect { amount currency } cashCollected { amount currency }
        shortAmount { amount currency }
        order { number shippingAddress { firstName lastName city streetAddress1 phone } }
        deliveryMethod { name kind }
        lines { id productName variantName quantity seller { name } }
      } }
    }
  }
}
"""

DOCUMENTS = """
query Documents($kind: String!, $ids: [ID!]!) { shipmentDocumentsUrl(kind: $kind, ids: $ids) }
"""

SHIPMENT_FIELDS = f"shipment {{ id status }} {ERRORS}"

PACK = f"""
mutation Pack($id: ID!, $lines: [PackLineInput!]) {{
  shipmentPack(id: $id, lines: $lines) {{ {SHIPMENT_FIELDS} }}
}}
"""

SHIP = f"""
mutation Ship($id: ID!, $input: ShipInput) {{
  shipmentShip(id: $id, input: $input) {{ {SHIPMENT_FIELDS} }}
}}
"""

DELIVER = f"""
mutation Deliver($id: ID!, $cash: Float) {{
  shipmentDeliver(id: $id, cashCollected: $cash) {{ {SHIPMENT_FIELDS} }}
}}
"""

PICKUP = f"""
mutation Pickup($id: ID!, $code: String!) {{
  shipmentPickupCheck(id: $id, code: $code) {{ {SHIPMENT_FIELDS} }}
}}
"""

DESK_COUNTS = """
query DeskCounts($cooperative: ID) {
  shipmentDesk(cooperative: $cooperative) { counts { status count } }
}
"""
