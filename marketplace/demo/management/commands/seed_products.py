from django.core.management.base import BaseCommand, CommandError, CommandParser

from marketplace.demo.synthetic import seed_products


class Command(BaseCommand):
    help = (
        "Create N published synthetic products (1–3 variants, prices in ir and intl, stock) "
        "over the demo sellers, with bulk inserts, then rebuild the search index. For "
        "benchmarks; loads the demo marketplace first when it is missing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("count", type=int, help="how many products to create")
        parser.add_argument(
            "--seed", type=int, default=1405, help="the same seed gives the same products"
        )
        parser.add_argument("--batch-size", type=int, default=2000, help="products per transaction")

    def handle(self, *args, count: int, seed: int, batch_size: int, **options) -> None:
        if count < 1:
            raise CommandError("Give a number of products above zero.")
        if batch_size < 1:
            raise CommandError("Give a batch size above zero.")
        step = max(batch_size, count // 10)
        shown = [0]

        def progress(done: int, total: int) -> None:
            # About ten lines however large the run, so long runs show they are alive.
            if done - shown[0] >= step or done == total:
                shown[0] = done
                self.stdout.write(f"  {done:,} / {total:,} products inserted")

        report = seed_products(count, seed=seed, batch_size=batch_size, progress=progress)
        self.stdout.write(
            self.style.SUCCESS(
                f"Created {report.products:,} synthetic products with {report.variants:,} "
                f"variants in {report.insert_seconds:.1f} s; search index rebuilt "
                f"({report.index_method}) in {report.index_seconds:.1f} s."
            )
        )
