"""Enqueue the refresh of the country report's snapshots (cron: nightly)."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from reports.tasks import refresh_report_snapshots


class Command(BaseCommand):
    help = "Rebuild the pre-aggregated country report of a year (default: this year)."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, default=timezone.localdate().year)

    def handle(self, *args, year, **options):
        result = refresh_report_snapshots.enqueue(year)
        self.stdout.write(f"Refresh of {year} enqueued ({result.id}).")
