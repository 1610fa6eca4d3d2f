"""E-mail that survives a mail server being down (issue 11: "recognition stands, mail retried").

`mail_queue` writes the messages to the outbox (`OutgoingMail`) in the caller's transaction
and, after the commit, asks the task queue to deliver them. Delivery never raises: a failure is
counted on the row with the error and a later time to try again (1, 5, 30 minutes, then 2 and
6 hours); `retry_due_mails` (the `retry_mails` command, run from cron every few minutes, or a
periodic task on the queue) sends what is due. After MAX_ATTEMPTS the row stays, unsent, for an
administrator to see. Job state lives in the database, so any task backend (in-process or
Celery) gives the same behaviour.

A row whose first send never ran (the broker refused the job, the worker died before it) has
no next attempt time: it is due once FIRST_SEND_GRACE has passed since it was written, the time
the queued first send has to do its work. Each attempt is claimed with a conditional update of
the attempt counter, so the first send and the retry job running at once never both send it.

Here, beside its model, because it is plumbing that knows nothing of assessments: the apps
above queue their mails through it (audit imports no other app).
"""

import datetime
import logging

from django.conf import settings
from django.core.mail import get_connection, send_mail
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django_tasks import task

from .models import OutgoingMail

logger = logging.getLogger(__name__)

BACKOFF_MINUTES = (1, 5, 30, 120, 360)
MAX_ATTEMPTS = len(BACKOFF_MINUTES) + 1
# How long a fresh row waits for its queued first send before the retry job takes it; also how
# long a claimed attempt may take before it is tried again (the process died while sending).
FIRST_SEND_GRACE = datetime.timedelta(minutes=5)


def mail_queue(messages):
    """Queue (subject, body, recipient) triples; they leave after the current transaction.

    A task queue that refuses the job after the commit does not undo the caller's work (the
    callback is robust): the rows wait for the retry job.
    """
    if not messages:
        return []
    mails = OutgoingMail.objects.bulk_create(
        OutgoingMail(subject=str(subject)[:255], body=body, recipient=recipient)
        for subject, body, recipient in messages
    )
    ids = [mail.pk for mail in mails]
    transaction.on_commit(lambda: deliver_mails.enqueue(ids), robust=True)
    return ids


def _claim(mail, now):
    """Take this attempt of the mail for this process; False if another process took it (or
    sent it) first. A process that dies after claiming leaves the row due after the grace."""
    claimed = OutgoingMail.objects.filter(
        pk=mail.pk, sent_at__isnull=True, attempts=mail.attempts
    ).update(attempts=F("attempts") + 1, next_attempt_at=now + FIRST_SEND_GRACE)
    mail.attempts += 1
    return bool(claimed)


def _deliver(mails):
    sent = 0
    connection = get_connection(fail_silently=False)
    for mail in mails:
        if not _claim(mail, timezone.now()):
            continue
        try:
            send_mail(
                mail.subject,
                mail.body,
                settings.DEFAULT_FROM_EMAIL,
                [mail.recipient],
                connection=connection,
            )
        except Exception as error:  # any failure of the mail server: count it, try later
            mail.last_error = f"{type(error).__name__}: {error}"[:255]
            delay = BACKOFF_MINUTES[min(mail.attempts, len(BACKOFF_MINUTES)) - 1]
            mail.next_attempt_at = timezone.now() + datetime.timedelta(minutes=delay)
            logger.warning("Mail %s not sent (attempt %s): %s", mail.pk, mail.attempts, error)
        else:
            mail.sent_at = timezone.now()
            mail.last_error = ""
            sent += 1
        mail.save(update_fields=["last_error", "next_attempt_at", "sent_at"])
    return sent


@task()
def deliver_mails(ids: list[int]) -> int:
    return _deliver(OutgoingMail.objects.filter(pk__in=ids, sent_at__isnull=True))


def retry_due_mails(*, now=None) -> int:
    """Send every unsent mail whose next attempt is due, or whose first send never ran;
    returns how many left."""
    now = now or timezone.now()
    due = (
        OutgoingMail.objects.filter(sent_at__isnull=True, attempts__lt=MAX_ATTEMPTS)
        .filter(
            Q(next_attempt_at__lte=now)
            | Q(next_attempt_at__isnull=True, created_at__lte=now - FIRST_SEND_GRACE)
        )
        .order_by(F("next_attempt_at").asc(nulls_first=True), "pk")[:500]
    )
    return _deliver(list(due))
