"""The GraphQL documents of the cart (which is the checkout)."""

from __future__ import annotations

PAYMENT_GATEWAY = "cod"

_ERRORS = "errors { field code message }"

# What the cart page shows; every mutation answers the same shape, so a redirect after
# it only needs the checkout's size.
CHECKOUT_FIELDS = """
  id email voucherCode quantity
  lines { id }
  groups {
    id
    fulfiller { __typename ... on Cooperative { name slug } ... on Seller { name slug } }
    lines {
      id quantity isAvailable
      unitPrice { gross { amount currency } }
      totalPrice { gross { amount currency } }
      variant {
        id name quantityAvailable
        product { name slug thumbnail(size: 160) { url alt } seller { name } }
      }
    }
    availableDeliveryMethods { id name kind price { amount currency } minDays maxDays }
    deliveryMethod { id name }
    shippingPrice { amount currency }
    subtotalPrice { gross { amount currency } }
  }
  shippingAddress {
    country firstName lastName phone countryArea city streetAddress1 streetAddress2 postalCode
    province { code }
  }
  subtotalPrice { gross { amount currency } }
  shippingPrice { gross { amount currency } }
  discount { amount currency }
  totalPrice { gross { amount currency } }
  availablePaymentGateways { id name }
"""

SMALL_FIELDS = "id quantity"

CART_PAGE = (
    """
query CartPage($id: ID!, $signedIn: Boolean!) {
  checkout(id: $id) { """
    + CHECKOUT_FIELDS
    + """ }
  provinces { code name }
  myAddresses @include(if: $signedIn) {
    id country firstName lastName phone countryArea city streetAddress1 streetAddress2 postalCode
    isDefault province { code }
  }
}
"""
)

_SAVED = (
    "country firstName lastName phone countryArea city streetAddress1 streetAddress2 postalCode "
    "province { code }"
)
SAVED_AND_SHIPPING = (
    "query SavedAndShipping($id: ID!) { checkout(id: $id) { shippingAddress { "
    + _SAVED
    + " } } myAddresses { "
    + _SAVED
    + " } }"
)
ACCOUNT_ADDRESS_CREATE = (
    "mutation Remember($input: AddressInput!) { accountAddressCreate(input: $input) "
    "{ address { id } " + _ERRORS + " } }"
)

SIZE = "query CartSize($id: ID!) { checkout(id: $id) { " + SMALL_FIELDS + " } }"
MY_CHECKOUT = (
    "query MyCheckout($channel: String) { myCheckout(channel: $channel) { " + SMALL_FIELDS + " } }"
)


def _mutation(name: str, signature: str, arguments: str) -> str:
    return (
        f"mutation M({signature}) {{ {name}({arguments}) "
        f"{{ checkout {{ {SMALL_FIELDS} }} {_ERRORS} }} }}"
    )


CREATE = _mutation("checkoutCreate", "$input: CheckoutCreateInput!", "input: $input")
LINES_ADD = _mutation(
    "checkoutLinesAdd", "$id: ID!, $lines: [CheckoutLineInput!]!", "id: $id, lines: $lines"
)
LINES_UPDATE = _mutation(
    "checkoutLinesUpdate", "$id: ID!, $lines: [CheckoutLineInput!]!", "id: $id, lines: $lines"
)
EMAIL_UPDATE = _mutation(
    "checkoutEmailUpdate", "$id: ID!, $email: String!", "id: $id, email: $email"
)
ADDRESS_UPDATE = _mutation(
    "checkoutShippingAddressUpdate",
    "$id: ID!, $address: AddressInput!",
    "id: $id, shippingAddress: $address",
)
DELIVERY_UPDATE = _mutation(
    "checkoutDeliveryMethodUpdate",
    "$id: ID!, $group: ID!, $method: ID!",
    "id: $id, groupId: $group, deliveryMethodId: $method",
)
PROMO_ADD = _mutation(
    "checkoutAddPromoCode", "$id: ID!, $code: String!", "id: $id, promoCode: $code"
)
PROMO_REMOVE = _mutation("checkoutRemovePromoCode", "$id: ID!", "id: $id")
ATTACH = _mutation("checkoutCustomerAttach", "$id: ID!", "id: $id")

_PLACED = """
    order {
      id number email status paymentStatus total { gross { amount currency } }
      shipments {
        id cashToCollect { amount currency }
        fulfiller { ... on Cooperative { name } ... on Seller { name } }
      }
    }
    payment { id gateway status action { kind url clientSecret } }
"""

COMPLETE = (
    """
mutation Complete($id: ID!, $gateway: String!, $redirect: String) {
  checkoutComplete(id: $id, paymentGateway: $gateway, redirectUrl: $redirect) {"""
    + _PLACED
    + _ERRORS
    + """
  }
}
"""
)

ORDER_PAY = (
    """
mutation Pay($id: ID!, $gateway: String!, $redirect: String) {
  orderPay(id: $id, paymentGateway: $gateway, redirectUrl: $redirect) {"""
    + _PLACED
    + _ERRORS
    + """
  }
}
"""
)

PAID_ORDER = """
query PaidOrder($id: ID!) {
  order(id: $id) { id number status paymentStatus total { gross { amount currency } } }
}
"""

GATEWAYS = "query Gateways($id: ID!) { checkout(id: $id) { availablePaymentGateways { id name } } }"
