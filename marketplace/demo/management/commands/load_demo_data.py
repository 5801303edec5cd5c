import time

from django.core.management.base import BaseCommand, CommandParser

from marketplace.catalog.models import Product
from marketplace.demo.catalog import load_demo_catalog
from marketplace.demo.loader import load_demo_data
from marketplace.demo.orders import load_demo_orders
from marketplace.sellers.models import Cooperative, Seller


class Command(BaseCommand):
    help = (
        "Load the demo cooperatives, sellers and accounts, then the demo catalogue with its "
        "photos (each once; a second run changes nothing)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--without-catalog",
            action="store_true",
            help="load only the marketplace: accounts, cooperatives and sellers",
        )

    def handle(self, *args, without_catalog: bool = False, **options) -> None:
        if load_demo_data():
            cooperatives, sellers = Cooperative.objects.count(), Seller.objects.count()
            self.stdout.write(
                self.style.SUCCESS(
                    f"Demo data loaded: the marketplace now has {cooperatives} cooperatives "
                    f"and {sellers} sellers."
                )
            )
        else:
            self.stdout.write("Demo data is already loaded; nothing changed.")
        if without_catalog:
            return
        started = time.perf_counter()
        created = load_demo_catalog()
        orders = load_demo_orders()
        if orders:
            self.stdout.write(self.style.SUCCESS(f"Demo orders placed: {orders}, in every state."))
        if not created:
            self.stdout.write("The demo catalogue is already loaded; nothing changed.")
            return
        published = Product.objects.filter(is_published=True).count()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo catalogue loaded: {created} products with photos ({published} published "
                f"in the shop) in {time.perf_counter() - started:.1f} s; the worker makes "
                "the thumbnails."
            )
        )
