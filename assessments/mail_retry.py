"""E-mail that survives a mail server being down (issue 11: "recognition stands, mail retried").

`mail_queue` writes the messages to an outbox (audit.OutgoingMail) in the caller's transaction
and, after the commit, asks the task queue to deliver them. Delivery never raises: a failure is
counted on the row with the error and a later time to try again (1, 5, 30 minutes, then 2 and
6 hours); `retry_due_mails` (the `retry_mails` command, run from cron every few minutes, or a
periodic task on the queue) sends what is due. After MAX_ATTEMPTS the row stays, unsent, for an
administrator to see. Job state lives in the database, so any task backend (in-process or
Celery) gives the same behaviour.
"""

import datetime
import logging

from django.conf import settings
from django.core.mail import get_connection, send_mail
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from audit.models import OutgoingMail

logger = logging.getLogger(__name__)

BACKOFF_MINUTES = (1, 5, 30, 120, 360)
MAX_ATTEMPTS = len(BACKOFF_MINUTES) + 1


def mail_queue(messages):
    """Queue (subject, body, recipient) triples; they leave after the current transaction."""
    if not messages:
        return []
    mails = OutgoingMail.objects.bulk_create(
        OutgoingMail(subject=str(subject)[:255], body=body, recipient=recipient)
        for subject, body, recipient in messages
    )
    ids = [mail.pk for mail in mails]
    transaction.on_commit(lambda: deliver_mails.enqueue(ids))
    return ids


def _deliver(mails):
    sent = 0
    connection = get_connection(fail_silently=False)
    for mail in mails:
        try:
            send_mail(
                mail.subject,
                mail.body,
                settings.DEFAULT_FROM_EMAIL,
                [mail.recipient],
                connection=connection,
            )
        except Exception as error:  # any failure of the mail server: count it, try later
            mail.attempts += 1
            mail.last_error = f"{type(error).__name__}: {error}"[:255]
            delay = BACKOFF_MINUTES[min(mail.attempts, len(BACKOFF_MINUTES)) - 1]
            mail.next_attempt_at = timezone.now() + datetime.timedelta(minutes=delay)
            logger.warning("Mail %s not sent (attempt %s): %s", mail.pk, mail.attempts, error)
        else:
            mail.attempts += 1
            mail.sent_at = timezone.now()
            mail.last_error = ""
            sent += 1
        mail.save(update_fields=["attempts", "last_error", "next_attempt_at", "sent_at"])
    return sent


@task()
def deliver_mails(ids: list[int]) -> int:
    return _deliver(OutgoingMail.objects.filter(pk__in=ids, sent_at__isnull=True))


def retry_due_mails(*, now=None) -> int:
    """Send every unsent mail whose next attempt is due; returns how many left."""
    now = now or timezone.now()
    due = OutgoingMail.objects.filter(
        sent_at__isnull=True, attempts__lt=MAX_ATTEMPTS, next_attempt_at__lte=now
    ).order_by("next_attempt_at")[:500]
    return _deliver(list(due))
