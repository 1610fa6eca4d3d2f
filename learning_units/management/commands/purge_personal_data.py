"""Apply the retention rules of personal data (run daily from cron).

Each rule registered with `learning_units.personal_data.register_retention` deletes what was
last touched more than its ``CDHT_<setting>`` days ago: today the pending course completions
of learners who are no citizens, with the xAPI statements kept on them
(`CDHT_PENDING_COMPLETION_KEEP_DAYS`, 365).
"""

import datetime

from django.core.management.base import BaseCommand
from django.utils import timezone

from learning_units.conf import setting
from learning_units.personal_data import retention_rules


class Command(BaseCommand):
    help = "Delete personal data kept longer than its retention period (CDHT_*_KEEP_DAYS)."

    def handle(self, *args, **options):
        now = timezone.now()
        for rule in retention_rules():
            days = setting(rule.setting)
            deleted = rule.purge(before=now - datetime.timedelta(days=days))
            self.stdout.write(f"{rule.key}: deleted {deleted} rows older than {days} days.")
