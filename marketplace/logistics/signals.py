"""What fulfilment tells the rest of the platform (the ledger, refunds, notifications).

cash_collected, order_completed and shipment_packed_short are sent inside the
transaction that made the change, so a receiver that writes (the ledger's postings)
commits or rolls back with it; such a receiver must not call out to other services.
shipment_delivered is sent once that transaction has committed.

- shipment_packed_short(shipment, amount): units the buyer paid for were not packed;
  `amount` is what the buyer is owed for them (an online payment is refunded through
  payments.refund_payment after the commit, which the ledger hears as payment_refunded;
  for cash on delivery it was already taken off the cash to collect).
- shipment_delivered(shipment): the parcel reached the buyer.
- cash_collected(shipment, amount, short): cash on delivery was collected; the fulfiller
  holds it. `short` ({order line id: units}) are the units packed short, whose price was
  taken off the cash to collect, so the ledger knows whose part of the parcel is missing.
- order_completed(order, automatic): the buyer confirmed receipt, or the waiting time
  passed; escrow may be released.
- auto_complete_blocked(order): asked before an order is completed automatically; a
  receiver answering True (an open return, a dispute) keeps it open.
"""

from django.dispatch import Signal

shipment_packed_short = Signal()
shipment_delivered = Signal()
cash_collected = Signal()
order_completed = Signal()
auto_complete_blocked = Signal()
