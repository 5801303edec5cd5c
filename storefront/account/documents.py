"""The GraphQL documents of the account pages."""

from __future__ import annotations

_ERRORS = "errors { field code message }"

TOKEN_CREATE = (
    "mutation SignIn($login: String!, $password: String!) { "
    "tokenCreate(email: $login, password: $password) { token refreshToken " + _ERRORS + " } }"
)
REGISTER = (
    "mutation SignUp($input: AccountRegisterInput!) { "
    "accountRegister(input: $input) { user { id } " + _ERRORS + " } }"
)

ME = (
    "query Me { me { id email phone firstName lastName hasPassword } "
    "notificationPreferences { kind label delivery optional } }"
)
REQUEST_CODE = (
    "mutation RequestCode($phone: String!) { accountRequestLoginCode(phone: $phone) { "
    + _ERRORS
    + " } }"
)
CODE_SIGN_IN = (
    "mutation CodeSignIn($phone: String!, $code: String!) { "
    "tokenCreateFromLoginCode(phone: $phone, code: $code) { token refreshToken " + _ERRORS + " } }"
)
SET_PASSWORD = (
    "mutation SetPassword($password: String!) { accountSetPassword(password: $password) { "
    "token refreshToken " + _ERRORS + " } }"
)
PREFERENCE_UPDATE = (
    "mutation Preference($kind: String!, $delivery: String!) { "
    "notificationPreferenceUpdate(kind: $kind, delivery: $delivery) { " + _ERRORS + " } }"
)

_MONEY = "{ gross { amount currency } }"

ORDERS = (
    """
query Orders($first: Int!, $after: String) {
  me {
    orders(first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node { id number status paymentStatus payments { gateway } created total """
    + _MONEY
    + """ shipments { id status } } }
    }
  }
}
"""
)

ORDER = (
    """
query Order($id: ID!) {
  order(id: $id) {
    id number status paymentStatus payments { gateway } created canCancel voucherCode email
    subtotal """
    + _MONEY
    + " shippingPrice "
    + _MONEY
    + " total "
    + _MONEY
    + """
    discount { amount currency }
    shippingAddress {
      firstName lastName phone countryArea city streetAddress1 streetAddress2 postalCode
    }
    shipments {
      id status carrier trackingNumber trackingUrl pickupCode
      shortAmount { amount currency }
      cashToCollect { amount currency }
      events { type date message }
      fulfiller { __typename ... on Cooperative { name } ... on Seller { name } }
      deliveryMethod { name }
      shippingPrice { amount currency }
      lines { id productName variantName quantity unitPrice """
    + _MONEY
    + " totalPrice "
    + _MONEY
    + """ seller { name } canReview review { rating text reply } }
    }
    returns {
      id status statusDisplay reasonDisplay text note created disputeUntil
      amount { amount currency } refund { amount currency } refundPending refundHeld
      lines { line { id productName variantName } quantity }
      photos { url }
    }
  }
}
"""
)

ORDER_CONFIRM_RECEIPT = (
    "mutation Received($id: ID!) { orderConfirmReceipt(id: $id) { order { id status } "
    + _ERRORS
    + " } }"
)

ORDER_CANCEL = (
    "mutation Cancel($id: ID!) { orderCancel(id: $id) { order { id status } " + _ERRORS + " } }"
)

_ADDRESS = (
    "id country firstName lastName phone countryArea city streetAddress1 streetAddress2 postalCode "
    "isDefault province { code }"
)

ADDRESSES = "query Addresses { myAddresses { " + _ADDRESS + " } }"
ADDRESS_FORM = "query AddressForm { provinces { code name } myAddresses { " + _ADDRESS + " } }"


def _address_mutation(name: str, signature: str, arguments: str) -> str:
    return f"mutation A({signature}) {{ {name}({arguments}) {{ address {{ id }} {_ERRORS} }} }}"


ADDRESS_CREATE = _address_mutation("accountAddressCreate", "$input: AddressInput!", "input: $input")
ADDRESS_UPDATE = _address_mutation(
    "accountAddressUpdate", "$id: ID!, $input: AddressInput!", "id: $id, input: $input"
)
ADDRESS_DELETE = _address_mutation("accountAddressDelete", "$id: ID!", "id: $id")
ADDRESS_DEFAULT = _address_mutation("accountAddressSetDefault", "$id: ID!", "id: $id")
