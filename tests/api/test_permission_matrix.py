"""Every mutation of the foundation, run by every kind of caller: allowed or PERMISSION_DENIED."""

import pytest

from marketplace.inventory.models import Warehouse
from marketplace.sellers.models import Cooperative, CooperativeStaff, Seller, SellerStatus
from tests.builders.accounts import make_user
from tests.builders.sellers import make_seller
from tests.support import gid

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "buyer",
    "seller",
    "other_seller",
    "coop_staff",
    "other_coop_staff",
    "platform",
]
OK = "ok"
DENIED = "PERMISSION_DENIED"


@pytest.fixture
def world(buyer, operator, seller_a, seller_b, staff_a, staff_b, coop_a):
    pending = make_seller(
        "pending@example.com", "دامداری سنتی", coop_a, status=SellerStatus.PENDING
    )
    users = {
        "anonymous": None,
        "buyer": buyer,
        "seller": seller_a.owner,
        "other_seller": seller_b.owner,
        "coop_staff": staff_a,
        "other_coop_staff": staff_b,
        "platform": operator,
    }
    return {"users": users, "coop": coop_a, "seller": seller_a, "pending": pending, "buyer": buyer}


CASES = {
    "cooperativeCreate": (
        'mutation { cooperativeCreate(input: {name: "تعاونی فیروزه نیشابور", feeRate: 0.04}) '
        "{ cooperative { id } errors { field code } } }",
        lambda w: {},
        {"platform": OK},
        lambda: Cooperative.objects.filter(name="تعاونی فیروزه نیشابور").exists(),
    ),
    "cooperativeStaffAdd": (
        "mutation($c: ID!, $e: String!) { cooperativeStaffAdd(cooperative: $c, email: $e) "
        "{ cooperative { id } errors { field code } } }",
        lambda w: {"c": gid(w["coop"]), "e": w["buyer"].email},
        {"platform": OK},
        lambda: CooperativeStaff.objects.filter(user__email="buyer@example.com").exists(),
    ),
    "warehouseCreate (cooperative)": (
        'mutation($c: ID) { warehouseCreate(input: {name: "انبار مرکزی", cooperative: $c}) '
        "{ warehouse { id } errors { field code } } }",
        lambda w: {"c": gid(w["coop"])},
        {"coop_staff": OK, "platform": OK},
        lambda: Warehouse.objects.filter(name="انبار مرکزی").exists(),
    ),
    "warehouseCreate (seller)": (
        'mutation($s: ID) { warehouseCreate(input: {name: "انبار خانه", seller: $s}) '
        "{ warehouse { id } errors { field code } } }",
        lambda w: {"s": gid(w["seller"])},
        {"seller": OK, "coop_staff": OK, "platform": OK},
        lambda: Warehouse.objects.filter(name="انبار خانه").exists(),
    ),
    "sellerCreate": (
        'mutation { sellerCreate(input: {name: "عسل کوهستان", phone: "09151112233"}) '
        "{ seller { id status } errors { field code } } }",
        lambda w: {},
        # Sellers already have a seller profile: refused as UNIQUE, not for permission.
        {
            "buyer": OK,
            "seller": "UNIQUE",
            "other_seller": "UNIQUE",
            "coop_staff": OK,
            "other_coop_staff": OK,
            "platform": OK,
        },
        lambda: Seller.objects.filter(name="عسل کوهستان").exists(),
    ),
    "sellerApprove": (
        "mutation($id: ID!) { sellerApprove(id: $id) { seller { status } errors { field code } } }",
        lambda w: {"id": gid(w["pending"])},
        {"coop_staff": OK, "platform": OK},
        lambda: Seller.objects.filter(status=SellerStatus.APPROVED, slug="pending").exists(),
    ),
    "sellerUpdate": (
        'mutation($id: ID!) { sellerUpdate(id: $id, input: {description: "داستان تازه"}) '
        "{ seller { description } errors { field code } } }",
        lambda w: {"id": gid(w["seller"])},
        {"seller": OK, "coop_staff": OK, "platform": OK},
        lambda: Seller.objects.filter(description="داستان تازه").exists(),
    ),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("mutation", list(CASES))
def test_permission_matrix(api, world, mutation, role):
    query, variables, allowed, changed = CASES[mutation]
    body = api(query, variables(world), user=world["users"][role])
    payload = next(iter(body["data"].values()))
    expected = allowed.get(role, DENIED)
    codes = [e["code"] for e in payload["errors"]]
    if expected == OK:
        assert codes == []
        assert changed()
    else:
        assert codes == [expected]
        assert not changed()


def test_staff_flag_without_django_permission_is_not_enough(api, coop_a):
    clerk = make_user("clerk@example.com", is_staff=True)
    body = api(CASES["cooperativeCreate"][0], user=clerk)
    assert body["data"]["cooperativeCreate"]["errors"] == [{"field": None, "code": DENIED}]
    from django.contrib.auth.models import Permission

    clerk.user_permissions.add(Permission.objects.get(codename="add_cooperative"))
    body = api(CASES["cooperativeCreate"][0], user=clerk)
    assert body["data"]["cooperativeCreate"]["errors"] == []
