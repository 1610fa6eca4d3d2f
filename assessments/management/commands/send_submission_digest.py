"""E-mail each officer the assessments submitted in their area since their last digest.

Run it from cron (e.g. every morning). Officers without an e-mail address or without anything
new get nothing; the digest log records what was sent, so a rerun never repeats a submission.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from learning_units.admin.labels import area_label

from ... import selectors
from ...models import SubmissionDigest
from ...notifications import mail_after_commit

SHOWN_PER_DIGEST = 50


class Command(BaseCommand):
    help = "E-mail officers a digest of the assessments submitted since their last digest."

    def handle(self, *args, **options):
        sent = 0
        officers = get_user_model().objects.filter(officer_roles__isnull=False, is_active=True)
        for officer in officers.exclude(email="").distinct().order_by("pk"):
            sent += self.send_digest(officer)
        self.stdout.write(f"{sent} digest(s) sent.")

    @transaction.atomic
    def send_digest(self, officer):
        last = SubmissionDigest.objects.filter(user=officer).order_by("-sent_at").first()
        now = timezone.now()
        new = selectors.new_submissions_for(
            user=officer, since=last.sent_at if last else None
        ).filter(submitted_at__lte=now)
        count = new.count()
        if not count:
            return 0
        with translation.override(settings.LANGUAGE_CODE):
            lines = [
                f"- {assessment.subject} · {area_label(assessment.area)} · {assessment.year}"
                for assessment in new[:SHOWN_PER_DIGEST]
            ]
            if count > SHOWN_PER_DIGEST:
                lines.append(_("… and %(more)s more.") % {"more": count - SHOWN_PER_DIGEST})
            subject = _("Learning Citizen: %(count)s new assessments to verify") % {"count": count}
            body = "\n".join(
                [_("Submitted since your last digest:"), "", *lines, "", admin_queue_url()]
            )
        SubmissionDigest.objects.create(user=officer, sent_at=now, submission_count=count)
        mail_after_commit([[str(subject), body, officer.email]])
        return 1


def admin_queue_url():
    base = getattr(settings, "WAGTAILADMIN_BASE_URL", "").rstrip("/")
    return f"{base}{reverse('assessment_review:index')}?status=submitted"
