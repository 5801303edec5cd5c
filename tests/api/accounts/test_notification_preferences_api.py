"""notificationPreferences / notificationPreferenceUpdate: SMS, email or both per kind of
message; transactional kinds cannot be turned off, marketing is off until chosen."""

from __future__ import annotations

import pytest

from marketplace.notifications.models import NotificationPreference

pytestmark = pytest.mark.django_db

QUERY = "{ notificationPreferences { kind delivery optional } }"
UPDATE = """mutation($kind: String!, $delivery: String!) {
  notificationPreferenceUpdate(kind: $kind, delivery: $delivery) {
    preferences { kind delivery }
    errors { field code message }
  }
}"""


def update(api, user, kind, delivery) -> dict:
    variables = {"kind": kind, "delivery": delivery}
    return api(UPDATE, variables, user=user)["data"]["notificationPreferenceUpdate"]


def chosen(user) -> dict[str, str]:
    return dict(NotificationPreference.objects.filter(user=user).values_list("kind", "delivery"))


def rows_of(api, user) -> dict[str, dict]:
    return {row["kind"]: row for row in api(QUERY, user=user)["data"]["notificationPreferences"]}


def test_the_defaults(api, seller_a):
    rows = rows_of(api, seller_a.owner)
    assert rows["marketing"] == {"kind": "marketing", "delivery": "OFF", "optional": True}
    # On until turned off.
    assert rows["reviews"] == {"kind": "reviews", "delivery": "AUTO", "optional": True}
    transactional = [row for kind, row in rows.items() if kind not in ("marketing", "reviews")]
    assert transactional and all(r["delivery"] == "AUTO" for r in transactional)
    assert not any(r["optional"] for r in transactional)
    assert api(QUERY)["data"]["notificationPreferences"] == []


def test_a_buyer_is_offered_only_the_messages_buyers_get(api, buyer, staff_a):
    assert set(rows_of(api, buyer)) == {
        "orders",
        "payments",
        "shipping",
        "returns",
        "account",
        "marketing",
    }
    # Cooperative staff hear of payouts and applications, so they choose how.
    assert {"payouts", "reviews", "sellers"} <= set(rows_of(api, staff_a))


def test_choose_and_go_back_to_the_default(api, buyer):
    answer = update(api, buyer, "shipping", "BOTH")
    assert answer["errors"] == []
    assert {"kind": "shipping", "delivery": "BOTH"} in answer["preferences"]
    assert update(api, buyer, "marketing", "SMS")["errors"] == []
    assert chosen(buyer) == {"shipping": "BOTH", "marketing": "SMS"}
    assert update(api, buyer, "marketing", "OFF")["errors"] == []
    answer = update(api, buyer, "shipping", "AUTO")
    assert {"kind": "shipping", "delivery": "AUTO"} in answer["preferences"]
    assert chosen(buyer) == {"marketing": "OFF"}


@pytest.mark.parametrize(
    ("kind", "delivery", "field"),
    [
        ("orders", "OFF", "delivery"),
        ("account", "OFF", "delivery"),
        ("orders", "PIGEON", "delivery"),
        ("orders", "", "delivery"),
        ("spam", "SMS", "kind"),
        ("", "SMS", "kind"),
    ],
)
def test_bad_choices_change_nothing(api, buyer, kind, delivery, field):
    update(api, buyer, "orders", "EMAIL")
    answer = update(api, buyer, kind, delivery)
    assert [(e["field"], e["code"]) for e in answer["errors"]] == [(field, "INVALID")]
    assert answer["errors"][0]["message"]
    assert chosen(buyer) == {"orders": "EMAIL"}


def test_anonymous_is_refused(api):
    data = api(UPDATE, {"kind": "orders", "delivery": "SMS"})["data"]
    assert data["notificationPreferenceUpdate"]["errors"][0]["code"] == "PERMISSION_DENIED"
    assert not NotificationPreference.objects.exists()
