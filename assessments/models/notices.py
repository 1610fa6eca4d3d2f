"""What the review tells people: in-site notices to citizens and the officers' digest log."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .assessments import Assessment


class Notice(models.Model):
    """A message on the citizen's own pages (beside the e-mail, which may never arrive)."""

    class Kind(models.TextChoices):
        RETURNED = "returned", _("Returned for changes")
        REJECTED = "rejected", _("Rejected")
        RECOGNISED = "recognised", _("Recognised")
        REVOKED = "revoked", _("Recognition revoked")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="assessment_notices",
    )
    assessment = models.ForeignKey(
        Assessment,
        verbose_name=_("assessment"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notices",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    message = models.TextField(_("message"))
    created_at = models.DateTimeField(_("at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "read_at"], name="notice_user_unread")]

    def __str__(self):
        return self.message[:80]


class SubmissionDigest(models.Model):
    """One digest of new submissions sent to an officer: the next one starts from `sent_at`."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="submission_digests"
    )
    sent_at = models.DateTimeField(db_index=True)
    submission_count = models.PositiveIntegerField()

    class Meta:
        ordering = ["-sent_at"]
        get_latest_by = "sent_at"

    def __str__(self):
        return f"{self.user} {self.sent_at:%Y-%m-%d %H:%M}: {self.submission_count}"
