"""Load the national 2025/2030 targets of DOMAIN.md (idempotent; changed values are kept)."""

from django.core.management.base import BaseCommand

from reports.services import targets_load_defaults


class Command(BaseCommand):
    help = "Create the national 2025/2030 targets that are missing."

    def handle(self, *args, **options):
        created = targets_load_defaults()
        self.stdout.write(f"{created} national targets created.")
