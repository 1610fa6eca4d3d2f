"""Delete audit events older than CDHT_AUDIT_RETENTION_DAYS (run daily from cron)."""

from django.core.management.base import BaseCommand

from audit.services import audit_purge, retention_days


class Command(BaseCommand):
    help = "Delete audit events older than the retention period (CDHT_AUDIT_RETENTION_DAYS)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None, help="Override the retention.")

    def handle(self, *args, days=None, **options):
        days = retention_days() if days is None else days
        deleted = audit_purge(days=days)
        self.stdout.write(f"Deleted {deleted} audit events older than {days} days.")
