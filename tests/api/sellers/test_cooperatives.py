import pytest

from marketplace.inventory.models import Warehouse
from marketplace.sellers.models import Cooperative, CooperativeStaff
from tests.support import gid

pytestmark = pytest.mark.django_db

CREATE = """mutation($input: CooperativeInput!) {
  cooperativeCreate(input: $input) { cooperative { id name slug feeRate } errors { field code message } }
}"""
WAREHOUSE = """mutation($input: WarehouseInput!) {
  warehouseCreate(input: $input) { warehouse { id name } errors { field code } }
}"""


def test_cooperative_create_makes_a_unicode_slug_and_keeps_the_fee(api, operator):
    result = api(
        CREATE, {"input": {"name": "تعاونی فرش دستباف گناباد", "feeRate": 0.06}}, user=operator
    )
    coop = result["data"]["cooperativeCreate"]["cooperative"]
    assert coop["slug"] == "تعاونی-فرش-دستباف-گناباد"
    assert coop["feeRate"] == pytest.approx(0.06)
    again = api(CREATE, {"input": {"name": "تعاونی فرش دستباف گناباد"}}, user=operator)
    assert again["data"]["cooperativeCreate"]["cooperative"]["slug"] == "تعاونی-فرش-دستباف-گناباد-2"


@pytest.mark.parametrize(
    ("fields", "field", "code"),
    [
        ({"feeRate": 1.5}, "feeRate", "INVALID"),
        ({"feeRate": -0.01}, "feeRate", "INVALID"),
        ({"name": ""}, "name", "REQUIRED"),
        ({"name": "ت" * 1_000_000}, "name", "TOO_LONG"),
        ({"slug": "torbat-saffron"}, "slug", "UNIQUE"),
        ({"slug": "!!!"}, "slug", "INVALID"),
        ({"county": gid("Seller", 1)}, "county", "INVALID"),
    ],
)
def test_cooperative_create_bad_input(api, operator, coop_a, fields, field, code):
    before = Cooperative.objects.count()
    result = api(CREATE, {"input": {"name": "تعاونی تازه", **fields}}, user=operator)
    errors = result["data"]["cooperativeCreate"]["errors"]
    assert (field, code) in [(e["field"], e["code"]) for e in errors]
    assert Cooperative.objects.count() == before


def test_staff_add_unknown_email(api, operator, coop_a):
    query = """mutation($c: ID!, $e: String!) { cooperativeStaffAdd(cooperative: $c, email: $e) {
      errors { field code } } }"""
    result = api(query, {"c": gid(coop_a), "e": "nobody@example.com"}, user=operator)
    assert result["data"]["cooperativeStaffAdd"]["errors"] == [
        {"field": "email", "code": "NOT_FOUND"}
    ]
    assert not CooperativeStaff.objects.exists()


def test_staff_add_is_idempotent_and_shows_in_me(api, operator, coop_a, buyer):
    query = """mutation($c: ID!, $e: String!) { cooperativeStaffAdd(cooperative: $c, email: $e) {
      cooperative { name } errors { code } } }"""
    for _ in range(2):
        api(query, {"c": gid(coop_a), "e": "Buyer@Example.com"}, user=operator)
    assert CooperativeStaff.objects.filter(user=buyer).count() == 1
    me = api("{ me { cooperatives { slug } } }", user=buyer)["data"]["me"]
    assert me["cooperatives"] == [{"slug": coop_a.slug}]


def test_warehouse_needs_exactly_one_owner(api, staff_a, coop_a, seller_a):
    both = api(
        WAREHOUSE,
        {"input": {"name": "x", "cooperative": gid(coop_a), "seller": gid(seller_a)}},
        user=staff_a,
    )
    assert both["data"]["warehouseCreate"]["errors"][0]["code"] == "INVALID"
    neither = api(WAREHOUSE, {"input": {"name": "x"}}, user=staff_a)
    assert neither["data"]["warehouseCreate"]["errors"] == [
        {"field": "cooperative", "code": "REQUIRED"}
    ]
    assert not Warehouse.objects.exists()


def test_a_seller_without_arguments_gets_their_own_warehouse(api, seller_a):
    result = api(WAREHOUSE, {"input": {"name": "انبار منزل"}}, user=seller_a.owner)
    assert result["data"]["warehouseCreate"]["errors"] == []
    assert Warehouse.objects.get().seller == seller_a


def test_cooperative_lists_its_warehouses(api, staff_a, coop_a):
    api(WAREHOUSE, {"input": {"name": "انبار تربت", "cooperative": gid(coop_a)}}, user=staff_a)
    data = api('{ cooperative(slug: "torbat-saffron") { warehouses { name } } }')["data"]
    assert data["cooperative"]["warehouses"] == [{"name": "انبار تربت"}]


def test_graphiql_on_get_in_a_browser(client):
    response = client.get("/graphql/", HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert b"graphiql" in response.content.lower()


def test_answers_set_no_csrf_cookie(client):
    # The endpoint is CSRF-exempt (bearer tokens): minting a token per answer is waste.
    response = client.post(
        "/graphql/", data='{"query": "{ __typename }"}', content_type="application/json"
    )
    assert response.json() == {"data": {"__typename": "Query"}}
    assert "csrftoken" not in response.cookies
    assert "Cookie" not in response.get("Vary", "")


def test_mutation_over_get_is_refused(client):
    response = client.get(
        "/graphql/", {"query": 'mutation { tokenCreate(email:"a", password:"b") { token } }'}
    )
    assert response.status_code in (400, 405)
    assert response.json()["errors"]


def test_malformed_requests_are_client_errors(client):
    for body in [
        "not json",
        "[]",
        '{"query": 5}',
        '{"query": "{ me { email } }", "variables": [1]}',
    ]:
        response = client.post("/graphql/", data=body, content_type="application/json")
        assert response.status_code == 400, body
        assert response.json()["errors"]
