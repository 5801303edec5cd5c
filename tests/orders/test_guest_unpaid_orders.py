"""Guest orders confirmed without payment (cash on delivery) hold stock until they ship:
bounded per phone and per client address (orders.guests), on real PostgreSQL."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from marketplace.core.errors import DomainError
from marketplace.orders import services
from marketplace.orders.models import Order, OrderStatus
from tests.builders.catalog import make_variant
from tests.builders.checkout import make_checkout
from tests.support import codes

pytestmark = pytest.mark.django_db

GUEST = AnonymousUser()


@pytest.fixture
def variant(ir, seller_a):
    return make_variant(seller_a, quantity=50)


def complete(checkout, *, actor=GUEST, client="203.0.113.9", gateway="cod"):
    return services.complete_checkout(
        actor=actor, checkout=checkout, gateway=gateway, client=client
    )


def refusal(checkout, **kwargs) -> DomainError:
    with pytest.raises(DomainError) as caught:
        complete(checkout, **kwargs)
    return caught.value


def test_a_phone_holds_a_bounded_number_of_open_cash_orders(variant, buyer, settings):
    settings.GUEST_UNPAID_ORDERS_PER_PHONE = 2
    for _ in range(2):
        order, _payment = complete(make_checkout([(variant, 1)]))
        assert order.status == OrderStatus.CONFIRMED
    held = make_checkout([(variant, 1)])
    error = refusal(held)
    assert codes(error) == [("payment_gateway", "THROTTLED")]
    assert "2" in str(error.errors[0].message)
    assert Order.objects.count() == 2
    # A delivered order no longer holds anything.
    Order.objects.filter(pk=Order.objects.first().pk).update(status=OrderStatus.FULFILLED)
    assert complete(held)[0].status == OrderStatus.CONFIRMED
    # A signed-in buyer with the same phone is not a guest.
    assert complete(make_checkout([(variant, 1)], user=buyer), actor=buyer)[0].user == buyer


def test_a_client_places_a_bounded_number_of_guest_cash_orders_a_day(variant, settings):
    settings.GUEST_UNPAID_ORDERS_PER_CLIENT_DAY = 2
    settings.GUEST_UNPAID_ORDERS_PER_PHONE = 100
    # A completion refused for another reason is not counted.
    empty = make_checkout([])
    assert codes(refusal(empty)) == [("lines", "INVALID")]
    complete(make_checkout([(variant, 1)]))
    complete(make_checkout([(variant, 1)]))
    error = refusal(make_checkout([(variant, 1)]))
    assert codes(error) == [("payment_gateway", "THROTTLED")]
    assert Order.objects.count() == 2
    assert complete(make_checkout([(variant, 1)]), client="203.0.113.10")[0].pk
