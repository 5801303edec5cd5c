"""The GraphQL documents the checkout API tests send, and their input."""

from __future__ import annotations

from marketplace.catalog.models import ProductVariant
from tests.support import gid

ADDRESS = {
    "firstName": "سارا",
    "lastName": "احمدی",
    "phone": "۰۹۱۲۱۲۳۴۵۶۷",
    "countryArea": "خراسان رضوی",
    "city": "مشهد",
    "streetAddress1": "خیابان امام رضا، پلاک ۱",
    "postalCode": "۹۱۷۷۹۴۸۹۷۴",
}

CHECKOUT_FIELDS = """
  id email voucherCode quantity
  channel { slug currencyCode }
  lines { id quantity isAvailable
          variant { id sku quantityAvailable pricing { price { gross { amount } } }
                    product { name thumbnail { url } seller { name } } }
          unitPrice { gross { amount } } totalPrice { gross { amount currency } net { amount } tax { amount } } }
  groups { id weight
           fulfiller { __typename ... on Cooperative { name } ... on Seller { name } }
           lines { id quantity }
           availableDeliveryMethods { id name kind price { amount currency } minDays maxDays }
           deliveryMethod { id name price { amount } }
           shippingPrice { amount currency }
           subtotalPrice { gross { amount } } }
  shippingAddress { firstName lastName phone country countryArea city streetAddress1 streetAddress2 postalCode }
  subtotalPrice { gross { amount currency } }
  shippingPrice { gross { amount } }
  discount { amount currency }
  totalPrice { gross { amount currency } net { amount } tax { amount } }
  availablePaymentGateways { id name }
"""

PAYLOAD = "checkout { " + CHECKOUT_FIELDS + " } errors { field code message }"

CREATE = (
    "mutation($input: CheckoutCreateInput!) { checkoutCreate(input: $input) { " + PAYLOAD + " } }"
)
LINES_ADD = (
    "mutation($id: ID!, $lines: [CheckoutLineInput!]!) { checkoutLinesAdd(id: $id, lines: $lines) { "
    + PAYLOAD
    + " } }"
)
LINES_UPDATE = (
    "mutation($id: ID!, $lines: [CheckoutLineInput!]!) { checkoutLinesUpdate(id: $id, lines: $lines) { "
    + PAYLOAD
    + " } }"
)
EMAIL_UPDATE = (
    "mutation($id: ID!, $email: String!) { checkoutEmailUpdate(id: $id, email: $email) { "
    + PAYLOAD
    + " } }"
)
ADDRESS_UPDATE = (
    "mutation($id: ID!, $address: AddressInput!) { checkoutShippingAddressUpdate(id: $id, shippingAddress: $address) { "
    + PAYLOAD
    + " } }"
)
DELIVERY_UPDATE = (
    "mutation($id: ID!, $group: ID!, $method: ID!) { checkoutDeliveryMethodUpdate(id: $id, groupId: $group, deliveryMethodId: $method) { "
    + PAYLOAD
    + " } }"
)
PROMO_ADD = (
    "mutation($id: ID!, $code: String!) { checkoutAddPromoCode(id: $id, promoCode: $code) { "
    + PAYLOAD
    + " } }"
)
PROMO_REMOVE = "mutation($id: ID!) { checkoutRemovePromoCode(id: $id) { " + PAYLOAD + " } }"
ATTACH = "mutation($id: ID!) { checkoutCustomerAttach(id: $id) { " + PAYLOAD + " } }"
QUERY = "query($id: ID!) { checkout(id: $id) { " + CHECKOUT_FIELDS + " } }"
MY_CHECKOUT = "query($channel: String) { myCheckout(channel: $channel) { id quantity lines { quantity variant { id } } } }"
VARIANT_AVAILABLE = (
    "query($id: ID!) { node(id: $id) { ... on ProductVariant { quantityAvailable } } }"
)


def line(variant: ProductVariant, quantity: int) -> dict:
    return {"variantId": gid("ProductVariant", variant.pk), "quantity": quantity}
