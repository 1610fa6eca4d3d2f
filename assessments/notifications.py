"""Telling citizens and officers what the review did: in-site notices and e-mail.

A notice is data and is written in the same transaction as the transition (it disappears
with it on a rollback). E-mail leaves only after the commit (`transaction.on_commit`), through
the task queue, so that a refused or rolled-back action never mails anyone and a slow mail
server never holds a database lock.
"""

from django.conf import settings
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from audit.outbox import mail_queue

from .models import Notice


def mail_after_commit(messages):
    """Queue the mails in the outbox (audit.outbox): they leave after the commit, and
    a mail server that is down only delays them — the recognition or return stands."""
    mail_queue(messages)


def subject_contact(assessment):
    """(user, e-mail) of whoever answers for the assessment: the citizen or the unit's head."""
    person = assessment.citizen if assessment.citizen_id else assessment.learning_unit.head
    if person is None:
        return None, ""
    user = person.user
    return user, person.email or (user.email if user else "")


def notice_text(kind, assessment, **values):
    title = assessment.campaign.get_subject_kind_display()
    values = {"year": assessment.year, "title": title, "subject": assessment.subject, **values}
    if kind == Notice.Kind.RETURNED:
        return (
            _(
                "Your self-assessment for %(year)s was returned for changes. The officer wrote: "
                "“%(comment)s”. Correct it and submit it again."
            )
            % values
        )
    if kind == Notice.Kind.REJECTED:
        return (
            _("Your self-assessment for %(year)s was not accepted. Reason: “%(comment)s”.") % values
        )
    if kind == Notice.Kind.RECOGNISED:
        return (
            _(
                "Congratulations! %(subject)s is recognised with the title “%(title)s” for "
                "%(year)s, by decision %(number)s of %(date)s. Certificate number: %(certificate)s."
            )
            % values
        )
    return (
        _(
            "The title “%(title)s” for %(year)s (certificate %(certificate)s) was revoked. "
            "Reason: “%(comment)s”."
        )
        % values
    )


def notify_subjects(items):
    """Notices and e-mails for (assessment, kind, values) items, in the site's language.

    Subjects without an account get the e-mail only; without an e-mail, the notice only.
    """
    notices, mails = [], []
    with translation.override(settings.LANGUAGE_CODE):
        for assessment, kind, values in items:
            user, email = subject_contact(assessment)
            if "date" in values:
                values = {**values, "date": date_format(values["date"], "SHORT_DATE_FORMAT")}
            message = notice_text(kind, assessment, **values)
            if user is not None:
                notices.append(Notice(user=user, assessment=assessment, kind=kind, message=message))
            if email:
                subject = _("Learning Citizen %(year)s: %(status)s") % {
                    "year": assessment.year,
                    "status": Notice.Kind(kind).label,
                }
                mails.append([str(subject), message, email])
    Notice.objects.bulk_create(notices)
    mail_after_commit(mails)


def notices_mark_read(*, user):
    """Mark all of a user's notices read; returns how many were unread. Only the user's own."""
    return Notice.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())
