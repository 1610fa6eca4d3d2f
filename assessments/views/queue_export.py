"""The officers' queue as a spreadsheet (XLSX or CSV): Wagtail's listing export (the
“Download XLSX/CSV” header buttons, ``?export=`` on the queue's own URL) under the queue's
filters, status tab and accent-insensitive search, inside the officer's subtree.

The rows come from the queue view's own `get_queryset` (jurisdiction scope, filters, search,
ordering), so the file always holds what the screen lists, every page of it. They are read
in chunks (XLSX here, CSV in JurisdictionIndexView) with only the exported columns loaded:
a commune's 100k assessments do not sit in memory as model instances at once. The citizen ID
and birth year are never read.
"""

from django.shortcuts import redirect
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin import messages

from audit.models import AuditAction
from audit.services import actor_area_path, audit_record
from learning_units.admin.labels import area_label
from learning_units.text import file_slug

from ..conf import setting
from ..models import AssessmentStatus
from ..rules import format_points
from .review import AssessmentQueueView, status_label

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
        return self.as_spreadsheet(self.export_queryset(), export_format)

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
        """Names of people leave the system: the export is recorded (filters, not the search
        text, which may be a name)."""
        filters = self.request.GET.copy()
        filters.pop(self.search_kwarg, None)
        audit_record(
            request=self.request,
            action=AuditAction.EXPORT,
            object_type=queryset.model._meta.label,
            area_path=actor_area_path(self.request.user),
            detail={
                "format": spreadsheet_format,
                "query": filters.urlencode(),
                "searched": self.is_searching,
            },
        )
        return super().as_spreadsheet(queryset, spreadsheet_format)
