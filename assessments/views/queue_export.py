"""The officers' queue as a spreadsheet (XLSX or CSV): Wagtail's listing export (the
“Download XLSX/CSV” header buttons, ``?export=`` on the queue's own URL) under the queue's
filters, status tab and accent-insensitive search, inside the officer's subtree.

The rows come from the queue view's own `get_queryset` (jurisdiction scope, filters, search,
ordering), so the file always holds what the screen lists, every page of it. They are read
in chunks (XLSX here, CSV in JurisdictionIndexView) with only the exported columns loaded:
a commune's 100k assessments do not sit in memory as model instances at once. The citizen ID
and birth year are never read.

More rows than CDHT_QUEUE_EXPORT_BACKGROUND_ROWS are written by a background job
(assessments.queue_exports), which runs this same view in a worker for the same officer and
query; the officer follows its progress on a page (`QueueExportJobView`) and downloads the file
from there (only the officer who asked can).
"""

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import number_format
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from audit.models import AuditAction
from audit.services import actor_area_path, audit_record
from learning_units.admin.labels import area_label
from learning_units.spreadsheets import XLSX_CONTENT_TYPE
from learning_units.text import file_slug

from ..conf import setting
from ..models import AssessmentStatus, QueueExport
from ..private_files import private_file_response
from ..queue_exports import PROGRESS_EVERY, queue_export_progress, queue_export_start
from ..rules import format_points
from .queue import AssessmentQueueView, status_label

CHUNK_SIZE = 2000

# What a row reads: everything else of the assessment and its subject stays in the database.
EXPORT_FIELDS = [
    "citizen",
    "learning_unit",
    "area",
    "area__parent",
    "year",
    "target_group",
    "status",
    "band",
    "has_evidence",
    "submitted_at",
    "citizen__full_name",
    "learning_unit__name",
    "area__name",
    "area__level",
    "area__parent__name",
    "recognition__revoked",
    "recognition__certificate_number",
]


def submitted_on(assessment):
    if assessment.submitted_at is None:
        return None
    return timezone.localtime(assessment.submitted_at).date()


class Labels(dict):
    """Translated labels met so far in one export. A queue has a handful of statuses and
    groups: their labels computed once, not on every row, made the CSV of 20k rows about
    three times faster."""

    def get_or_compute(self, key, compute):
        try:
            return self[key]
        except KeyError:
            value = self[key] = compute()
            return value


def revoked(assessment):
    recognition = getattr(assessment, "recognition", None)
    return recognition is not None and recognition.revoked


def certificate_number(assessment):
    """The number of a standing recognition; a revoked one no longer certifies anything."""
    recognition = getattr(assessment, "recognition", None)
    if recognition is None or recognition.revoked:
        return ""
    return recognition.certificate_number


# Column: (heading, value of an assessment given the export's Labels). Values stay typed
# (numbers, dates) so that XLSX cells are numbers and dates a spreadsheet can sort and sum.
QUEUE_EXPORT = {
    "name": (gettext_lazy("Name"), lambda a, labels: str(a.subject)),
    "area": (gettext_lazy("Residential area"), lambda a, labels: area_label(a.area)),
    "target_group": (
        gettext_lazy("Target group"),
        lambda a, labels: labels.get_or_compute(
            ("target_group", a.target_group), lambda: a.get_target_group_display() or ""
        ),
    ),
    "year": (gettext_lazy("Year"), lambda a, labels: a.year),
    "status": (
        gettext_lazy("Status"),
        lambda a, labels: labels.get_or_compute(
            ("status", a.status, revoked(a)), lambda: status_label(a)
        ),
    ),
    "points": (gettext_lazy("Points"), lambda a, labels: a.score),
    "rating": (gettext_lazy("Rating"), lambda a, labels: a.band),
    "has_evidence": (
        gettext_lazy("Has evidence"),
        lambda a, labels: labels.get_or_compute(
            ("has_evidence", a.has_evidence), lambda: _("Yes") if a.has_evidence else _("No")
        ),
    ),
    "submitted_on": (gettext_lazy("Submitted on"), lambda a, labels: submitted_on(a)),
    "certificate_number": (
        gettext_lazy("Certificate number"),
        lambda a, labels: certificate_number(a),
    ),
}


def points_text(value):
    return "" if value is None else format_points(value)


class QueueExportView(AssessmentQueueView):
    """The queue, downloadable under its filters, status and search.

    `list_export`, `export_headings` and `export_filename` come from the viewset (Wagtail's
    listing export); this view reads the rows lean and names the file after the queue.
    """

    custom_field_preprocess = {
        # Vietnamese decimal comma in CSV (as on screen); XLSX keeps a number.
        "points": {"csv": points_text},
    }

    def get(self, request, *args, **kwargs):
        """An export skips the listing's page and table: only the rows are read (and counted
        first, from the counts per status, so that one too long to write is refused)."""
        if not self.is_export:
            return super().get(request, *args, **kwargs)
        export_format = request.GET["export"]
        limit = setting("QUEUE_EXPORT_MAX_ROWS").get(export_format)
        if limit is not None and self.row_count > limit:
            messages.error(
                request,
                _(
                    "These %(rows)s assessments are too many for one file (at most %(limit)s "
                    "in this format). Narrow the list with the filters (area, status, year), "
                    "or download CSV, which allows more."
                )
                % {
                    "rows": number_format(self.row_count, force_grouping=True),
                    "limit": number_format(limit, force_grouping=True),
                },
            )
            params = request.GET.copy()
            params.pop("export")
            return redirect(f"{self.index_url}?{params.urlencode()}")
        if self.background_job is None and self.row_count > setting("QUEUE_EXPORT_BACKGROUND_ROWS"):
            return self.start_background_export(export_format)
        return self.as_spreadsheet(self.export_queryset(), export_format)

    @cached_property
    def background_job(self):
        """The job this request writes the file for, when a worker runs it (else None)."""
        return getattr(self.request, "queue_export", None)

    def start_background_export(self, export_format):
        self.audit_export(export_format)
        params = self.request.GET.copy()
        params.pop("export")
        job = queue_export_start(
            user=self.request.user,
            query=params.urlencode(),
            file_format=export_format,
            total=self.row_count,
            language=translation.get_language() or "",
        )
        return redirect(reverse("assessment_review:export_job", args=[job.pk]))

    def export_queryset(self):
        return (
            self.get_queryset()
            .select_related(None)
            .select_related("citizen", "learning_unit", "area__parent", "recognition")
            .only(*EXPORT_FIELDS)
        )

    @cached_property
    def export_labels(self):
        return Labels()

    def to_row_dict(self, item):
        if self.background_job is not None:
            self.rows_written = getattr(self, "rows_written", 0) + 1
            if self.rows_written % PROGRESS_EVERY == 0:
                queue_export_progress(job_id=self.background_job.pk, done=self.rows_written)
        labels = self.export_labels
        return {field: value(item, labels) for field, (_heading, value) in QUEUE_EXPORT.items()}

    def write_xlsx(self, queryset, output):
        # Wagtail iterates the queryset whole; in chunks, memory stays flat as rows grow.
        super().write_xlsx(queryset.iterator(chunk_size=CHUNK_SIZE), output)

    def get_filename(self):
        """“hang-doi-danh-gia-da-tham-dinh-2026”: the queue, its status tab and its year (or the
        day of the download), ASCII without losing “đ” (`file_slug`, not `slugify`)."""
        parts = [self.export_filename]
        data = self.filters.form.cleaned_data if self.filters and self.filters.is_valid() else {}
        if data.get("status"):
            parts.append(file_slug(AssessmentStatus(data["status"]).label))
        year = data.get("year")
        parts.append(str(int(year)) if year else timezone.localdate().isoformat())
        return "-".join(parts)

    def as_spreadsheet(self, queryset, spreadsheet_format):
        if self.background_job is None:  # a background export was recorded when it started
            self.audit_export(spreadsheet_format)
        return super().as_spreadsheet(queryset, spreadsheet_format)

    def audit_export(self, spreadsheet_format):
        """Names of people leave the system: the export is recorded (filters, not the search
        text, which may be a name)."""
        filters = self.request.GET.copy()
        filters.pop(self.search_kwarg, None)
        audit_record(
            request=self.request,
            action=AuditAction.EXPORT,
            object_type=self.model._meta.label,
            area_path=actor_area_path(self.request.user),
            detail={
                "format": spreadsheet_format,
                "query": filters.urlencode(),
                "searched": self.is_searching,
            },
        )


class QueueExportJobView(WagtailAdminTemplateMixin, TemplateView):
    """Progress of a background export; the page reloads itself every 2 s until it is done."""

    template_name = "assessments/review/export_job.html"
    page_title = gettext_lazy("Queue export")
    header_icon = "download"

    def get_context_data(self, **kwargs):
        job = officer_export_job(self.request.user, self.kwargs["pk"])
        return super().get_context_data(job=job, **kwargs)


@never_cache
def export_job_download(request, pk):
    job = officer_export_job(request.user, pk)
    if job.status != QueueExport.Status.DONE or not job.file:
        raise Http404
    content_type = {"xlsx": XLSX_CONTENT_TYPE, "csv": "text/csv; charset=utf-8"}
    return private_file_response(
        job.file,
        as_attachment=True,
        filename=job.file_name,
        content_type=content_type[job.file_format],
    )


def officer_export_job(user, pk):
    """Only the officer who asked for an export may follow or download it."""
    return get_object_or_404(QueueExport.objects.filter(requested_by=user), pk=pk)
