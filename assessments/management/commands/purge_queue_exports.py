"""Remove the files of old background queue exports (cron daily).

A province's queue export holds thousands of names; once the officer has downloaded it, the
copy on the server only adds risk. Files older than CDHT_QUEUE_EXPORT_KEEP_DAYS are deleted;
the job's record (who, when, how many rows) stays, and its page says to export again.
"""

import datetime

from django.core.management.base import BaseCommand
from django.utils import timezone

from assessments.conf import setting
from assessments.queue_exports import queue_exports_purge


class Command(BaseCommand):
    help = "Delete background queue export files older than CDHT_QUEUE_EXPORT_KEEP_DAYS."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None, help="keep this many days instead")

    def handle(self, *args, days=None, **options):
        days = setting("QUEUE_EXPORT_KEEP_DAYS") if days is None else days
        removed = queue_exports_purge(before=timezone.now() - datetime.timedelta(days=days))
        self.stdout.write(f"{removed} queue export file(s) older than {days} days removed.")
