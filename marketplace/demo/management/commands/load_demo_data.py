from django.core.management.base import BaseCommand

from marketplace.demo.loader import load_demo_data
from marketplace.sellers.models import Cooperative, Seller


class Command(BaseCommand):
    help = "Load the demo cooperatives, sellers and accounts (once; a second run changes nothing)."

    def handle(self, *args, **options) -> None:
        if not load_demo_data():
            self.stdout.write("Demo data is already loaded; nothing changed.")
            return
        cooperatives, sellers = Cooperative.objects.count(), Seller.objects.count()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data loaded: the marketplace now has {cooperatives} cooperatives "
                f"and {sellers} sellers."
            )
        )
