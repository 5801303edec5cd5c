"""The gateway registry: which gateways a channel offers, and cash on delivery."""

from __future__ import annotations

import pytest
from django.utils import translation

from integrations.payments.cod import CashOnDelivery
from marketplace.payments.gateways import (
    PaymentAction,
    gateways_for_channel,
    gateways_for_currency,
    get_gateway,
)
from marketplace.payments.models import PaymentStatus
from tests.orders.gateways import online_gateway


@pytest.fixture
def online_off(settings):
    settings.PAYMENT_SANDBOX = False
    settings.SHAPARAK_MERCHANT_ID = ""
    settings.STRIPE_SECRET_KEY = ""


def test_cod_is_offered_in_rial_only(ir, intl, online_off):
    assert [g.id for g in gateways_for_channel(ir)] == ["cod"]
    assert gateways_for_channel(intl) == []
    assert isinstance(get_gateway("cod"), CashOnDelivery)
    assert get_gateway("nope") is None and get_gateway(None) is None


def test_cod_confirms_at_once_without_charging():
    cod = get_gateway("cod")
    assert cod.confirms_at_once and cod.initial_status == PaymentStatus.NOT_CHARGED
    response = cod.start(payment=None, redirect_url=None)
    assert (response.status, response.action, response.raw) == (
        PaymentStatus.NOT_CHARGED,
        None,
        None,
    )
    with translation.override("en"):
        assert str(cod.name) == "Cash on delivery"


def test_online_gateways_are_offered_when_configured(ir, intl, settings):
    settings.PAYMENT_SANDBOX = True
    settings.SHAPARAK_MERCHANT_ID = "x" * 36
    settings.STRIPE_SECRET_KEY = "sk_test_1"
    assert [g.id for g in gateways_for_channel(ir)] == ["cod", "shaparak", "sandbox"]
    assert [g.id for g in gateways_for_channel(intl)] == ["sandbox", "stripe"]
    settings.PAYMENT_SANDBOX = False
    assert [g.id for g in gateways_for_channel(intl)] == ["stripe"]


def test_registered_gateways_join_by_currency(online_off):
    with online_gateway():
        assert {g.id for g in gateways_for_currency("USD")} == {"test-redirect"}
        assert {g.id for g in gateways_for_currency("IRR")} == {"cod", "test-redirect"}
    assert {g.id for g in gateways_for_currency("USD")} == set()


def test_payment_action_round_trip():
    action = PaymentAction(kind="CLIENT_SECRET", client_secret="pi_123_secret")
    assert PaymentAction.from_json(action.as_json()) == action
    assert PaymentAction.from_json(None) is None
