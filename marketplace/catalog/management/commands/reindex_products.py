"""Rebuild the product search index: after a bulk load, a restore, or a change to how
documents are built (marketplace/catalog/search/index.py)."""

import time

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from marketplace.catalog.models import Product
from marketplace.catalog.search.index import reindex_all
from marketplace.core.sql import table_name


class Command(BaseCommand):
    help = (
        "Rebuild the search index (tagged tsvector and vocabulary) of every product, "
        "in batches of one UPDATE each, then VACUUM ANALYZE the products table."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--batch-size", type=int, default=2000, help="products per UPDATE (and transaction)"
        )
        vacuum = parser.add_mutually_exclusive_group()
        vacuum.add_argument(
            "--no-vacuum",
            action="store_true",
            help="skip VACUUM (ANALYZE still runs); for when a later step vacuums anyway",
        )
        vacuum.add_argument(
            "--vacuum-full",
            action="store_true",
            help=(
                "VACUUM FULL instead: gives back the space of the old row versions, but "
                "locks the table while it runs (after a bulk load, not on a live shop)"
            ),
        )

    def handle(self, *args, batch_size: int, no_vacuum: bool, vacuum_full: bool, **options) -> None:
        if batch_size < 1:
            raise CommandError("Give a batch size above zero.")
        total = Product.objects.count()
        step = max(batch_size, total // 10)
        shown = [0]

        def progress(done: int) -> None:
            # About ten lines however large the catalogue, so long runs show they are alive.
            if done - shown[0] >= step or done == total:
                shown[0] = done
                self.stdout.write(f"  {done:,} / {total:,} products")

        started = time.perf_counter()
        done = reindex_all(batch_size, progress=progress)
        indexed = time.perf_counter()
        if not no_vacuum:
            # Every row was rewritten: reclaim the old versions so scans stay compact.
            with connection.cursor() as cursor:
                cursor.execute(
                    f"VACUUM ({'FULL, ' if vacuum_full else ''}ANALYZE) {table_name(Product)}"
                )
        self.stdout.write(
            self.style.SUCCESS(
                f"Reindexed {done:,} products in {indexed - started:.1f} s"
                + ("" if no_vacuum else f" (vacuum {time.perf_counter() - indexed:.1f} s)")
                + "."
            )
        )
