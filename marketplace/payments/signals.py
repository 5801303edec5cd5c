"""Domain hooks for what money did, for the ledger to post.

Both are sent inside the transaction that records the change, so a receiver that
writes (a ledger posting) commits or rolls back with it; a receiver must not call out
to other services.

- `payment_captured(payment, amount, order, confirms)`: the gateway confirmed `amount`
  was taken; `order` is the payment's order as read under its row lock in that
  transaction; `confirms`: the money confirmed the order just now (paid online before
  anything was sent), rather than arriving for goods already on their way or delivered.
- `payment_refunded(payment, refund)`: `refund.amount` went back to the buyer, or is
  owed to them (`refund.status` DONE or OWED); `refund.by_hand` when staff gave it back
  outside the gateway.
- `owed_refund_paid_out(refund)`: staff transferred an OWED refund to the buyer's bank
  account (`refund.paid_out_at`); the money the platform owed the buyer is paid.
"""

from django.dispatch import Signal

payment_captured = Signal()
payment_refunded = Signal()
owed_refund_paid_out = Signal()
