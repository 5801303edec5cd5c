"""Message texts by template name, rendered in the recipient's language.

Each template belongs to a kind of message (what a user's preferences choose channels
for), has an e-mail subject and body, and a short SMS text: at most two SMS parts in
Persian (UCS-2: 70 characters in one part, 67 per part when split), which
tests/notifications/test_sms_templates.py checks with the `sample` values. Names and
reasons can be far longer than the samples: `fit_sms` shortens them in the SMS (never
the order number, the amount, the code or the link) so that it stays within two parts.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# Kinds of message; all but the optional ones are transactional: they cannot be turned off.
ORDERS = "orders"
SHIPPING = "shipping"
PAYMENTS = "payments"
RETURNS = "returns"
PAYOUTS = "payouts"
REVIEWS = "reviews"
SELLERS = "sellers"
ACCOUNT = "account"
MARKETING = "marketing"
KINDS = (ORDERS, PAYMENTS, SHIPPING, RETURNS, PAYOUTS, REVIEWS, SELLERS, ACCOUNT, MARKETING)
# Kinds a user may turn off; of those, the ones nobody gets until they ask for them.
OPTIONAL_KINDS = frozenset({REVIEWS, MARKETING})
OFF_BY_DEFAULT = frozenset({MARKETING})
# Kinds only sellers, cooperative staff and platform staff receive.
SELLER_SIDE_KINDS = frozenset({PAYOUTS, REVIEWS, SELLERS})
KIND_LABELS = {
    ORDERS: _("Orders"),
    PAYMENTS: _("Payments"),
    SHIPPING: _("Shipping and delivery"),
    RETURNS: _("Returns"),
    PAYOUTS: _("Payouts"),
    REVIEWS: _("Reviews of my products"),
    SELLERS: _("Shop and cooperative"),
    ACCOUNT: _("Sign-in codes"),
    MARKETING: _("News and offers"),
}

NUMBER = "1405001234"
MONEY = "12,345,000 ریال"
SHOP = "زعفران خانواده رضایی"
COOP = "تعاونی زعفران تربت"
LINK = "https://bazarcheh.ir/t/IR1234567890"


@dataclass(frozen=True)
class Template:
    kind: str
    subject: Promise
    sms: Promise
    body: Promise
    sample: dict[str, str] = field(default_factory=dict)


TEMPLATES: dict[str, Template] = {
    "order.placed.buyer": Template(
        ORDERS,
        _("Order %(number)s is placed"),
        _("Bazarcheh: order %(number)s is placed. Total: %(total)s"),
        _("Thank you. Your order %(number)s is placed; total %(total)s."),
        {"number": NUMBER, "total": MONEY},
    ),
    "order.placed.fulfiller": Template(
        ORDERS,
        _("New order %(number)s for %(fulfiller)s"),
        _("Bazarcheh: new order %(number)s for %(fulfiller)s. Please pack it."),
        _("Order %(number)s has items for %(fulfiller)s. Please pack and ship them."),
        {"number": NUMBER, "fulfiller": COOP},
    ),
    "order.placed.seller": Template(
        ORDERS,
        _("New order %(number)s for %(seller)s"),
        _("Bazarcheh: order %(number)s has your products (%(seller)s)."),
        _("Order %(number)s has products of %(seller)s."),
        {"number": NUMBER, "seller": SHOP},
    ),
    "payment.confirmed.buyer": Template(
        PAYMENTS,
        _("Payment for order %(number)s received"),
        _("Bazarcheh: payment for order %(number)s received: %(total)s"),
        _("We received %(total)s for your order %(number)s."),
        {"number": NUMBER, "total": MONEY},
    ),
    "payment.failed.buyer": Template(
        PAYMENTS,
        _("Payment for order %(number)s failed"),
        _("Bazarcheh: payment for order %(number)s failed. You can pay again."),
        _("The payment for your order %(number)s failed. You can pay again from the order."),
        {"number": NUMBER},
    ),
    "shipment.packed_short.buyer": Template(
        SHIPPING,
        _("Part of order %(number)s is not available"),
        _("Bazarcheh: part of order %(number)s was not available; it is refunded."),
        _("Some items of order %(number)s were not available; their price is refunded."),
        {"number": NUMBER},
    ),
    "shipment.shipped.buyer": Template(
        SHIPPING,
        _("Order %(number)s is on its way"),
        _("Bazarcheh: order %(number)s is shipped. Tracking: %(tracking_url)s"),
        _("Your order %(number)s is shipped. Follow it here: %(tracking_url)s"),
        {"number": NUMBER, "tracking_url": LINK},
    ),
    "shipment.shipped_untracked.buyer": Template(
        SHIPPING,
        _("Order %(number)s is on its way"),
        _("Bazarcheh: order %(number)s is on its way. See its steps in your account."),
        _("Your order %(number)s is on its way. Its steps are on your account page."),
        {"number": NUMBER},
    ),
    "shipment.ready_for_pickup.buyer": Template(
        SHIPPING,
        _("Order %(number)s is ready for pickup"),
        _("Bazarcheh: order %(number)s is ready for pickup. Your code is in your account."),
        _(
            "Your order %(number)s is ready at the pickup point. Show the pickup code from "
            "your account page when you collect it."
        ),
        {"number": NUMBER},
    ),
    "shipment.delivered.buyer": Template(
        SHIPPING,
        _("Order %(number)s is delivered"),
        _("Bazarcheh: order %(number)s is delivered. Thank you!"),
        _("Your order %(number)s is delivered. Please confirm receipt in your account."),
        {"number": NUMBER},
    ),
    "return.opened.fulfiller": Template(
        RETURNS,
        _("Return requested for order %(number)s"),
        _("Bazarcheh: a return is requested for order %(number)s."),
        _("The buyer of order %(number)s asked to return items. Please decide in the panel."),
        {"number": NUMBER},
    ),
    "return.decided.buyer": Template(
        RETURNS,
        _("Your return for order %(number)s: %(decision)s"),
        _("Bazarcheh: your return for order %(number)s: %(decision)s"),
        _("Your return request for order %(number)s is %(decision)s."),
        {"number": NUMBER, "decision": "پذیرفته شد"},
    ),
    "return.disputed.fulfiller": Template(
        RETURNS,
        _("Rejected return of order %(number)s is disputed"),
        _("Bazarcheh: the buyer of order %(number)s disputed the rejected return."),
        _(
            "The buyer of order %(number)s disputed your rejection of their return. "
            "Platform staff will decide."
        ),
        {"number": NUMBER},
    ),
    "return.disputed.staff": Template(
        RETURNS,
        _("Dispute to decide: return %(return_id)s of order %(number)s"),
        _("Bazarcheh: return %(return_id)s of order %(number)s is disputed; please decide."),
        _(
            "The buyer of order %(number)s disputed the rejection of return %(return_id)s "
            "by %(fulfiller)s. Decide it in the admin: Returns, filtered by open disputes."
        ),
        {"number": NUMBER, "return_id": "1234", "fulfiller": COOP},
    ),
    "return.refund_held.staff": Template(
        RETURNS,
        _("Refund to see to: return %(return_id)s of order %(number)s"),
        _(
            "Bazarcheh: the refund of %(amount)s for return %(return_id)s of order "
            "%(number)s is held: %(problem)s."
        ),
        _(
            "The refund of %(amount)s that return %(return_id)s of order %(number)s owes "
            "could not be made (%(problem)s) and is no longer tried by itself. See to it "
            'in the admin: Returns, filtered by "refund held", then "Retry the refund now" '
            '(or "Mark refunded by hand" once it is given back outside the platform).'
        ),
        {
            "number": NUMBER,
            "return_id": "1234",
            "amount": MONEY,
            "problem": "درگاه پرداخت پیوسته آن را نپذیرفت",
        },
    ),
    "return.refunded.buyer": Template(
        RETURNS,
        _("Your return for order %(number)s is refunded"),
        _("Bazarcheh: %(amount)s of your return for order %(number)s is refunded."),
        _("The refund of %(amount)s for your return of order %(number)s is made."),
        {"number": NUMBER, "amount": MONEY},
    ),
    "refund.owed.buyer": Template(
        PAYMENTS,
        _("%(amount)s of order %(number)s will be transferred to your bank account"),
        _(
            "Bazarcheh: %(amount)s of order %(number)s will be sent to your bank account; "
            "we may call for your Sheba number."
        ),
        _(
            "%(amount)s of order %(number)s could not be given back the way you paid, so it "
            "is owed to you: Bazarcheh's staff will transfer it to your bank account, and "
            "may call you for your account number (Sheba). You will be told when it is sent."
        ),
        {"number": NUMBER, "amount": MONEY},
    ),
    "refund.owed.staff": Template(
        PAYMENTS,
        _("Refund to transfer: %(amount)s for order %(number)s"),
        _(
            "Bazarcheh: transfer %(amount)s owed to %(buyer)s for order %(number)s "
            "(refund %(refund_id)s)."
        ),
        _(
            "%(amount)s of order %(number)s (refund %(refund_id)s) could not be given back "
            "the way the buyer paid: it is owed to the buyer, %(buyer)s. Transfer it to the "
            "buyer's bank account, then record it in the admin: Refunds, filtered by \"owed, "
            'not transferred", then "Mark transferred to the buyer\'s bank account", with the '
            "bank's reference; one refund at a time, each with its own transfer's reference."
        ),
        {"number": NUMBER, "amount": MONEY, "refund_id": "12", "buyer": "+989121234567"},
    ),
    "refund.paid_out.buyer": Template(
        PAYMENTS,
        _("%(amount)s transferred to your bank account"),
        _(
            "Bazarcheh: %(amount)s owed to you for order %(number)s was transferred to your "
            "bank account, reference %(reference)s."
        ),
        _(
            "The %(amount)s owed to you for order %(number)s was transferred to your bank "
            "account. The bank's reference for the transfer: %(reference)s."
        ),
        {"number": NUMBER, "amount": MONEY, "reference": "1405-778899"},
    ),
    "return.resolved.buyer": Template(
        RETURNS,
        _("Dispute of order %(number)s: %(decision)s"),
        _("Bazarcheh: dispute of order %(number)s: %(decision)s"),
        _("Platform staff decided the dispute of your return for order %(number)s: %(decision)s."),
        {"number": NUMBER, "decision": "بازپرداخت بخشی از مبلغ"},
    ),
    "review.created.seller": Template(
        REVIEWS,
        _("New review of %(product)s"),
        _("Bazarcheh: a buyer rated %(product)s %(rating)s of 5. You may answer in the panel."),
        _(
            "A buyer rated %(product)s %(rating)s of 5. You may answer the review once, "
            "from the reviews page of your panel."
        ),
        {"product": "زعفران سرگل ممتاز یک مثقالی", "rating": "4"},
    ),
    "payout.sent.seller": Template(
        PAYOUTS,
        _("Payout of %(amount)s sent"),
        _("Bazarcheh: %(amount)s was paid to your account."),
        _("A payout of %(amount)s was sent to the account of %(seller)s."),
        {"amount": MONEY, "seller": SHOP},
    ),
    "seller.applied.staff": Template(
        SELLERS,
        _("New seller application: %(seller)s"),
        _("Bazarcheh: %(seller)s applied to join %(cooperative)s."),
        _(
            "%(seller)s has applied to sell on Bazarcheh as a member of %(cooperative)s.\n"
            "Please review and approve the application in the cooperative panel."
        ),
        {"seller": SHOP, "cooperative": COOP},
    ),
    "seller.applied.owner": Template(
        SELLERS,
        _("Your application for %(seller)s is received"),
        _("Bazarcheh: your application for %(seller)s is received."),
        _("Your application to sell as %(seller)s is received; you will hear when approved."),
        {"seller": SHOP},
    ),
    "seller.approved.owner": Template(
        SELLERS,
        _("Your shop %(seller)s is approved"),
        _("Bazarcheh: %(seller)s is approved. You can list products now."),
        _(
            "Good news: %(seller)s is approved and can now list products on Bazarcheh.\n"
            "Your products become visible to buyers as soon as you publish them."
        ),
        {"seller": SHOP},
    ),
    "account.login_code": Template(
        ACCOUNT,
        _("Your Bazarcheh sign-in code"),
        _("Bazarcheh sign-in code: %(code)s\nValid for 2 minutes. Do not share it."),
        _("Your sign-in code is %(code)s. It is valid for 2 minutes."),
        {"code": "123456"},
    ),
    "account.password_reset": Template(
        ACCOUNT,
        _("Set a new password for Bazarcheh"),
        _("Bazarcheh: set a new password here: %(link)s"),
        _(
            "Someone asked to set a new password for your Bazarcheh account.\n"
            "To choose a new password, open this link:\n%(link)s\n"
            "If it was not you, ignore this email: your password stays as it is."
        ),
        {"link": LINK},
    ),
    "seller.rejected.owner": Template(
        SELLERS,
        _("Your application for %(seller)s was not accepted"),
        _("Bazarcheh: %(seller)s was not accepted: %(reason)s"),
        _(
            "Your application to sell %(seller)s on Bazarcheh was not accepted, because:\n"
            "%(reason)s\n"
            "You may apply again once this is settled."
        ),
        {"seller": SHOP, "reason": "عکس‌ها کافی نیست"},
    ),
}


# The GSM 03.38 basic alphabet; a text with any other character is sent as UCS-2.
GSM_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    "ÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
# Context values that may be cut in an SMS: free text a person typed.
SHORTENABLE = ("reason", "seller", "fulfiller", "cooperative", "decision", "product", "problem")


def sms_capacity(text: str, parts: int = 2) -> int:
    """How many characters `parts` SMS parts hold for a text like `text`."""
    if set(text) <= GSM_BASIC:
        return 160 if parts == 1 else 153 * parts
    return 70 if parts == 1 else 67 * parts


def fit_sms(text: str, context: dict) -> str:
    """`text % context`, with the longest free-text values cut (marked with an ellipsis)
    until the result fits in two SMS parts."""
    values = {key: str(value) for key, value in context.items()}
    rendered = text % values
    for _round in range(len(SHORTENABLE) * 2):
        over = len(rendered) - sms_capacity(rendered)
        if over <= 0:
            break
        # "..." keeps a GSM text GSM (160 characters a part, not 70).
        mark = "..." if set(rendered) <= GSM_BASIC else "…"
        key = max(
            (k for k in SHORTENABLE if len(values.get(k, "")) > 1),
            key=lambda k: len(values[k]),
            default=None,
        )
        if key is None:
            break
        keep = max(len(values[key]) - over - len(mark), 1)
        values[key] = values[key][:keep].rstrip() + mark
        rendered = text % values
    return rendered
