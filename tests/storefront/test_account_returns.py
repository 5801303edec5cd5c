"""Returns in the shop: the buyer asks on the order page (with a photo) and sees the
status; the cooperative decides on its returns page, where the photo shows."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from graphql_relay import to_global_id

from marketplace.payments.selectors import refundable_payment
from marketplace.payments.services import refund_payment
from marketplace.returns import services
from marketplace.returns.models import ReturnRequest, ReturnStatus
from marketplace.returns.services import AskedLine
from tests.builders import images
from tests.builders.catalog import make_variant
from tests.builders.returns import delivered_order, placed_order, return_waiting_for_cash
from tests.storefront.panel_support import signed_in_client


@pytest.fixture
def order(seeded, buyer, staff_a, seller_a, django_capture_on_commit_callbacks):
    saffron = make_variant(seller_a, quantity=10, price=250_000, name="زعفران سرگل")
    honey = make_variant(seller_a, quantity=10, price=400_000, name="عسل کنار")
    with django_capture_on_commit_callbacks(execute=True):
        return delivered_order(buyer, [(saffron, 2), (honey, 1)], staff_a)


def order_url(order) -> str:
    return reverse("account:order", args=[to_global_id("Order", order.pk)])


def test_buyer_returns_a_damaged_unit_and_the_cooperative_accepts(
    order, buyer, staff_a, coop_a, media_root, django_capture_on_commit_callbacks
):
    browser = signed_in_client(buyer, "fa")
    page = browser.get(order_url(order)).content.decode()
    assert "بازگرداندن کالاهای این بسته" in page
    line = order.lines.get(product_name="زعفران سرگل")
    photo = SimpleUploadedFile("broken.jpg", images.jpeg_with_gps(), content_type="image/jpeg")
    order_id = to_global_id("Order", order.pk)
    answer = browser.post(
        reverse("account:return_create", args=[order_id]),
        {
            f"qty:{to_global_id('OrderLine', line.pk)}": "1",
            "reason": "DAMAGED",
            "text": "شیشه شکسته بود",
            "photos": [photo],
        },
        follow=True,
    )
    html = answer.content.decode()
    assert "درخواست بازگشت شما برای فروشنده فرستاده شد." in html
    assert "در انتظار تصمیم" in html and "آسیب‌دیده رسید" in html
    request = ReturnRequest.objects.get()
    assert request.photos.count() == 1

    staff = signed_in_client(staff_a, "fa")
    desk = staff.get(reverse("panel:returns", args=[coop_a.slug])).content.decode()
    assert "شیشه شکسته بود" in desk
    link = re.search(r'src="(/returns/photos/[^"]+)"', desk).group(1)
    served = staff.get(link)
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
    assert b"".join(served.streaming_content)[:2] == b"\xff\xd8"
    assert staff.get(link[:-3] + "xx/").status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(
            reverse("panel:return_action", args=[coop_a.slug]),
            {"id": to_global_id("ReturnRequest", request.pk), "action": "accept"},
        )
    request.refresh_from_db()
    assert request.status == ReturnStatus.REFUNDED
    assert "بازپرداخت‌شده" in browser.get(order_url(order)).content.decode()


def test_undelivered_order_has_no_return_form_and_a_forged_post_is_refused(
    seeded, buyer, seller_a, sara
):
    placed = placed_order(buyer, [(make_variant(seller_a, quantity=3), 1)])
    browser = signed_in_client(buyer)
    assert "Return items of this parcel" not in browser.get(order_url(placed)).content.decode()
    line = placed.lines.get()
    answer = browser.post(
        reverse("account:return_create", args=[to_global_id("Order", placed.pk)]),
        {f"qty:{to_global_id('OrderLine', line.pk)}": "1", "reason": "DAMAGED"},
        follow=True,
    )
    assert "Only delivered items can be returned." in answer.content.decode()
    assert not ReturnRequest.objects.exists()


def test_a_refund_still_owed_shows_as_pending_to_the_buyer_and_the_cooperative(
    seeded, buyer, seller_a, seller_b, staff_b, coop_b, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        order, _payment, _request = return_waiting_for_cash(buyer, seller_a, seller_b, staff_b)
    page = signed_in_client(buyer, "fa").get(order_url(order)).content.decode()
    assert "پذیرفته شد، بازپرداخت در انتظار" in page
    assert "بازپرداخت شما در راه است" in page
    desk = signed_in_client(staff_b, "fa").get(reverse("panel:returns", args=[coop_b.slug]))
    html = desk.content.decode()
    assert "پذیرفته شد، بازپرداخت در انتظار" in html
    assert "بازپرداخت هنوز انجام نشده است" in html


@pytest.mark.parametrize(
    ("language", "to_buyer", "to_cooperative", "not_said"),
    [
        (
            "en",
            "Your refund is being looked at by our staff.",
            "The refund is being looked at by the platform's staff.",
            "until it is paid",
        ),
        (
            "fa",
            "کارکنان ما در حال بررسی بازپرداخت شما هستند.",
            "کارکنان سامانه در حال بررسی این بازپرداخت هستند.",
            "دوباره تلاش",
        ),
    ],
    ids=["en", "fa"],
)
def test_a_refund_held_for_staff_says_so_to_the_buyer_and_the_cooperative(
    language, to_buyer, to_cooperative, not_said, order, buyer, staff_a, coop_a, operator
):
    payment = refundable_payment(order)
    refund_payment(actor=operator, payment=payment, amount=payment.captured_amount)
    line = order.lines.get(product_name="زعفران سرگل")
    request = services.create_return(
        actor=buyer, order=order, lines=[AskedLine(line.pk, 1)], reason="DAMAGED"
    )
    services.decide_return(actor=staff_a, return_request=request, accept=True)
    assert ReturnRequest.objects.get().refund_held_at is not None
    page = signed_in_client(buyer, language).get(order_url(order)).content.decode()
    assert to_buyer in page and not_said not in page
    desk = signed_in_client(staff_a, language).get(reverse("panel:returns", args=[coop_a.slug]))
    html = desk.content.decode()
    assert to_cooperative in html and not_said not in html
