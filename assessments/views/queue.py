"""The officers' queue: one tab per status with its count, filters, search, pages that never
overlap, and the way from a row to its review screen and back (`review`).

Thin by design: rows come from `selectors` (scoped to the officer's subtree), counts from the
kept summaries where they answer (`queue_counts`), capped under a search.
"""

from django.contrib.admin.utils import quote
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from wagtail.admin.ui.tables import BulkActionsCheckboxColumn, Column, TitleColumn

from learning_units.admin.jurisdiction import JurisdictionIndexView
from learning_units.admin.labels import area_label

from .. import queue_counts, selectors
from ..models import AssessmentStatus
from ..rules import format_points

# The review screen carries the queue's query string (never a URL: it only ever leads back to
# the queue), less what a link back must not repeat.
BACK_PARAM = "back"
NOT_KEPT = ("export", "_", "p")  # a page number may no longer exist after the review


def status_label(assessment):
    recognition = getattr(assessment, "recognition", None)
    if recognition is not None and recognition.revoked:
        return _("Recognition revoked")
    return assessment.get_status_display()


def points_label(value):
    return format_points(value) if value is not None else "–"


# A name search counts each status up to this many rows ("10,000+" beyond): a common name in a
# province's million assessments is never counted in full (issue #22).
SEARCH_COUNT_CAP = 10_000


def _nulls_as_postgresql(term):
    if not isinstance(term, str):
        return term
    if term.startswith("-"):
        return F(term[1:]).desc(nulls_first=True)
    return F(term).asc(nulls_last=True)


class AssessmentQueueView(JurisdictionIndexView):
    """A queue per status (``?status=``) with counts per status for the same filters."""

    default_ordering = "submitted_at"
    review_url_name = None

    def order_queryset(self, queryset):
        """Ties broken by id in the same direction: pages never overlap, and a province's
        (province, [status,] submitted_at, id) indexes read page 1 in order (issue #22).
        Rows without a value (drafts have no submission date) go where PostgreSQL puts them
        and its indexes hold them, last going up and first going down, on every database:
        SQLite put the drafts first on the "All" tab."""
        queryset = super().order_queryset(queryset)
        descending = str(self.ordering).startswith("-")
        terms = [_nulls_as_postgresql(term) for term in queryset.query.order_by]
        return queryset.order_by(*terms, "-pk" if descending else "pk")

    def search_queryset(self, queryset):
        if not self.is_searching:
            return queryset
        return selectors.assessment_search(queryset, self.search_query)

    def get_review_url(self, instance):
        """The review screen, told which queue it came from (its filters, search and page),
        so that it leads back there."""
        url = reverse(self.review_url_name, args=(quote(instance.pk),))
        params = self.request.GET.copy()
        for name in NOT_KEPT:
            params.pop(name, None)
        return f"{url}?{urlencode({BACK_PARAM: params.urlencode()})}" if params else url

    def get_edit_url(self, instance):
        return self.get_review_url(instance)

    def get_delete_url(self, instance):
        return None

    @cached_property
    def columns(self):
        return [
            BulkActionsCheckboxColumn("bulk_actions", obj_type="assessment"),
            TitleColumn(
                "subject",
                label=_("Name"),
                accessor=lambda assessment: str(assessment.subject),
                get_url=self.get_review_url,
                get_title_id=lambda assessment: f"assessment_{quote(assessment.pk)}_title",
                sort_key="citizen__search_name",
            ),
            Column(
                "area",
                label=_("Area"),
                accessor=lambda assessment: area_label(assessment.area),
                sort_key="area__path",
            ),
            Column(
                "target_group",
                label=_("Group"),
                accessor=lambda assessment: assessment.get_target_group_display() or "–",
                sort_key="target_group",
            ),
            Column("year", label=_("Year"), sort_key="year"),
            Column("status", label=_("Status"), accessor=status_label, sort_key="status"),
            Column(
                "score",
                label=_("Points"),
                accessor=lambda assessment: points_label(assessment.score),
                sort_key="score",
            ),
            Column("band", label=_("Rating")),
            Column(
                "has_evidence",
                label=_("Evidence"),
                accessor=lambda assessment: _("Yes") if assessment.has_evidence else "–",
            ),
            Column(
                "submitted_at",
                label=_("Submitted on"),
                accessor=lambda assessment: (
                    assessment.submitted_at
                    and date_format(
                        timezone.localtime(assessment.submitted_at), "SHORT_DATE_FORMAT"
                    )
                ),
                sort_key="submitted_at",
            ),
        ]

    @cached_property
    def status_counts(self):
        """Counts per status under the same search and filters, the status filter aside: the
        kept figures' where they answer (`queue_counts`), else counted live (a search capped)."""
        data = self.request.GET.copy()
        data.pop("status", None)
        filters = self.filterset_class(
            data, queryset=self.get_base_queryset(), request=self.request
        )
        valid = filters.is_valid()
        if not self.is_searching:
            kept = queue_counts.kept_status_counts(
                user=self.request.user, filters=filters.form.cleaned_data if valid else {}
            )
            if kept is not None:
                return kept
        queryset = filters.qs if valid else self.get_base_queryset()
        return selectors.assessment_status_counts(
            self.search_queryset(queryset), cap=SEARCH_COUNT_CAP if self.is_searching else None
        )

    @cached_property
    def row_count(self):
        """The rows under the filters: one of the counts per status, or their sum."""
        status = self.request.GET.get("status", "")
        valid = self.filters is not None and self.filters.is_valid()
        counts = self.status_counts
        count = counts[status] if valid and status else sum(counts.values())
        return min(count, SEARCH_COUNT_CAP + 1) if self.is_searching else count

    def get_paginator(self, queryset, per_page, **kwargs):
        """The rows' count comes from the counts per status: not counted twice."""
        paginator = super().get_paginator(queryset, per_page, **kwargs)
        paginator.count = self.row_count
        return paginator

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        current = self.request.GET.get("status", "")
        params = self.request.GET.copy()
        params.pop("p", None)
        tabs = []
        for status, label in [("", _("All")), *AssessmentStatus.choices]:
            params["status"] = status
            count = sum(self.status_counts.values()) if not status else self.status_counts[status]
            more = self.is_searching and count > SEARCH_COUNT_CAP
            tabs.append(
                {
                    "status": status,
                    "label": label,
                    "count": SEARCH_COUNT_CAP if more else count,
                    "more": more,
                    "url": f"{self.index_url}?{params.urlencode()}",
                    "current": status == current,
                }
            )
        context["status_tabs"] = tabs
        return context
