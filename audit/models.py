"""Who looked at or took away personal data, and when (issue 11; Decree 13/2023 on personal data).

An event names the person acting, what they did, on which kind of record and its id, and the
area the record belongs to, so that a province officer reads the events of their own subtree
with the same path check as everywhere else. It never copies personal data: the record is named
by its id and a masked label. State changes of assessments are not copied here: ReviewEvent
already records them and the audit screen reads both.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    VIEW = "view", _("Viewed")
    CHANGE = "change", _("Changed")
    EXPORT = "export", _("Exported")
    IMPORT = "import", _("Imported")
    DOWNLOAD = "download", _("Downloaded a file")
    OWN_DATA_EXPORT = "own_data_export", _("Exported own data")
    ANONYMISE = "anonymise", _("Anonymised")


class AuditEvent(models.Model):
    created_at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Kept when the account is deleted: the log must still say who it was.
    actor_name = models.CharField(_("by (name)"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=20, choices=AuditAction.choices)
    object_type = models.CharField(_("record type"), max_length=60)
    object_id = models.CharField(_("record id"), max_length=40, blank=True)
    object_label = models.CharField(_("record"), max_length=200, blank=True)
    # The record's area path (denormalised: the jurisdiction filter is one indexed prefix scan,
    # and the event stays readable when the area is later merged or renamed).
    area_path = models.CharField(_("area path"), max_length=255, blank=True, db_index=True)
    path = models.CharField(_("page"), max_length=255, blank=True)
    ip_address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["area_path", "created_at"], name="audit_area_time")]

    def __str__(self):
        return f"{self.actor_name} {self.action} {self.object_type} #{self.object_id}"


class OutgoingMail(models.Model):
    """An e-mail waiting to leave or already sent: an outbox written in the same transaction as
    the action that causes it (a recognition), so a mail server that is down loses nothing.

    Attempts and the last error are kept for the retry job (audit/outbox.py); sent
    mails are purged with the audit events (they hold addresses and names).
    """

    subject = models.CharField(_("subject"), max_length=255)
    body = models.TextField(_("body"))
    recipient = models.EmailField(_("recipient"))
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=255, blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        indexes = [models.Index(fields=["sent_at", "next_attempt_at"], name="mail_due")]

    def __str__(self):
        return self.subject
