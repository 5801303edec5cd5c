"""Checkout queries and mutations. Only translation: IDs in, the service's CheckoutInfo
out (kept on the request, so the answer costs no second computation); the rules are in
marketplace.checkout, and checkoutComplete's (placing the order) in marketplace.orders."""

from __future__ import annotations

import graphene
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from marketplace.api.accounts.addresses import AddressInput
from marketplace.api.catalog.loaders import channel_for
from marketplace.api.checkout.types import Checkout, decode_group, decode_token, remember
from marketplace.api.core.errors import query_error, to_errors
from marketplace.api.core.ids import decode_id
from marketplace.api.core.mutations import BaseMutation, Payload, client_address
from marketplace.api.orders.types import Order
from marketplace.api.payments.types import Payment
from marketplace.checkout import selectors, services
from marketplace.checkout.models import Checkout as CheckoutModel
from marketplace.core.errors import DomainError, ErrorCode, ErrorCollector
from marketplace.orders import services as order_services
from marketplace.payments.models import PaymentStatus


def _checkout(info, value: str | None, *, field: str = "id") -> CheckoutModel:
    checkout = selectors.checkout_for(info.context.user, decode_token(value, field=field))
    if checkout is None:
        raise DomainError.of(ErrorCode.NOT_FOUND, field)
    return checkout


def _line_specs(lines) -> list[tuple[int, int]]:
    """(variant id, quantity) per input line; every undecodable ID reported at once."""
    errors = ErrorCollector()
    specs = []
    for index, line in enumerate(lines or []):
        try:
            field = f"lines.{index}.variantId"
            pk = decode_id(line.get("variant_id"), "ProductVariant", field=field)
        except DomainError as exc:
            errors.extend(exc)
            continue
        specs.append((pk, line.get("quantity")))
    errors.raise_if_any()
    return specs


def _language(info) -> str:
    return (getattr(info.context, "LANGUAGE_CODE", None) or get_language() or "fa")[:2]


# ---------------------------------------------------------------- queries


class CheckoutQueries(graphene.ObjectType):
    checkout = graphene.Field(
        Checkout,
        id=graphene.ID(required=True),
        description="A checkout by its ID: its buyer's, or an anonymous one for whoever "
        "holds the ID. Null for anyone else.",
    )
    my_checkout = graphene.Field(
        Checkout,
        channel=graphene.String(description="Default: the default channel."),
        description="The signed-in buyer's latest open checkout in the channel, on any "
        "device; null when they have none (or nobody is signed in).",
    )

    @staticmethod
    def resolve_checkout(root, info, id):
        try:
            token = decode_token(id)
        except DomainError as exc:
            raise query_error(exc) from None
        return selectors.checkout_for(info.context.user, token)

    @staticmethod
    def resolve_my_checkout(root, info, channel=None):
        if not selectors.is_signed_in(info.context.user):
            return None
        return selectors.open_checkout_of(info.context.user, channel_for(info, channel))


# ---------------------------------------------------------------- mutations


class CheckoutLineInput(graphene.InputObjectType):
    variant_id = graphene.ID(required=True)
    quantity = graphene.Int(required=True)


class CheckoutCreateInput(graphene.InputObjectType):
    channel = graphene.String(description="The channel's slug; default: the default channel.")
    email = graphene.String(
        description="Where the order's confirmation goes; an anonymous buyer may give it "
        "later with checkoutEmailUpdate. Default for a signed-in buyer: their account's."
    )
    lines = graphene.List(graphene.NonNull(CheckoutLineInput), required=True)


class CheckoutMutation(Payload):
    checkout = graphene.Field(Checkout)


def _payload(info, checkout_info) -> CheckoutMutation:
    remember(info, checkout_info)
    return CheckoutMutation.ok(checkout=checkout_info.checkout)


class CheckoutCreate(BaseMutation):
    """A new checkout; each line reserves its quantity for a limited time (15 minutes
    by default)."""

    owns_transaction = True

    class Meta:
        output = CheckoutMutation

    class Arguments:
        input = CheckoutCreateInput(required=True)

    @classmethod
    def perform(cls, info, input):
        channel = input.get("channel")
        if channel is not None and (not isinstance(channel, str) or len(channel) > 50):
            raise DomainError.of(ErrorCode.NOT_FOUND, "channel")
        _checkout_row, result = services.create_checkout(
            actor=info.context.user,
            channel=channel,
            email=input.get("email"),
            lines=_line_specs(input.get("lines")),
            language=_language(info),
            client=client_address(info),
        )
        return _payload(info, result)


class CheckoutLinesAdd(BaseMutation):
    """Add products; quantities of products already in the cart are added up."""

    owns_transaction = True

    class Meta:
        output = CheckoutMutation

    class Arguments:
        id = graphene.ID(required=True)
        lines = graphene.List(graphene.NonNull(CheckoutLineInput), required=True)

    @classmethod
    def perform(cls, info, id, lines):
        checkout = _checkout(info, id)
        result = services.add_lines(
            actor=info.context.user, checkout=checkout, lines=_line_specs(lines)
        )
        return _payload(info, result)


class CheckoutLinesUpdate(BaseMutation):
    """Set quantities; 0 removes the line."""

    owns_transaction = True

    class Meta:
        output = CheckoutMutation

    class Arguments:
        id = graphene.ID(required=True)
        lines = graphene.List(graphene.NonNull(CheckoutLineInput), required=True)

    @classmethod
    def perform(cls, info, id, lines):
        checkout = _checkout(info, id)
        result = services.update_lines(
            actor=info.context.user, checkout=checkout, lines=_line_specs(lines)
        )
        return _payload(info, result)


class CheckoutEmailUpdate(BaseMutation):
    """The email the order's confirmation goes to; required of an anonymous buyer before
    checkoutComplete."""

    owns_transaction = True

    class Meta:
        output = CheckoutMutation

    class Arguments:
        id = graphene.ID(required=True)
        email = graphene.String(required=True)

    @classmethod
    def perform(cls, info, id, email):
        checkout = _checkout(info, id)
        result = services.set_email(actor=info.context.user, checkout=checkout, email=email)
        return _payload(info, result)


class CheckoutShippingAddressUpdate(BaseMutation):
    """Field errors are named under `shippingAddress`, e.g. `shippingAddress.postalCode`."""

    owns_transaction = True

    class Meta:
        output = CheckoutMutation

    class Arguments:
        id = graphene.ID(required=True)
        shipping_address = AddressInput(required=True)

    @classmethod
    def perform(cls, info, id, shipping_address):
        checkout = _checkout(info, id)
        result = services.set_shipping_address(
            actor=info.context.user, checkout=checkout, data=shipping_address
        )
        return _payload(info, result)


class CheckoutDeliveryMethodUpdate(BaseMutation):
    """Choose one group's delivery method among its `availableDeliveryMethods`."""

    owns_transaction = True

    class Meta:
        output = CheckoutMutation

    class Arguments:
        id = graphene.ID(required=True)
        group_id = graphene.ID(required=True)
        delivery_method_id = graphene.ID(required=True)

    @classmethod
    def perform(cls, info, id, group_id, delivery_method_id):
        checkout = _checkout(info, id)
        key = decode_group(group_id, checkout)
        method = decode_id(delivery_method_id, "DeliveryMethod", field="deliveryMethodId")
        result = services.set_delivery_method(
            actor=info.context.user, checkout=checkout, group_key=key, method_id=method
        )
        return _payload(info, result)


class CheckoutAddPromoCode(BaseMutation):
    owns_transaction = True

    class Meta:
        output = CheckoutMutation

    class Arguments:
        id = graphene.ID(required=True)
        promo_code = graphene.String(required=True)

    @classmethod
    def perform(cls, info, id, promo_code):
        checkout = _checkout(info, id)
        result = services.add_promo_code(
            actor=info.context.user, checkout=checkout, code=promo_code
        )
        return _payload(info, result)


class CheckoutRemovePromoCode(BaseMutation):
    owns_transaction = True

    class Meta:
        output = CheckoutMutation

    class Arguments:
        id = graphene.ID(required=True)

    @classmethod
    def perform(cls, info, id):
        checkout = _checkout(info, id)
        result = services.remove_promo_code(actor=info.context.user, checkout=checkout)
        return _payload(info, result)


class CheckoutCustomerAttach(BaseMutation):
    """Make an anonymous checkout the signed-in buyer's, so it follows them to their
    other devices. When they already have an open checkout in that channel, the lines
    are merged into it, and that checkout is returned (the anonymous one is gone)."""

    owns_transaction = True

    class Meta:
        output = CheckoutMutation

    class Arguments:
        id = graphene.ID(required=True)

    @classmethod
    def perform(cls, info, id):
        checkout = _checkout(info, id)
        _row, result = services.attach_customer(actor=info.context.user, checkout=checkout)
        return _payload(info, result)


class CheckoutComplete(BaseMutation):
    """Place the order: COD gives CONFIRMED / NOT_CHARGED; an online gateway gives
    UNCONFIRMED and a payment whose `action` says what the client does next. Completing
    the same checkout again returns the same order."""

    owns_transaction = True
    order = graphene.Field(Order)
    payment = graphene.Field(Payment)

    class Arguments:
        id = graphene.ID(required=True, description="The checkout's ID.")
        payment_gateway = graphene.String(required=True, description="e.g. cod")
        redirect_url = graphene.String(
            description="Where an online gateway sends the buyer back to."
        )

    @classmethod
    def perform(cls, info, id, payment_gateway, redirect_url=None):
        token = decode_token(id)
        # The service locks and reads the checkout itself; only its token is needed.
        order, payment = order_services.complete_checkout(
            actor=info.context.user,
            checkout=CheckoutModel(token=token),
            gateway=payment_gateway,
            redirect_url=redirect_url,
            client=client_address(info),
        )
        return cls(order=order, payment=payment, errors=payment_start_errors(payment))


def payment_start_errors(payment) -> list:
    """The order exists either way; a gateway that could not start the payment leaves it
    FAILED, and the buyer tries again with orderPay."""
    if payment is None or payment.status != PaymentStatus.FAILED:
        return []
    message = _("The payment could not be started. Please try again.")
    return to_errors(DomainError.of(ErrorCode.PAYMENT_ERROR, "payment_gateway", message))


class CheckoutMutations(graphene.ObjectType):
    checkout_create = CheckoutCreate.Field()
    checkout_lines_add = CheckoutLinesAdd.Field()
    checkout_lines_update = CheckoutLinesUpdate.Field()
    checkout_email_update = CheckoutEmailUpdate.Field()
    checkout_shipping_address_update = CheckoutShippingAddressUpdate.Field()
    checkout_delivery_method_update = CheckoutDeliveryMethodUpdate.Field()
    checkout_add_promo_code = CheckoutAddPromoCode.Field()
    checkout_remove_promo_code = CheckoutRemovePromoCode.Field()
    checkout_customer_attach = CheckoutCustomerAttach.Field()
    checkout_complete = CheckoutComplete.Field()
