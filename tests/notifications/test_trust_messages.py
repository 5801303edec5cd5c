"""Messages of reviews and disputes: the seller hears of a new review of their product
(a kind they may turn off); platform staff who may decide disputes get an e-mail when a
buyer disputes a rejected return, and find the open disputes in the admin."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.urls import reverse

from marketplace.core.errors import DomainError
from marketplace.core.models import Job
from marketplace.notifications import services as notifications
from marketplace.notifications.models import ChannelKind, Notification
from marketplace.returns import services as returns
from marketplace.returns.services import AskedLine
from marketplace.reviews import services as reviews
from tests.builders.accounts import make_user
from tests.builders.catalog import make_variant
from tests.builders.returns import delivered_order
from tests.builders.reviews import make_review
from tests.builders.seed import ensure_seeded


@pytest.fixture
def seeded(db) -> None:
    ensure_seeded()


def rows(template: str) -> list[Notification]:
    return list(Notification.objects.filter(template=template).order_by("email", "phone"))


def test_the_seller_hears_of_a_new_review_in_their_language(seeded, buyer, seller_a):
    owner = seller_a.owner
    owner.language = "en"
    owner.save(update_fields=["language"])
    make_review(buyer, make_variant(seller_a, name="زعفران سرگل"), 4, "خوشبو")
    [sms] = rows("review.created.seller")
    # The shop's mobile number: the seller signed up by e-mail.
    assert (sms.channel, sms.phone, sms.user_id) == (ChannelKind.SMS, seller_a.phone, owner.pk)
    subject, text = notifications.render(sms)
    assert subject == "New review of زعفران سرگل"
    assert "rated زعفران سرگل 4 of 5" in text
    sms.language = "fa"
    subject, text = notifications.render(sms)
    assert subject == "نظر تازه دربارهٔ زعفران سرگل"
    assert "۴" in text or "4" in text


def test_a_seller_may_turn_review_messages_off_or_choose_email(seeded, buyer, sara, seller_a):
    owner = seller_a.owner
    notifications.set_preference(actor=owner, kind="reviews", delivery="OFF")
    make_review(buyer, make_variant(seller_a), 5)
    assert rows("review.created.seller") == []
    notifications.set_preference(actor=owner, kind="reviews", delivery="EMAIL")
    make_review(sara, make_variant(seller_a), 3)
    assert [(r.channel, r.email) for r in rows("review.created.seller")] == [
        (ChannelKind.EMAIL, owner.email)
    ]


def test_hiding_or_showing_a_review_is_no_new_review_to_the_seller(
    seeded, buyer, seller_a, operator
):
    owner = seller_a.owner
    notifications.set_preference(actor=owner, kind="reviews", delivery="OFF")
    review = make_review(buyer, make_variant(seller_a), 1, "بد")
    notifications.set_preference(actor=owner, kind="reviews", delivery="EMAIL")
    reviews.set_hidden(actor=operator, review_id=review.pk, hidden=True)
    reviews.set_hidden(actor=operator, review_id=review.pk, hidden=False)
    assert rows("review.created.seller") == []


@pytest.fixture
def deciders(db):
    """Who may decide disputes (a superuser, staff given both permissions, one of them
    through a group) and who may not (only one of them, or not staff)."""
    returns_perm = Permission.objects.get(codename="change_returnrequest")
    orders_perm = Permission.objects.get(codename="change_order")
    desk = Group.objects.create(name="Returns desk")
    desk.permissions.add(returns_perm)
    clerk = make_user("clerk@example.com", is_staff=True, phone="+989151112233")
    clerk.user_permissions.add(orders_perm)
    clerk.groups.add(desk)
    outsider = make_user("outsider@example.com")
    outsider.user_permissions.add(returns_perm, orders_perm)
    half = make_user("half@example.com", is_staff=True)
    half.user_permissions.add(returns_perm)
    make_user("viewer@example.com", is_staff=True)
    boss = make_user("boss@example.com", is_staff=True, is_superuser=True)
    return {"clerk": clerk, "boss": boss, "half": half}


def test_a_dispute_emails_the_staff_who_may_decide_it_and_is_listed_open(
    client, seeded, buyer, seller_a, staff_a, deciders
):
    saffron = make_variant(seller_a, quantity=5)
    order = delivered_order(buyer, [(saffron, 2)], staff_a)
    asked = [AskedLine(order.lines.get().pk, 1)]
    settled = returns.create_return(actor=buyer, order=order, lines=asked, reason="DAMAGED")
    request = returns.create_return(actor=buyer, order=order, lines=asked, reason="DAMAGED")
    returns.decide_return(actor=staff_a, return_request=request, accept=False, note="سالم بود")
    assert rows("return.disputed.staff") == []
    returns.dispute_return(actor=buyer, return_request=request, text="عکس را ببینید")
    sent = rows("return.disputed.staff")
    assert [(r.email, r.channel) for r in sent] == [
        ("boss@example.com", ChannelKind.EMAIL),
        ("clerk@example.com", ChannelKind.EMAIL),
    ]
    # Sent through the outbox, as every message: one job each, then one e-mail each.
    jobs = Job.objects.filter(dedup_key__in=[f"notification:{r.pk}" for r in sent])
    assert jobs.count() == 2
    for row in sent:
        assert notifications.deliver(notification_id=row.pk).sent
    emails = [m for m in mail.outbox if "boss@example.com" in m.to]
    assert len(emails) == 1
    assert str(order.number) in emails[0].subject and str(request.pk) in emails[0].subject
    assert seller_a.cooperative.name in emails[0].body

    client.force_login(deciders["clerk"])
    listing = client.get(reverse("admin:returns_returnrequest_changelist") + "?dispute=open")
    assert listing.status_code == 200
    shown = [r.pk for r in listing.context["cl"].result_list]
    assert shown == [request.pk] and settled.pk not in shown
    # Who was not e-mailed cannot decide it either; who was, can.
    with pytest.raises(DomainError):
        returns.resolve_dispute(actor=deciders["half"], return_request=request, resolution="NONE")
    decided = returns.resolve_dispute(
        actor=deciders["clerk"], return_request=request, resolution="NONE"
    )
    assert decided.status == "CLOSED"
