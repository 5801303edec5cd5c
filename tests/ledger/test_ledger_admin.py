"""The operator's payout batches in the admin: list, bank file, mark sent, mark failed."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from marketplace.ledger import payouts, services
from marketplace.ledger.models import Payout, PayoutProfile, PayoutStatus
from tests.ledger.conftest import place
from tests.ledger.test_ledger_postings import collect_cash


def test_operator_downloads_the_bank_file_and_marks_the_batch(
    client, operator, variants, three_sellers
):
    seller_a = three_sellers[0]
    seller_a.payout_iban = "IR050170000000123456789012"
    seller_a.save(update_fields=["payout_iban"])
    order = place([(variants[0], 1)])
    collect_cash(order)
    services.post_order_completed(order=order)
    batch = payouts.run_payouts(currency="IRR", now=timezone.now() + timedelta(days=8))
    client.force_login(operator)

    listing = client.get(reverse("admin:ledger_payoutbatch_changelist"))
    assert listing.status_code == 200
    assert reverse("admin:ledger_payoutbatch_bank_file", args=[batch.pk]).encode() in (
        listing.content
    )
    download = client.get(reverse("admin:ledger_payoutbatch_bank_file", args=[batch.pk]))
    assert download.content.decode() == batch.bank_file
    assert download["Content-Disposition"].startswith("attachment")

    client.post(
        reverse("admin:ledger_payoutbatch_changelist"),
        {"action": "mark_sent", "_selected_action": [batch.pk]},
    )
    payout = Payout.objects.get()
    assert payout.status == PayoutStatus.SENT
    client.post(
        reverse("admin:ledger_payout_changelist"),
        {"action": "mark_failed", "_selected_action": [payout.pk]},
    )
    payout.refresh_from_db()
    assert payout.status == PayoutStatus.FAILED and payout.failure


def test_bank_file_is_for_staff_only(client, three_sellers, ir):
    client.force_login(three_sellers[0].owner)
    response = client.get(reverse("admin:ledger_payoutbatch_bank_file", args=[1]))
    assert response.status_code == 302  # to the admin's sign-in


def test_a_cooperatives_payout_sheba_is_checked_in_the_admin(client, operator, coop_a, seller_a):
    client.force_login(operator)
    url = reverse("admin:ledger_payoutprofile_add")
    bad = client.post(url, {"cooperative": coop_a.pk, "iban": "IR050170000000123456789013"})
    assert bad.status_code == 200 and bad.context["adminform"].form.errors["iban"]
    foreign = client.post(url, {"cooperative": coop_a.pk, "iban": "DE89370400440532013000"})
    assert foreign.context["adminform"].form.errors["iban"]
    on_seller = client.post(url, {"seller": seller_a.pk, "iban": "IR050170000000123456789012"})
    assert on_seller.context["adminform"].form.errors["iban"]
    assert not PayoutProfile.objects.exists()

    good = client.post(
        url, {"cooperative": coop_a.pk, "iban": "IR05 0170 0000 0012 3456 7890 12", "holder": "x"}
    )
    assert good.status_code == 302
    profile = PayoutProfile.objects.get()
    assert (profile.iban, profile.updated_by) == ("IR050170000000123456789012", operator)
