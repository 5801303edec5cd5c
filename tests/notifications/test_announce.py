"""Who hears of which event: the recipients and channels each announcement records."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import transaction

from marketplace.notifications import announce, services
from marketplace.notifications.models import Notification
from marketplace.orders import services as orders
from tests.builders.accounts import make_user
from tests.builders.catalog import make_variant
from tests.builders.checkout import make_checkout

pytestmark = pytest.mark.django_db

GUEST_PHONE = "+989121234567"  # the builders' shipping address


@pytest.fixture
def guest_order(seeded, coop_a, staff_a, seller_a, independent):
    """A guest's order of a cooperative member's saffron and an independent's honey."""
    lines = [(make_variant(seller_a), 1), (make_variant(independent), 2)]
    with transaction.atomic():
        checkout = make_checkout(lines, email="guest@example.com")
    order, _payment = orders.complete_checkout(
        actor=AnonymousUser(), checkout=checkout, gateway="cod"
    )
    return order


def heard(**filters) -> set[tuple[str, str, str]]:
    return set(
        Notification.objects.filter(**filters).values_list("template", "recipient", "channel")
    )


def test_a_guest_order_reaches_the_guest_each_fulfiller_and_each_seller_once(
    guest_order, staff_a, seller_a, independent
):
    assert announce.order_placed(order_id=guest_order.pk) == 4
    assert heard() == {
        ("order.placed.buyer", f"contact:{GUEST_PHONE}", "SMS"),
        ("order.placed.fulfiller", f"user:{staff_a.pk}", "EMAIL"),
        # The member's shop hears on its mobile number; its cooperative packs.
        ("order.placed.seller", f"user:{seller_a.owner_id}", "SMS"),
        # The independent seller packs its own parcel: one message, as the fulfiller.
        ("order.placed.fulfiller", f"user:{independent.owner_id}", "SMS"),
    }
    assert announce.order_placed(order_id=guest_order.pk) == 0
    assert Notification.objects.count() == 4


def test_returns_reach_the_fulfiller_then_the_buyer(guest_order, staff_a):
    shipment = guest_order.shipments.get(cooperative__isnull=False)
    announce.return_opened(shipment=shipment, return_id=7)
    assert heard(template="return.opened.fulfiller") == {
        ("return.opened.fulfiller", f"user:{staff_a.pk}", "EMAIL")
    }
    announce.return_decided(order=guest_order, return_id=7, decision="پذیرفته شد")
    [row] = Notification.objects.filter(template="return.decided.buyer")
    assert (row.recipient, row.channel) == (f"contact:{GUEST_PHONE}", "SMS")
    assert "پذیرفته شد" in services.render(row)[1]
    announce.return_opened(shipment=shipment, return_id=7)
    assert Notification.objects.filter(template__startswith="return.").count() == 2


def test_an_independent_application_reaches_the_platform_staff_and_the_owner(independent, operator):
    make_user("clerk@example.com", is_staff=True)  # staff, but not the platform's operator
    announce.seller_applied(seller=independent)
    assert heard(template__startswith="seller.applied") == {
        ("seller.applied.staff", f"user:{operator.pk}", "EMAIL"),
        ("seller.applied.owner", f"user:{independent.owner_id}", "SMS"),
    }


def test_messages_are_in_the_recipients_language(seller_a):
    seller_a.owner.language = "en"
    seller_a.owner.save(update_fields=["language"])
    announce.seller_approved(seller=seller_a)
    row = Notification.objects.get(template="seller.approved.owner")
    assert services.render(row)[1].startswith("Bazarcheh: ")
    row.language = "fa"
    assert services.render(row)[1].startswith("بازارچه: ")
