"""One function per kind of event: who hears of it and with which words.

Every function records its messages in the caller's transaction (`services.notify`),
deduplicated by a key naming the event, so announcing an event twice sends nothing
twice. Events and recipients:

  order.placed          when the order is confirmed (placed or paid again with cash on
                        delivery, or paid online): buyer (for a payment, as
                        payment.confirmed); each fulfiller (cooperative staff, or an
                        independent seller); each seller with lines in it:
                        queue_order_placed(order=, paid=)
  payment.failed        buyer: payment_failed(order=, payment_id=)
  shipment.packed_short buyer: shipment_packed_short(shipment=)
  shipment.shipped      buyer, with the tracking link (or, without one, a pointer to the
                        account page; at a pickup point, ready for pickup):
                        shipment_shipped(shipment=, tracking_url=, pickup=)
  shipment.delivered    buyer: shipment_delivered(shipment=)
  return.opened         the shipment's fulfiller: return_opened(shipment=, return_id=)
  return.decided        buyer: return_decided(order=, return_id=, decision=)
  return.disputed       the shipment's fulfiller, and by e-mail platform staff who may
                        decide disputes (DISPUTE_PERMS):
                        return_disputed(shipment=, return_id=)
  return.refund_held    by e-mail, the same staff: the owed refund is no longer tried by
                        itself: return_refund_held(order=, return_id=, amount=, ...)
  return.refunded       buyer, the return's refund is made (by the gateway, or by staff
                        by hand; an owed one is told as refund.owed):
                        return_refunded(order=, return_id=, amount=, currency=)
  return.resolved       buyer, staff decided the dispute:
                        return_resolved(order=, return_id=, decision=)
  refund.owed           buyer (how the money will reach them), and by e-mail platform
                        staff who may refund: refund_owed(order=, refund=)
  refund.paid_out       buyer, with the bank's reference: owed_refund_paid_out(order=, refund=)
  review.created        the seller's owner (a kind they may turn off): review_created(review=)
  payout.sent           the seller's owner: payout_sent(seller=, payout_id=, amount=, currency=)
  seller.applied        the cooperative's staff (platform staff for an independent seller)
                        and the owner: seller_applied(seller=)
  seller.approved       the owner: seller_approved(seller=)
  seller.rejected       the owner, with the reason: seller_rejected(seller=)
  account.password_reset the account's e-mail: password_reset(user=, link=, token=)
  account.login_code    the phone, by SMS only: login_code(phone=, code=, code_id=)
"""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from marketplace.core import outbox
from marketplace.notifications import recipients as who
from marketplace.notifications.models import ChannelKind
from marketplace.notifications.services import is_muted, notify
from marketplace.sellers.permissions import platform_staff_with


def _money(amount: Decimal, currency: str) -> str:
    places = 0 if currency == "IRR" else 2
    names = {"IRR": "ریال"}
    return f"{amount:,.{places}f} {names.get(currency, currency)}"


def _delivery_phone(order) -> str:
    return order.shipping_address.phone if order.shipping_address_id else ""


def _buyer(order) -> list[who.Recipient]:
    if order.user_id is not None:
        return [who.of_user(order.user)]
    contact = who.of_contact(
        email=order.email, phone=_delivery_phone(order), language=order.language
    )
    return [contact]


def _seller_owner(seller) -> who.Recipient:
    owner = who.of_user(seller.owner)
    if owner.phone or not seller.phone:
        return owner
    # A producer who signed up by e-mail still hears on the shop's mobile number.
    return who.Recipient(
        key=owner.key,
        email=owner.email,
        phone=seller.phone,
        language=owner.language,
        user_id=owner.user_id,
    )


def _fulfillers(shipment) -> list[who.Recipient]:
    if shipment.cooperative_id is not None:
        return who.of_users(shipment.cooperative.staff.filter(is_active=True))
    return [_seller_owner(shipment.seller)]


def queue_order_placed(*, order, paid: bool = False) -> None:
    """Called in the transaction that confirms the order (the checkout's with cash on
    delivery, orderPay's when the buyer switches to it, the payment's when paid online:
    an order still waiting for its online payment is not announced): one outbox row;
    the messages are recorded by the job (announce_order_placed), which keeps those
    transactions' statements few. `paid`: the buyer is told of the payment received
    rather than of the order placed."""
    if is_muted():
        return
    # The payment's announcement has a key of its own: an order placed before orders
    # paid online waited for their payment had its announcement queued at checkout, and
    # its buyer must still hear of the payment. Each message is deduplicated by its own
    # key (order_placed), so nobody hears of the order twice.
    outbox.enqueue(
        "marketplace.notifications.tasks.announce_order_placed",
        kwargs={"order_id": order.pk, "paid": paid},
        dedup_key=f"order:{order.pk}:{'paid' if paid else 'placed'}",
    )


def order_placed(*, order_id: int, paid: bool = False) -> int:
    from django.db import transaction

    from marketplace.orders.models import Order

    with transaction.atomic():
        order = (
            Order.objects.select_related("user", "shipping_address")
            .prefetch_related("shipments__cooperative", "shipments__seller__owner")
            .filter(pk=order_id)
            .first()
        )
        if order is None:
            return 0
        number = str(order.number)
        key = f"order:{order.pk}:placed"
        rows = notify(
            event="payment.confirmed.buyer" if paid else "order.placed.buyer",
            recipients=_buyer(order),
            context={"number": number, "total": _money(order.total, order.currency)},
            dedup_key=f"order:{order.pk}:paid" if paid else f"{key}:buyer",
        )
        fulfilling_sellers = set()
        for shipment in order.shipments.all():
            if shipment.cooperative_id is not None:
                name = shipment.cooperative.name
            else:
                name = shipment.seller.name
                fulfilling_sellers.add(shipment.seller_id)
            rows += notify(
                event="order.placed.fulfiller",
                recipients=_fulfillers(shipment),
                context={"number": number, "fulfiller": name},
                dedup_key=f"{key}:fulfiller:{shipment.pk}",
            )
        from marketplace.sellers.models import Seller

        sellers = Seller.objects.select_related("owner").filter(
            pk__in=order.lines.values("seller_id")
        )
        for seller in sellers:
            if seller.pk in fulfilling_sellers:
                continue  # already told as the fulfiller
            rows += notify(
                event="order.placed.seller",
                recipients=[_seller_owner(seller)],
                context={"number": number, "seller": seller.name},
                dedup_key=f"{key}:seller:{seller.pk}",
            )
        return len(rows)


def payment_failed(*, order, payment_id: int) -> None:
    notify(
        event="payment.failed.buyer",
        recipients=_buyer(order),
        context={"number": str(order.number)},
        dedup_key=f"payment:{payment_id}:failed",
    )


def shipment_packed_short(*, shipment) -> None:
    order = shipment.order
    notify(
        event="shipment.packed_short.buyer",
        recipients=_buyer(order),
        context={"number": str(order.number)},
        dedup_key=f"shipment:{shipment.pk}:packed_short",
    )


def shipment_shipped(*, shipment, tracking_url: str, pickup: bool = False) -> None:
    """A parcel without a tracking number (the fulfiller's own delivery) or waiting at a
    pickup point gets words that send the buyer to their account, not an empty link."""
    order = shipment.order
    context = {"number": str(order.number)}
    if pickup:
        event = "shipment.ready_for_pickup.buyer"
    elif tracking_url:
        event = "shipment.shipped.buyer"
        context["tracking_url"] = tracking_url
    else:
        event = "shipment.shipped_untracked.buyer"
    notify(
        event=event,
        recipients=_buyer(order),
        context=context,
        dedup_key=f"shipment:{shipment.pk}:shipped",
    )


def shipment_delivered(*, shipment) -> None:
    order = shipment.order
    notify(
        event="shipment.delivered.buyer",
        recipients=_buyer(order),
        context={"number": str(order.number)},
        dedup_key=f"shipment:{shipment.pk}:delivered",
    )


def return_opened(*, shipment, return_id: int) -> None:
    notify(
        event="return.opened.fulfiller",
        recipients=_fulfillers(shipment),
        context={"number": str(shipment.order.number)},
        dedup_key=f"return:{return_id}:opened",
    )


def return_decided(*, order, return_id: int, decision: str) -> None:
    """`decision`: the decision's words in the buyer's language (e.g. accepted)."""
    notify(
        event="return.decided.buyer",
        recipients=_buyer(order),
        context={"number": str(order.number), "decision": decision},
        dedup_key=f"return:{return_id}:decided",
    )


# Deciding a dispute (or retrying a held refund) takes both: the admin's form of the
# return, and the refund the decision makes (returns.services.resolve_dispute).
DISPUTE_PERMS = ("returns.change_returnrequest", "orders.change_order")


def _dispute_deciders() -> list[who.Recipient]:
    return who.of_users(platform_staff_with(*DISPUTE_PERMS).order_by("pk"))


def return_disputed(*, shipment, return_id: int) -> None:
    number = str(shipment.order.number)
    notify(
        event="return.disputed.fulfiller",
        recipients=_fulfillers(shipment),
        context={"number": number},
        dedup_key=f"return:{return_id}:disputed",
    )
    fulfiller = shipment.cooperative if shipment.cooperative_id else shipment.seller
    notify(
        event="return.disputed.staff",
        recipients=_dispute_deciders(),
        context={"number": number, "return_id": str(return_id), "fulfiller": fulfiller.name},
        dedup_key=f"return:{return_id}:disputed:staff",
        only=ChannelKind.EMAIL,
    )


def return_refund_held(
    *, order, return_id: int, amount: Decimal, currency: str, problem: str, held_at
) -> None:
    """A return's owed refund stopped being tried by itself: staff who may decide returns
    are e-mailed, once each time it is held (staff may retry it and it may be held again)."""
    notify(
        event="return.refund_held.staff",
        recipients=_dispute_deciders(),
        context={
            "number": str(order.number),
            "return_id": str(return_id),
            "amount": _money(amount, currency),
            "problem": problem,
        },
        dedup_key=f"return:{return_id}:refund-held:{held_at.isoformat()}",
        only=ChannelKind.EMAIL,
    )


def return_refunded(*, order, return_id: int, amount: Decimal, currency: str) -> None:
    notify(
        event="return.refunded.buyer",
        recipients=_buyer(order),
        context={"number": str(order.number), "amount": _money(amount, currency)},
        dedup_key=f"return:{return_id}:refunded",
    )


def _refund_payers() -> list[who.Recipient]:
    """Staff who may refund orders, and so record a transfer of an owed refund."""
    return who.of_users(platform_staff_with("orders.change_order").order_by("pk"))


def refund_owed(*, order, refund) -> None:
    """A refund the gateway could not make is owed to the buyer: they hear how it will
    reach them, and staff who may refund are e-mailed to transfer it."""
    context = {"number": str(order.number), "amount": _money(refund.amount, order.currency)}
    notify(
        event="refund.owed.buyer",
        recipients=_buyer(order),
        context=context,
        dedup_key=f"refund:{refund.pk}:owed",
    )
    buyer = _delivery_phone(order) or order.email
    notify(
        event="refund.owed.staff",
        recipients=_refund_payers(),
        context={**context, "refund_id": str(refund.pk), "buyer": buyer},
        dedup_key=f"refund:{refund.pk}:owed-staff",
        only=ChannelKind.EMAIL,
    )


def owed_refund_paid_out(*, order, refund) -> None:
    notify(
        event="refund.paid_out.buyer",
        recipients=_buyer(order),
        context={
            "number": str(order.number),
            "amount": _money(refund.amount, order.currency),
            "reference": refund.paid_out_reference,
        },
        dedup_key=f"refund:{refund.pk}:paid-out",
    )


def return_resolved(*, order, return_id: int, decision: str) -> None:
    """`decision`: platform staff's decision in the buyer's language."""
    notify(
        event="return.resolved.buyer",
        recipients=_buyer(order),
        context={"number": str(order.number), "decision": decision},
        dedup_key=f"return:{return_id}:resolved",
    )


def review_created(*, review) -> None:
    """In the review's transaction: the seller hears of a new review of their product."""
    notify(
        event="review.created.seller",
        recipients=[_seller_owner(review.seller)],
        context={"product": review.line.product_name, "rating": str(review.rating)},
        dedup_key=f"review:{review.pk}:created",
    )


def payout_sent(*, seller, payout_id: int, amount: Decimal, currency: str) -> None:
    notify(
        event="payout.sent.seller",
        recipients=[_seller_owner(seller)],
        context={"amount": _money(amount, currency), "seller": seller.name},
        dedup_key=f"payout:{payout_id}:sent",
    )


def seller_applied(*, seller) -> None:
    cooperative = seller.cooperative
    if cooperative is None:
        staff = get_user_model().objects.filter(is_staff=True, is_superuser=True, is_active=True)
        cooperative_name = "—"
    else:
        staff = cooperative.staff.filter(is_active=True)
        cooperative_name = cooperative.name
    key = f"seller:{seller.pk}:applied"
    notify(
        event="seller.applied.staff",
        recipients=who.of_users(staff),
        context={"seller": seller.name, "cooperative": cooperative_name},
        dedup_key=key,
    )
    notify(
        event="seller.applied.owner",
        recipients=[_seller_owner(seller)],
        context={"seller": seller.name},
        dedup_key=f"{key}:owner",
    )


def seller_approved(*, seller) -> None:
    notify(
        event="seller.approved.owner",
        recipients=[_seller_owner(seller)],
        context={"seller": seller.name},
        dedup_key=f"seller:{seller.pk}:approved",
    )


def seller_rejected(*, seller) -> None:
    # A shop may apply again and be turned down again: each decision is its own event.
    notify(
        event="seller.rejected.owner",
        recipients=[_seller_owner(seller)],
        context={"seller": seller.name, "reason": seller.rejection_reason},
        dedup_key=f"seller:{seller.pk}:rejected:{timezone.now().isoformat()}",
    )


def password_reset(*, user, link: str, token: str) -> None:
    notify(
        event="account.password_reset",
        recipients=[who.of_user(user)],
        context={"link": link},
        dedup_key=f"password-reset:{user.pk}:{token}",
        only=ChannelKind.EMAIL,
    )


def login_code(*, phone: str, code: str, code_id: int, language: str = "fa") -> None:
    notify(
        event="account.login_code",
        recipients=[who.of_contact(phone=phone, language=language)],
        context={"code": code},
        dedup_key=f"login-code:{code_id}",
        only=ChannelKind.SMS,
    )
