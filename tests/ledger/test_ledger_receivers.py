"""The signal wiring: connected only to the sender modules that exist, and each signal
posts once however often it is sent."""

from __future__ import annotations

import sys
import types

from django.dispatch import Signal

from marketplace.ledger import receivers, selectors
from marketplace.ledger.models import CauseKind, Posting
from tests.ledger.conftest import place


def test_missing_sender_modules_are_skipped(monkeypatch):
    monkeypatch.setattr(receivers, "CONNECTED", [])
    for name in receivers.SIGNALS:
        monkeypatch.setitem(sys.modules, name, None)  # an import that fails
    receivers.connect()
    assert receivers.CONNECTED == []


def test_fulfilment_signals_post_once(monkeypatch, variants):
    module = types.ModuleType("marketplace.logistics.signals")
    for name in (
        "cash_collected",
        "order_completed",
        "shipment_packed_short",
        "shipment_delivered",
    ):
        setattr(module, name, Signal())
    monkeypatch.setitem(sys.modules, "marketplace.logistics.signals", module)
    monkeypatch.setitem(sys.modules, "marketplace.payments.signals", None)
    monkeypatch.setattr(receivers, "CONNECTED", [])
    receivers.connect()
    assert sorted(receivers.CONNECTED) == [
        "cash_collected",
        "order_completed",
        "shipment_packed_short",
    ]
    order = place([(variants[0], 1)])
    shipment = order.shipments.get()
    due = selectors.cash_due(shipment)
    for _twice in range(2):
        module.cash_collected.send(sender=None, shipment=shipment, amount=due)
        module.order_completed.send(sender=None, order=order)
    kinds = list(Posting.objects.values_list("cause_kind", flat=True).order_by("id"))
    assert kinds == [CauseKind.CASH, CauseKind.COMPLETION]
