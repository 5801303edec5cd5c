"""`manage.py reconcile_payments [--day YYYY-MM-DD] [--currency IRR]`: a day's captures
of each online gateway against what the ledger posted to its clearing account."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from marketplace.ledger import statements


class Command(BaseCommand):
    help = "Compare a day's gateway captures with the ledger's clearing accounts."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--day", help="YYYY-MM-DD; default: yesterday")
        parser.add_argument("--currency", default="IRR")

    def handle(self, *args, day: str | None, currency: str, **options) -> None:
        try:
            chosen = date.fromisoformat(day) if day else timezone.localdate() - timedelta(days=1)
        except ValueError:
            raise CommandError("--day must be YYYY-MM-DD") from None
        reports = statements.reconcile(chosen, currency.upper())
        if not reports:
            self.stdout.write(f"{chosen} {currency}: no online captures.")
        for r in reports:
            state = (
                "OK"
                if not (r.difference or r.unposted_payments or r.unknown_payments)
                else "MISMATCH"
            )
            self.stdout.write(
                f"{chosen} {currency} {r.gateway}: captured {r.captured}, posted {r.posted}, "
                f"difference {r.difference}, not posted {list(r.unposted_payments)}, "
                f"unknown {list(r.unknown_payments)} {state}"
            )
