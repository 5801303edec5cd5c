import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from marketplace.inventory.models import Warehouse
from marketplace.notifications.models import Notification
from marketplace.sellers.models import Seller, SellerStatus
from tests.builders.accounts import make_user
from tests.builders.sellers import make_seller
from tests.conftest import use_broker
from tests.support import gid

pytestmark = pytest.mark.django_db

VALID_SHEBA = "IR05 0170 0000 0012 3456 7890 12"
BAD_SHEBA = "IR06 0170 0000 0012 3456 7890 12"
CREATE = """
mutation($input: SellerCreateInput!) {
  sellerCreate(input: $input) {
    seller { id name slug status phone cooperative { slug } payoutAccount { iban } }
    errors { field code message }
  }
}"""


def create(api, user, **fields):
    data = {"name": "زعفران ممتاز خانواده کاظمی", "phone": "۰۹۱۵ ۱۰۰ ۲۰۳۰", **fields}
    return api(CREATE, {"input": data}, user=user)["data"]["sellerCreate"]


def test_seller_create_is_pending_with_a_checked_sheba(api, buyer, coop_a):
    result = create(api, buyer, cooperative=gid(coop_a), payoutIban=VALID_SHEBA)
    assert result["errors"] == []
    seller = result["seller"]
    assert seller["status"] == "PENDING"
    assert seller["phone"] == "+989151002030"
    assert seller["cooperative"]["slug"] == coop_a.slug
    assert seller["payoutAccount"]["iban"] == "IR050170000000123456789012"
    assert seller["slug"]


def test_seller_create_only_once(api, buyer):
    assert create(api, buyer)["errors"] == []
    again = create(api, buyer, name="دومی")
    assert again["errors"][0]["code"] == "UNIQUE"
    assert Seller.objects.filter(owner=buyer).count() == 1


@pytest.mark.parametrize(
    ("fields", "field", "code"),
    [
        ({"payoutIban": BAD_SHEBA}, "payoutIban", "INVALID"),
        ({"payoutIban": "IR05"}, "payoutIban", "INVALID"),
        ({"phone": "0915"}, "phone", "INVALID"),
        ({"name": "   "}, "name", "REQUIRED"),
        ({"description": "ق" * 1_000_000}, "description", "TOO_LONG"),
        ({"cooperative": gid("Village", 1)}, "cooperative", "INVALID"),
        ({"cooperative": gid("Cooperative", 999999)}, "cooperative", "NOT_FOUND"),
        ({"cooperative": "garbage"}, "cooperative", "INVALID"),
        ({"village": gid("Seller", 1)}, "village", "INVALID"),
    ],
)
def test_seller_create_rejects_bad_input_and_stores_nothing(api, buyer, fields, field, code):
    result = create(api, buyer, **fields)
    assert result["seller"] is None
    assert (field, code) in [(e["field"], e["code"]) for e in result["errors"]]
    assert not Seller.objects.exists()


def test_pending_sellers_are_hidden_from_the_public_until_approved(api, buyer, coop_a, staff_a):
    seller_id = create(api, buyer, cooperative=gid(coop_a))["seller"]["id"]
    lookup = "query($id: ID) { seller(id: $id) { name status } }"
    assert api(lookup, {"id": seller_id})["data"]["seller"] is None
    assert api(lookup, {"id": seller_id}, user=buyer)["data"]["seller"]["status"] == "PENDING"
    assert api(lookup, {"id": seller_id}, user=staff_a)["data"]["seller"]["status"] == "PENDING"
    approve = "mutation($id: ID!) { sellerApprove(id: $id) { seller { status } errors { code } } }"
    assert (
        api(approve, {"id": seller_id}, user=staff_a)["data"]["sellerApprove"]["seller"]["status"]
        == "APPROVED"
    )
    assert api(lookup, {"id": seller_id})["data"]["seller"]["status"] == "APPROVED"
    seller = Seller.objects.get()
    assert seller.approved_by == staff_a and seller.approved_at is not None


def test_suspended_seller_cannot_be_approved_by_staff(api, coop_a, staff_a):
    seller = make_seller("s@example.com", "x", coop_a, status=SellerStatus.SUSPENDED)
    approve = "mutation($id: ID!) { sellerApprove(id: $id) { seller { status } errors { code } } }"
    result = api(approve, {"id": gid(seller)}, user=staff_a)["data"]["sellerApprove"]
    assert result["errors"] == [{"code": "INVALID_STATUS"}]


def test_private_seller_fields_are_for_owner_staff_and_platform(
    api, seller_a, staff_a, staff_b, buyer
):
    seller_a.payout_iban = "IR050170000000123456789012"
    seller_a.save()
    query = "query($slug: String) { seller(slug: $slug) { phone payoutAccount { iban } } }"
    for user, visible in [
        (None, False),
        (buyer, False),
        (staff_b, False),
        (staff_a, True),
        (seller_a.owner, True),
    ]:
        data = api(query, {"slug": seller_a.slug}, user=user)["data"]["seller"]
        assert (data["phone"] is not None) is visible
        assert (data["payoutAccount"] is not None) is visible


def test_only_the_owner_may_change_the_payout_account(api, seller_a, staff_a):
    update = """mutation($id: ID!, $iban: String) {
      sellerUpdate(id: $id, input: {payoutIban: $iban}) { seller { id } errors { field code } } }"""
    by_staff = api(update, {"id": gid(seller_a), "iban": VALID_SHEBA}, user=staff_a)["data"][
        "sellerUpdate"
    ]
    assert by_staff["errors"] == [{"field": "payoutIban", "code": "PERMISSION_DENIED"}]
    by_owner = api(update, {"id": gid(seller_a), "iban": VALID_SHEBA}, user=seller_a.owner)["data"][
        "sellerUpdate"
    ]
    assert by_owner["errors"] == []
    seller_a.refresh_from_db()
    assert seller_a.payout_iban == "IR050170000000123456789012"


def test_wrong_id_type_in_a_query_is_an_error_not_a_500(api, seller_a):
    body = api(
        "query($id: ID) { seller(id: $id) { name } }",
        {"id": gid("Cooperative", seller_a.pk)},
    )
    assert body["errors"][0]["extensions"]["code"] == "INVALID"


def test_first_is_capped_at_100(api):
    body = api("{ sellers(first: 101) { totalCount } }")
    assert body["data"] is None or body["data"].get("sellers") is None
    assert "100" in body["errors"][0]["message"]


def test_pagination_and_total_count(api, coop_a):
    for i in range(5):
        make_seller(f"p{i}@example.com", f"تولیدکننده {i}", coop_a)
    query = """query($after: String) { sellers(first: 2, after: $after) {
        totalCount pageInfo { hasNextPage hasPreviousPage endCursor } edges { node { name } } } }"""
    names, after, pages = [], None, 0
    while True:
        page = api(query, {"after": after})["data"]["sellers"]
        assert page["totalCount"] == 5
        names += [e["node"]["name"] for e in page["edges"]]
        pages += 1
        assert page["pageInfo"]["hasPreviousPage"] is (pages > 1)
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert pages == 3
    assert names == sorted(names) and len(set(names)) == 5


def test_seller_search_is_normalised(api, coop_a):
    make_seller("k@example.com", "کشمش سبز کاشمر", coop_a)
    body = api('{ sellers(search: "كشمش") { edges { node { name } } } }')
    assert [e["node"]["name"] for e in body["data"]["sellers"]["edges"]] == ["کشمش سبز کاشمر"]


COOPERATIVES = """query($first: Int) { cooperatives(first: $first) { edges { node {
  name slug description feeRate warehouses { name }
  members(first: 10) {
    totalCount
    edges { node { name status village { name county province } cooperative { name } } }
  }
} } } }"""


def test_cooperative_listing_costs_the_same_queries_for_1_or_20(api, django_user_model):
    from marketplace.sellers.models import Cooperative

    for c in range(20):
        coop = Cooperative.objects.create(name=f"تعاونی {c}", slug=f"coop-{c}")
        Warehouse.objects.create(name=f"انبار {c}", cooperative=coop)
        for s in range(3):
            make_seller(f"m{c}-{s}@example.com", f"عضو {c}-{s}", coop)
    counts = {}
    for first in (1, 20):
        with CaptureQueriesContext(connection) as ctx:
            data = api(COOPERATIVES, {"first": first})["data"]["cooperatives"]
        assert len(data["edges"]) == first
        assert all(len(e["node"]["members"]["edges"]) == 3 for e in data["edges"])
        counts[first] = len(ctx.captured_queries)
    assert counts[1] == counts[20]
    # cooperatives, members, warehouses, members' cooperatives, one COUNT per members connection
    # is avoided only when totalCount is not asked; here it is, so pin the page of 1.
    assert counts[1] <= 5, counts


def test_members_show_only_approved_sellers_to_the_public(api, coop_a, seller_a, staff_a):
    make_seller("pending@example.com", "در انتظار", coop_a, status=SellerStatus.PENDING)
    query = 'query { cooperative(slug: "torbat-saffron") { members { edges { node { name } } } } }'
    public = api(query)["data"]["cooperative"]["members"]["edges"]
    staff = api(query, user=staff_a)["data"]["cooperative"]["members"]["edges"]
    assert len(public) == 1 and len(staff) == 2


@pytest.mark.worker
def test_applying_emails_the_cooperative_staff_from_a_real_worker(
    api, celery_worker_process, coop_a, staff_a
):
    from marketplace.core.models import Job
    from tests.conftest import wait_for

    buyer = make_user("applicant@example.com")
    result = create(api, buyer, cooperative=gid(coop_a))
    assert result["errors"] == []
    notification = Notification.objects.get(template="seller.applied.staff")
    assert notification.email == staff_a.email
    assert wait_for(lambda: Notification.objects.get(pk=notification.pk).status == "SENT", 60)
    messages = [path.read_text(encoding="utf-8") for path in celery_worker_process.glob("*.log")]
    assert len([text for text in messages if "staff-a@example.com" in text]) == 1
    # The worker reported the outbox job done.
    job = Job.objects.get(dedup_key=f"notification:{notification.pk}")
    assert wait_for(lambda: Job.objects.get(pk=job.pk).status == "DONE", 30)


@pytest.fixture
def broker_down(settings):
    """The broker cannot be reached (nothing listens on the port)."""
    from config.celery import app

    previous = app.conf.broker_url
    use_broker("amqp://guest:guest@127.0.0.1:1//")
    yield
    use_broker(previous)


@pytest.mark.django_db(transaction=True)
def test_seller_create_and_approve_answer_normally_with_the_broker_down(
    api, broker_down, coop_a, staff_a
):
    # Before the outbox, the message was queued after the commit unguarded: the seller
    # was created, then the request answered 500 (and a retry got UNIQUE).
    from marketplace.core.models import Job, JobStatus

    applicant = make_user("applicant@example.com")
    result = create(api, applicant, cooperative=gid(coop_a))
    assert result["errors"] == []
    approve = "mutation($id: ID!) { sellerApprove(id: $id) { seller { status } errors { code } } }"
    approved = api(approve, {"id": result["seller"]["id"]}, user=staff_a)["data"]["sellerApprove"]
    assert approved == {"seller": {"status": "APPROVED"}, "errors": []}
    # Nothing is lost: every message waits in the outbox for the sweep.
    templates = set(Notification.objects.values_list("template", flat=True))
    assert templates == {"seller.applied.staff", "seller.applied.owner", "seller.approved.owner"}
    jobs = Job.objects.filter(task="marketplace.notifications.tasks.send_notification")
    assert jobs.count() == Notification.objects.count() == 3
    assert set(jobs.values_list("status", flat=True)) == {JobStatus.PENDING}


def test_a_seller_name_is_stored_as_one_visible_line(api, buyer, sara, coop_a):
    result = create(api, buyer, cooperative=gid(coop_a), name="زعفران\u202e کاظمی\r\nBcc: x@y.z")
    assert result["errors"] == []
    assert result["seller"]["name"] == "زعفران کاظمی Bcc: x@y.z"
    result = create(api, sara, cooperative=gid(coop_a), name="\u200b\u200c\u2060")
    assert [(e["field"], e["code"]) for e in result["errors"]] == [("name", "REQUIRED")]
