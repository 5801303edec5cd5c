"""sellerReject: a cooperative's staff turn a pending applicant down with a reason that
the applicant receives by email; the panel's desk offers it beside approval."""

from __future__ import annotations

import pytest

from marketplace.notifications import services as notifications
from marketplace.notifications.models import Notification
from marketplace.sellers.models import SellerStatus
from tests.builders.sellers import make_seller
from tests.storefront.panel_support import signed_in_client
from tests.support import gid

pytestmark = pytest.mark.django_db

REJECT = """mutation($id: ID!, $reason: String!) {
  sellerReject(id: $id, reason: $reason) { seller { status } errors { field code } }
}"""
REASON = "کارت ملی خوانا نیست؛ لطفاً دوباره بفرستید."


@pytest.fixture
def applicant(coop_a):
    return make_seller("applicant@example.com", "لبنیات روستا", coop_a, status=SellerStatus.PENDING)


def test_staff_reject_an_applicant_who_is_told_why(api, staff_a, applicant):
    result = api(REJECT, {"id": gid(applicant), "reason": REASON}, user=staff_a)
    assert result["data"]["sellerReject"] == {"seller": {"status": "REJECTED"}, "errors": []}
    applicant.refresh_from_db()
    assert applicant.status == SellerStatus.REJECTED and applicant.rejection_reason == REASON
    notification = Notification.objects.get(template="seller.rejected.owner")
    assert notification.recipient == f"user:{applicant.owner_id}"
    assert REASON in notifications.render(notification)[1]


def test_a_reason_is_required_and_others_may_not_reject(api, staff_a, staff_b, applicant):
    blank = api(REJECT, {"id": gid(applicant), "reason": "  "}, user=staff_a)
    assert blank["data"]["sellerReject"]["errors"] == [{"field": "reason", "code": "REQUIRED"}]
    other = api(REJECT, {"id": gid(applicant), "reason": REASON}, user=staff_b)
    assert other["data"]["sellerReject"]["errors"][0]["code"] == "PERMISSION_DENIED"
    applicant.refresh_from_db()
    assert applicant.status == SellerStatus.PENDING
    assert not Notification.objects.filter(template="seller.rejected.owner").exists()


def test_an_approved_seller_cannot_be_rejected(api, staff_a, seller_a):
    result = api(REJECT, {"id": gid(seller_a), "reason": REASON}, user=staff_a)
    assert result["data"]["sellerReject"]["errors"][0]["code"] == "INVALID_STATUS"


def test_the_desk_rejects_with_a_reason(staff_a, applicant):
    desk = signed_in_client(staff_a, "fa")
    page = desk.get("/panel/coop/torbat-saffron/").content.decode()
    assert 'action="/panel/coop/torbat-saffron/reject/"' in page and 'name="reason"' in page
    response = desk.post(
        "/panel/coop/torbat-saffron/reject/", {"seller": gid(applicant), "reason": REASON}
    )
    assert response.status_code == 302
    applicant.refresh_from_db()
    assert applicant.status == SellerStatus.REJECTED
    assert "لبنیات روستا" not in desk.get("/panel/coop/torbat-saffron/").content.decode()
