"""Background generation of a decision's certificates: the job's state lives in the database,
so the page that shows its progress works whichever process or worker runs it."""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..storage import private_storage
from .recognitions import RecognitionDecision


def batch_upload_to(instance, filename):
    # A random folder: the archive's URL is never served, but its name reveals nothing either.
    return f"certificates/batches/{secrets.token_hex(16)}/{filename}"


class CertificateBatch(models.Model):
    """One run of "generate every certificate of this decision" and its zip archive."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    decision = models.ForeignKey(
        RecognitionDecision,
        verbose_name=_("decision"),
        on_delete=models.CASCADE,
        related_name="certificate_batches",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    total = models.PositiveIntegerField(_("certificates"), default=0)
    done = models.PositiveIntegerField(_("generated"), default=0)
    file = models.FileField(storage=private_storage, upload_to=batch_upload_to, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(_("started at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("certificate batch")
        verbose_name_plural = _("certificate batches")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.decision} · {self.get_status_display()}"

    @property
    def percent(self):
        return round(100 * self.done / self.total) if self.total else 0

    @property
    def is_finished(self):
        return self.status in (self.Status.DONE, self.Status.FAILED)
