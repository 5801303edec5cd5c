"""Reservations: what a checkout holds is taken from everyone else's quantityAvailable,
stops counting when its time is up without any job running, is renewed by every write
to the checkout, and is cleaned up by the periodic tasks."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from marketplace.accounts.models import Address
from marketplace.checkout.models import Checkout, CheckoutLine
from marketplace.checkout.tasks import delete_abandoned_checkouts
from marketplace.inventory.models import Reservation
from marketplace.inventory.tasks import delete_expired_reservations
from tests.api.checkout.documents import ADDRESS, ADDRESS_UPDATE, LINES_ADD, VARIANT_AVAILABLE, line
from tests.builders.accounts import make_user
from tests.builders.catalog import make_variant
from tests.support import codes, gid


def available(api, variant, user=None) -> int:
    answer = api(VARIANT_AVAILABLE, {"id": gid("ProductVariant", variant.pk)}, user=user)
    return answer["data"]["node"]["quantityAvailable"]


def expire_all() -> None:
    """As if the reservation time had passed."""
    Reservation.objects.update(reserved_until=timezone.now() - timedelta(seconds=1))


def test_a_reservation_lowers_quantity_available_for_everyone_else(ir, api, create, seller_a):
    variant = make_variant(seller_a, quantity=10)
    assert available(api, variant) == 10
    assert create([line(variant, 4)])["errors"] == []
    other = make_user("other@example.com")
    assert available(api, variant) == 6
    assert available(api, variant, user=other) == 6
    refused = create([line(variant, 7)], user=other)
    assert codes(refused) == [("lines.0.quantity", "INSUFFICIENT_STOCK")]
    assert refused["errors"][0]["message"] == "Only 6 left in stock."
    assert create([line(variant, 6)], user=other)["errors"] == []
    assert available(api, variant) == 0


def test_reservations_last_fifteen_minutes(ir, create, seller_a, settings):
    before = timezone.now()
    create([line(make_variant(seller_a), 1)])
    until = Reservation.objects.get().reserved_until
    assert timedelta(minutes=14, seconds=59) < until - before < timedelta(minutes=15, seconds=5)


def test_an_expired_reservation_stops_counting_without_any_job(ir, api, create, seller_a):
    variant = make_variant(seller_a, quantity=10)
    create([line(variant, 8)])
    assert available(api, variant) == 2
    expire_all()
    # The row is still there; it just no longer counts.
    assert Reservation.objects.count() == 1
    assert available(api, variant) == 10
    assert create([line(variant, 10)], email="second@example.com")["errors"] == []
    assert available(api, variant) == 0


def test_the_cleanup_task_deletes_expired_rows_only(ir, create, seller_a):
    first, second = make_variant(seller_a), make_variant(seller_a)
    create([line(first, 1)])
    expire_all()
    create([line(second, 1)])
    assert delete_expired_reservations() == 1
    assert list(Reservation.objects.values_list("checkout_line__variant_id", flat=True)) == [
        second.pk
    ]
    assert CheckoutLine.objects.count() == 2


def test_every_write_renews_the_live_reservations(ir, create, call, seller_a):
    checkout = create([line(make_variant(seller_a), 1)])["checkout"]
    soon = timezone.now() + timedelta(minutes=1)
    Reservation.objects.update(reserved_until=soon)
    assert call(ADDRESS_UPDATE, checkout["id"], address=ADDRESS)["errors"] == []
    assert Reservation.objects.get().reserved_until > timezone.now() + timedelta(minutes=14)


def test_a_lapsed_hold_is_not_revived_by_a_write_that_cannot_check_stock(
    ir, api, create, call, seller_a
):
    variant = make_variant(seller_a, quantity=10)
    checkout = create([line(variant, 4)])["checkout"]
    expire_all()
    assert create([line(variant, 8)], email="quick@example.com")["errors"] == []
    call(ADDRESS_UPDATE, checkout["id"], address=ADDRESS)
    # Reviving the 4 would promise 12 units of 10.
    assert available(api, variant) == 2
    assert (
        sum(
            Reservation.objects.filter(reserved_until__gt=timezone.now()).values_list(
                "quantity", flat=True
            )
        )
        == 8
    )


def test_changing_the_lines_renews_a_lapsed_hold_with_what_is_left(ir, api, create, call, seller_a):
    variant = make_variant(seller_a, quantity=10)
    checkout = create([line(variant, 4)])["checkout"]
    expire_all()
    create([line(variant, 8)], email="quick@example.com")
    payload = call(LINES_ADD, checkout["id"], lines=[line(make_variant(seller_a), 1)])
    # The untouched line keeps its quantity and holds the 2 units left; no error.
    assert payload["errors"] == []
    assert [ln["quantity"] for ln in payload["checkout"]["lines"]] == [4, 1]
    line_row = CheckoutLine.objects.get(variant=variant, checkout__email="guest@example.com")
    assert list(line_row.reservations.values_list("quantity", flat=True)) == [2]
    assert available(api, variant) == 0


def test_abandoned_anonymous_checkouts_are_deleted_after_thirty_days(
    ir, create, call, buyer, seller_a
):
    variant = make_variant(seller_a, quantity=20)
    old = create([line(variant, 1)])["checkout"]
    call(ADDRESS_UPDATE, old["id"], address=ADDRESS)
    recent = create([line(variant, 1)], email="recent@example.com")["checkout"]
    create([line(variant, 1)], user=buyer, email=None)
    old_row = Checkout.objects.get(email="guest@example.com", user__isnull=True)
    Checkout.objects.filter(pk=old_row.pk).update(updated=timezone.now() - timedelta(days=31))
    Checkout.objects.filter(user=buyer).update(updated=timezone.now() - timedelta(days=90))
    Checkout.objects.filter(email="recent@example.com").update(
        updated=timezone.now() - timedelta(days=29)
    )
    assert delete_abandoned_checkouts() == 1
    assert set(Checkout.objects.values_list("email", flat=True)) == {
        "recent@example.com",
        buyer.email,
    }
    # Its lines, reservations and address copy went with it.
    assert CheckoutLine.objects.count() == 2 and Reservation.objects.count() == 2
    assert not Address.objects.exists()
    assert delete_abandoned_checkouts() == 0
    assert recent
