"""Returns of delivered lines: the window, the reasons, the units, who may ask and decide;
accepting refunds exactly the returned lines (payment and ledger) and puts resellable
units back; a rejection can be disputed once and staff decide for good."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from marketplace.core.errors import DomainError
from marketplace.inventory.models import Stock
from marketplace.ledger.models import CauseKind, Posting
from marketplace.notifications.models import Notification
from marketplace.orders.models import OrderEvent
from marketplace.payments.models import Refund, RefundStatus
from marketplace.returns import receivers, services
from marketplace.returns.models import ReturnLine, ReturnRequest, ReturnStatus
from marketplace.returns.services import AskedLine
from tests.builders import images
from tests.builders.returns import delivered_order, fresh_produce_policy, hours_ago, placed_order


def codes(exc: pytest.ExceptionInfo) -> list[tuple[str | None, str]]:
    return [(e.field, e.code) for e in exc.value.errors]


def ask(buyer, order, units: dict, reason: str = "DAMAGED", **kwargs) -> ReturnRequest:
    lines = [AskedLine(line_id=pk, quantity=q) for pk, q in units.items()]
    return services.create_return(actor=buyer, order=order, lines=lines, reason=reason, **kwargs)


def line_of(order, variant):
    return order.lines.get(variant=variant)


def test_buyer_returns_one_unit_with_a_photo_and_the_fulfiller_is_told(
    delivered, buyer, saffron, media_root
):
    line = line_of(delivered, saffron)
    photo = SimpleUploadedFile("p.jpg", images.jpeg_with_gps(), content_type="image/jpeg")
    request = ask(buyer, delivered, {line.pk: 1}, text="شیشه شکسته بود", photos=[photo])
    assert request.status == ReturnStatus.REQUESTED
    assert request.amount == Decimal(250_000)
    stored = request.photos.get()
    with stored.image.open("rb") as handle:
        image = Image.open(io.BytesIO(handle.read()))
    assert not image.getexif()  # the GPS position is gone
    assert "p.jpg" not in stored.image.name
    assert OrderEvent.objects.filter(order=delivered, type="RETURN_REQUESTED").exists()
    assert Notification.objects.filter(template="return.opened.fulfiller").exists()


@pytest.mark.parametrize(
    ("units", "field", "code"),
    [
        ({}, "lines", "REQUIRED"),
        ("three", "lines", "INVALID"),
        ("zero", "lines", "INVALID"),
    ],
)
def test_bad_units_change_nothing(delivered, buyer, saffron, units, field, code):
    line = line_of(delivered, saffron)
    asked = {"three": {line.pk: 3}, "zero": {line.pk: 0}}.get(units, units) if units else {}
    with pytest.raises(DomainError) as exc:
        ask(buyer, delivered, asked)
    assert codes(exc) == [(field, code)]
    assert not ReturnRequest.objects.exists()


def test_never_more_than_delivered_less_already_returned(delivered, buyer, saffron):
    line = line_of(delivered, saffron)
    ask(buyer, delivered, {line.pk: 1})
    ask(buyer, delivered, {line.pk: 1})
    with pytest.raises(DomainError) as exc:
        ask(buyer, delivered, {line.pk: 1})
    assert codes(exc) == [("lines", "INVALID")]
    assert ReturnLine.objects.filter(order_line=line).count() == 2


def test_undelivered_line_is_refused(buyer, saffron, seeded):
    order = placed_order(buyer, [(saffron, 1)])
    with pytest.raises(DomainError) as exc:
        ask(buyer, order, {order.lines.get().pk: 1})
    assert codes(exc) == [("lines", "INVALID_STATUS")]
    assert not ReturnRequest.objects.exists()


def test_another_buyers_order_is_not_found(delivered, sara, saffron):
    line = line_of(delivered, saffron)
    with pytest.raises(DomainError) as exc:
        ask(sara, delivered, {line.pk: 1})
    assert codes(exc) == [("order", "NOT_FOUND")]


def test_a_line_of_another_order_is_not_found(delivered, buyer, saffron, staff_a):
    other = delivered_order(buyer, [(saffron, 1)], staff_a)
    with pytest.raises(DomainError) as exc:
        ask(buyer, delivered, {other.lines.get().pk: 1})
    assert codes(exc) == [("lines", "NOT_FOUND")]


def test_after_the_window_is_refused(buyer, staff_a, saffron, settings):
    settings.RETURN_WINDOW_DAYS = 7
    order = delivered_order(buyer, [(saffron, 1)], staff_a, delivered=hours_ago(7 * 24 + 1))
    with pytest.raises(DomainError) as exc:
        ask(buyer, order, {order.lines.get().pk: 1})
    assert codes(exc) == [("lines", "INVALID_STATUS")]
    inside = delivered_order(buyer, [(saffron, 1)], staff_a, delivered=hours_ago(6 * 24))
    assert ask(buyer, inside, {inside.lines.get().pk: 1}).pk


def test_fresh_produce_only_damaged_within_48_hours(buyer, staff_a, saffron):
    fresh_produce_policy(saffron.product.category)
    order = delivered_order(buyer, [(saffron, 2)], staff_a, delivered=hours_ago(30))
    line = order.lines.get()
    with pytest.raises(DomainError) as exc:
        ask(buyer, order, {line.pk: 1}, reason="NOT_WANTED")
    assert codes(exc) == [("reason", "INVALID")]
    assert ask(buyer, order, {line.pk: 1}, reason="DAMAGED").pk
    late = delivered_order(buyer, [(saffron, 1)], staff_a, delivered=hours_ago(49))
    with pytest.raises(DomainError) as exc:
        ask(buyer, late, {late.lines.get().pk: 1})
    assert codes(exc) == [("lines", "INVALID_STATUS")]


def test_unknown_reason_and_too_many_photos(delivered, buyer, saffron):
    line = line_of(delivered, saffron)
    with pytest.raises(DomainError) as exc:
        ask(buyer, delivered, {line.pk: 1}, reason="BORED")
    assert codes(exc) == [("reason", "INVALID")]
    photos = [SimpleUploadedFile(f"{i}.jpg", images.jpeg()) for i in range(4)]
    with pytest.raises(DomainError) as exc:
        ask(buyer, delivered, {line.pk: 1}, photos=photos)
    assert codes(exc) == [("photos", "INVALID")]
    with pytest.raises(DomainError) as exc:
        ask(buyer, delivered, {line.pk: 1}, photos=[SimpleUploadedFile("x.jpg", b"%PDF-1.4")])
    assert codes(exc) == [("photos", "INVALID")]
    assert not ReturnRequest.objects.exists()


def test_accepting_refunds_exactly_the_lines_and_reverses_the_ledger(
    delivered, buyer, staff_a, saffron, django_capture_on_commit_callbacks
):
    line = line_of(delivered, saffron)
    request = ask(buyer, delivered, {line.pk: 1})
    with django_capture_on_commit_callbacks(execute=True):
        decided = services.decide_return(actor=staff_a, return_request=request, accept=True)
    assert decided.status == ReturnStatus.REFUNDED
    assert decided.refunded == Decimal(250_000)
    refund = Refund.objects.get(reason=f"return:{request.pk}")
    # Cash on delivery cannot be given back online: the buyer is owed it.
    assert refund.status == RefundStatus.OWED
    assert [(r.order_line_id, r.quantity) for r in refund.lines.all()] == [(line.pk, 1)]
    posting = Posting.objects.get(order_id=delivered.pk, cause_kind=CauseKind.REFUND)
    assert posting.amount == Decimal(250_000)
    assert sum(e.amount for e in posting.entries.all()) == 0
    types = list(
        OrderEvent.objects.filter(order=delivered, type__startswith="RETURN").values_list(
            "type", flat=True
        )
    )
    assert types == ["RETURN_REQUESTED", "RETURN_ACCEPTED", "RETURN_REFUNDED"]
    # Refunded at once: the buyer hears it once (not "accepted" and then "refunded" in a
    # row); a refund the gateway could not make is owed, so they hear how it will come.
    told = Notification.objects.filter(
        recipient=f"user:{buyer.pk}", template__regex=r"^(return|refund)\."
    )
    assert set(told.values_list("template", flat=True)) == {"refund.owed.buyer"}
    with pytest.raises(DomainError) as exc:
        services.decide_return(actor=staff_a, return_request=request, accept=False, note="x")
    assert codes(exc) == [("id", "INVALID_STATUS")]


def test_receiving_resellable_goods_puts_them_back_on_sale(
    delivered, buyer, staff_a, honey, django_capture_on_commit_callbacks
):
    line = line_of(delivered, honey)
    before = Stock.objects.get(variant=honey).quantity
    request = ask(buyer, delivered, {line.pk: 1}, reason="NOT_WANTED")
    services.decide_return(actor=staff_a, return_request=request, accept=True)
    received = services.receive_return(actor=staff_a, return_request=request, resellable=True)
    assert received.received_at is not None
    assert Stock.objects.get(variant=honey).quantity == before + 1


def test_only_the_fulfiller_decides(delivered, buyer, staff_b, saffron):
    request = ask(buyer, delivered, {line_of(delivered, saffron).pk: 1})
    for actor in (staff_b, buyer):
        with pytest.raises(DomainError) as exc:
            services.decide_return(actor=actor, return_request=request, accept=True)
        assert codes(exc) == [("id", "PERMISSION_DENIED")]
    request.refresh_from_db()
    assert request.status == ReturnStatus.REQUESTED


def test_rejecting_needs_a_note_then_dispute_and_staff_refund_part(
    delivered, buyer, staff_a, operator, saffron, settings, django_capture_on_commit_callbacks
):
    line = line_of(delivered, saffron)
    request = ask(buyer, delivered, {line.pk: 2})
    with pytest.raises(DomainError) as exc:
        services.decide_return(actor=staff_a, return_request=request, accept=False)
    assert codes(exc) == [("note", "REQUIRED")]
    services.decide_return(
        actor=staff_a, return_request=request, accept=False, note="بسته سالم تحویل شد"
    )
    assert receivers.open_return_blocks_completion(None, order=delivered)
    disputed = services.dispute_return(actor=buyer, return_request=request, text="عکس را ببینید")
    assert disputed.status == ReturnStatus.DISPUTED
    with pytest.raises(DomainError) as exc:
        services.resolve_dispute(
            actor=operator, return_request=request, resolution="PART", amount=Decimal(500_000)
        )
    assert codes(exc) == [("amount", "INVALID")]
    with django_capture_on_commit_callbacks(execute=True):
        resolved = services.resolve_dispute(
            actor=operator, return_request=request, resolution="PART", amount=Decimal(100_000)
        )
    assert resolved.status == ReturnStatus.REFUNDED and resolved.refunded == Decimal(100_000)
    assert Posting.objects.get(order_id=delivered.pk, cause_kind=CauseKind.REFUND).amount == (
        Decimal(100_000)
    )
    with pytest.raises(DomainError) as exc:
        services.resolve_dispute(actor=operator, return_request=request, resolution="FULL")
    assert codes(exc) == [("id", "INVALID_STATUS")]
    assert Notification.objects.filter(template="return.resolved.buyer").exists()


def test_dispute_after_its_days_is_refused_and_staff_only_decide(
    delivered, buyer, staff_a, saffron, settings
):
    request = ask(buyer, delivered, {line_of(delivered, saffron).pk: 1})
    services.decide_return(actor=staff_a, return_request=request, accept=False, note="نه")
    ReturnRequest.objects.filter(pk=request.pk).update(decided_at=hours_ago(24 * 3 + 1))
    with pytest.raises(DomainError) as exc:
        services.dispute_return(actor=buyer, return_request=request, text="چرا")
    assert codes(exc) == [("id", "INVALID_STATUS")]
    with pytest.raises(DomainError) as exc:
        services.resolve_dispute(actor=staff_a, return_request=request, resolution="FULL")
    assert codes(exc) == [("id", "PERMISSION_DENIED")]
    assert not receivers.open_return_blocks_completion(None, order=delivered)


def test_an_open_return_keeps_the_order_from_completing_by_itself(
    delivered, buyer, saffron, settings
):
    from marketplace.logistics.services import auto_complete_orders
    from marketplace.orders.models import OrderStatus

    settings.ORDER_AUTO_COMPLETE_DAYS = 7
    request = ask(buyer, delivered, {line_of(delivered, saffron).pk: 1})
    later = hours_ago(-24 * 8)
    assert auto_complete_orders(now=later) == 0
    delivered.refresh_from_db()
    assert delivered.status == OrderStatus.FULFILLED
    ReturnRequest.objects.filter(pk=request.pk).update(status=ReturnStatus.CLOSED)
    assert auto_complete_orders(now=later) == 1


def test_fresh_produce_comes_with_its_own_policy(seeded):
    from marketplace.catalog.models import Category
    from marketplace.returns.models import ReturnPolicy

    fresh = Category.objects.get(slug="fresh-produce")
    policy = ReturnPolicy.objects.get(category=fresh)
    assert (policy.window_hours, policy.reasons) == (48, ["DAMAGED"])


def test_words_are_limited_and_lose_bidi_overrides(delivered, buyer, saffron):
    line = line_of(delivered, saffron)
    with pytest.raises(DomainError) as exc:
        ask(buyer, delivered, {line.pk: 1}, text="ا" * 1_000_000)
    assert codes(exc) == [("text", "TOO_LONG")]
    assert not ReturnRequest.objects.exists()
    request = ask(buyer, delivered, {line.pk: 1}, text="\u202eشکسته\u202c بود")
    assert request.text == "شکسته بود"
