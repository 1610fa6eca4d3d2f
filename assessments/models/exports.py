"""Exports of the officers' queue too long to write inside a request: the job's state and its
file live here, so the page that shows its progress works whichever worker writes it."""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..storage import private_storage


def export_upload_to(instance, filename):
    # A random folder: the file's URL is never served, but its name reveals nothing either.
    return f"exports/{secrets.token_hex(16)}/{filename}"


class QueueExport(models.Model):
    """One "download the queue" that runs as a background job, with its progress and file."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    file_format = models.CharField(_("format"), max_length=4)
    # The queue's address without `export`: its filters, status tab and search, as on screen.
    query = models.TextField(blank=True)
    language = models.CharField(max_length=10, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    total = models.PositiveIntegerField(_("rows"), default=0)
    done = models.PositiveIntegerField(_("written"), default=0)
    file = models.FileField(storage=private_storage, upload_to=export_upload_to, blank=True)
    file_name = models.CharField(max_length=200, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(_("started at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("queue export")
        verbose_name_plural = _("queue exports")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.file_name or self.file_format} · {self.get_status_display()}"

    @property
    def percent(self):
        return min(100, round(100 * self.done / self.total)) if self.total else 0

    @property
    def is_finished(self):
        return self.status in (self.Status.DONE, self.Status.FAILED)
