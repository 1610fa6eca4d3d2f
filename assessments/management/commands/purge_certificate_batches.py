"""Remove the zip archives of old certificate batches (cron daily).

Every batch writes a zip of all its certificates into private storage; officers download it
once or twice, then it only fills the disk. Archives older than CDHT_CERTIFICATE_BATCH_KEEP_DAYS
are deleted; the batch's record (who, when, how many) stays, and its page says to run it again.
"""

import datetime

from django.core.management.base import BaseCommand
from django.utils import timezone

from assessments.certificates.services import certificate_batches_purge
from assessments.conf import setting


class Command(BaseCommand):
    help = "Delete certificate batch archives older than CDHT_CERTIFICATE_BATCH_KEEP_DAYS."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None, help="keep this many days instead")

    def handle(self, *args, days=None, **options):
        days = setting("CERTIFICATE_BATCH_KEEP_DAYS") if days is None else days
        removed = certificate_batches_purge(before=timezone.now() - datetime.timedelta(days=days))
        self.stdout.write(f"{removed} batch archive(s) older than {days} days removed.")
