"""Compare each recognition's listing columns with its assessment (issue #22,
`assessments/models/listing.py`): raw SQL and fixtures bypass the write paths that keep them."""

from django.core.management.base import BaseCommand, CommandError

from assessments.models import Recognition

BATCH = 1_000


class Command(BaseCommand):
    help = "Check the public listing's copied columns on recognitions; --fix copies them again."

    def add_arguments(self, parser):
        parser.add_argument("--fix", action="store_true", help="copy the stale rows again")

    def handle(self, *args, fix, **options):
        stale = Recognition.objects.all().stale_listing_columns()
        if not stale:
            self.stdout.write("Every recognition's listing columns are current.")
            return
        if not fix:
            raise CommandError(
                f"{len(stale)} recognitions have stale listing columns "
                f"(first ids: {stale[:10]}); run with --fix."
            )
        for start in range(0, len(stale), BATCH):
            Recognition.objects.filter(
                pk__in=stale[start : start + BATCH]
            ).listing_columns_refresh()
        self.stdout.write(f"{len(stale)} recognitions' listing columns copied again.")
