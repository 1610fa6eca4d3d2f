"""Send the e-mails whose delivery failed and is due again (run from cron every 5 minutes)."""

from django.core.management.base import BaseCommand

from audit.outbox import retry_due_mails


class Command(BaseCommand):
    help = "Retry e-mails that could not be sent (mail server down) and are due again."

    def handle(self, *args, **options):
        self.stdout.write(f"Sent {retry_due_mails()} e-mails.")
