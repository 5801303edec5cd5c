"""Vouchers are created by platform staff, through the services or the admin, with the
same rules."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from marketplace.core.errors import DomainError
from marketplace.discounts.models import Voucher
from marketplace.discounts.services import VoucherFields, create_voucher, deactivate_voucher
from tests.builders.discounts import make_voucher


def fields(ir, **values) -> VoucherFields:
    return VoucherFields(
        **{"code": "YALDA", "kind": "PERCENTAGE", "value": Decimal(10), "channel": ir, **values}
    )


def test_platform_staff_create_vouchers(ir, operator, buyer):
    voucher = create_voucher(actor=operator, fields=fields(ir, code=" yalda-۱۴۰۵ "))
    assert voucher.code == "yalda-1405" and voucher.used == 0
    with pytest.raises(DomainError) as refused:
        create_voucher(actor=buyer, fields=fields(ir, code="OTHER"))
    assert [e.code for e in refused.value.errors] == ["PERMISSION_DENIED"]
    deactivate_voucher(actor=operator, voucher=voucher)
    assert Voucher.objects.get().is_active is False


def test_voucher_rules(ir, operator):
    cases = [
        (fields(ir, code="YALDA"), None),
        (fields(ir, code="BAD CODE!"), ("code", "INVALID")),
        (fields(ir, value=Decimal(120)), ("value", "INVALID")),
        (fields(ir, kind="FIXED", value=Decimal(-5)), ("value", "INVALID")),
        (fields(ir, kind="HALF"), ("kind", "INVALID")),
        (fields(ir, usage_limit=0), ("usage_limit", "INVALID")),
        (
            fields(ir, valid_from=timezone.now(), valid_until=timezone.now() - timedelta(days=1)),
            ("valid_until", "INVALID"),
        ),
    ]
    for index, (given, expected) in enumerate(cases):
        if expected is None:
            create_voucher(actor=operator, fields=given)
            continue
        if given.code == "YALDA":
            given.code = f"CASE{index}"
        with pytest.raises(DomainError) as refused:
            create_voucher(actor=operator, fields=given)
        assert [(e.field, e.code) for e in refused.value.errors] == [expected]
    # Codes are unique whatever their letter case.
    with pytest.raises(DomainError) as taken:
        create_voucher(actor=operator, fields=fields(ir, code="yalda"))
    assert [(e.field, e.code) for e in taken.value.errors] == [("code", "UNIQUE")]
    assert Voucher.objects.count() == 1


@pytest.fixture
def operator_client(client: Client, operator) -> Client:
    client.force_login(operator)
    return client


def test_admin_lists_and_validates_vouchers(ir, operator_client):
    make_voucher(code="LISTED", usage_limit=10, used=3)
    page = operator_client.get("/admin/discounts/voucher/")
    assert page.status_code == 200 and "3 / 10" in page.content.decode()
    assert operator_client.get("/admin/discounts/voucher/add/").status_code == 200
    form = {
        "code": "listed",
        "kind": "PERCENTAGE",
        "value": "150",
        "channel": ir.pk,
        "is_active": "on",
        "usages-TOTAL_FORMS": "0",
        "usages-INITIAL_FORMS": "0",
    }
    refused = operator_client.post("/admin/discounts/voucher/add/", form)
    assert refused.status_code == 200
    errors = refused.context["adminform"].form.errors
    assert set(errors) == {"code", "value"}
    created = operator_client.post(
        "/admin/discounts/voucher/add/", {**form, "code": "NEW", "value": "15"}
    )
    assert created.status_code == 302
    assert Voucher.objects.get(code="NEW").value == Decimal(15)
