import os

from django.core.management.base import BaseCommand

from marketplace.accounts.services import ensure_operator


class Command(BaseCommand):
    help = "Create the platform operator from DJANGO_SUPERUSER_EMAIL / DJANGO_SUPERUSER_PASSWORD."

    def handle(self, *args, **options):
        email = os.environ.get("DJANGO_SUPERUSER_EMAIL")
        password = os.environ.get("DJANGO_SUPERUSER_PASSWORD")
        if email and password:
            user, created = ensure_operator(email=email, password=password)
            verb = "created" if created else "updated"
            self.stdout.write(f"Platform operator {user.email} {verb}.")
            return
        from marketplace.demo.accounts import DEMO_ACCOUNTS_TEXT

        self.stdout.write(DEMO_ACCOUNTS_TEXT)
