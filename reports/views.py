"""Officer report views in the Wagtail admin: the report of an area, its xlsx and PDF exports.

Thin: the figures come from `selectors.area_report`, the columns from `table`, the files from
`exports`. Every view starts from `selectors.report_area_for`, so an area outside the officer's
jurisdiction is a 404 and a user without an officer role sees nothing.
"""

from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from learning_units import jurisdiction
from learning_units.db_routers import use_replica

from . import exports, listing, selectors, snapshots, table
from .charts import bar_chart
from .forms import ReportFilterForm, TableOptionsForm
from .models import Indicator

PANEL_SECONDS = 300


class ReportMixin:
    """Resolves the area (in jurisdiction) and the filters, and builds the report. Every read
    goes to the read replica when the project has one (learning_units.db_routers)."""

    @method_decorator(use_replica)
    def dispatch(self, request, pk=None, **kwargs):
        tops = selectors.report_top_areas(request.user)
        if not tops:
            raise Http404
        self.area = tops[0] if pk is None else selectors.report_area_for(request.user, pk)
        self.form = ReportFilterForm(
            request.GET or None, initial={"year": timezone.localdate().year}
        )
        self.filters = self.form.filters()
        self.report, self.refreshed_at = snapshots.report_for(self.area, **self.filters)
        return super().dispatch(request, pk=pk, **kwargs)

    def query_string(self):
        query = self.request.GET.urlencode()
        return f"?{query}" if query else ""


class ReportView(ReportMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "reports/report.html"
    header_icon = "table"
    _show_breadcrumbs = True

    def get_page_title(self):
        return _("Reports")

    def get_page_subtitle(self):
        return f"{self.area.name} · {self.filters['year']}"

    def get_breadcrumbs_items(self):
        user = self.request.user
        above = [
            path
            for path in jurisdiction.ancestor_paths(self.area.path)[:-1]
            if jurisdiction.covers_path(user, path)
        ]
        ancestors = selectors.Area.objects.filter(path__in=above).order_by("level")
        query = self.query_string()
        return [
            *self.breadcrumbs_items,
            *(
                {"url": reverse("reports:area", args=[a.pk]) + query, "label": a.name}
                for a in ancestors
            ),
            {"url": "", "label": self.area.name},
        ]

    def get_context_data(self, **kwargs):
        report = self.report
        query = self.query_string()
        columns = table.columns(report)
        options_form = TableOptionsForm(self.request.GET or None, columns=columns)
        options = options_form.options()
        view = listing.table_view(
            [
                {
                    "url": reverse("reports:area", args=[row.area.pk]) + query if row.area else "",
                    "cells": table.cells(report, row),
                }
                for row in report.rows
            ],
            show_empty=options["show_empty"],
            query=options["query"],
            sort=options["sort"],
        )
        shown = [number - 1 for number in options["shown"]]
        for row in view.rows:
            row["cells"] = table.pick(row["cells"], shown)
        return super().get_context_data(
            report=report,
            refreshed_at=self.refreshed_at,
            form=self.form,
            options_form=options_form,
            shown_numbers=options["shown"],
            columns=self.column_headers(columns, options, shown),
            rows=view.rows,
            hidden_empty=view.hidden_empty,
            filtered_out=view.filtered_out,
            show_empty_url=self.with_params(empty="on"),
            total=table.pick(table.cells(report, report.total), shown),
            charts=report_charts(report),
            xlsx_url=reverse("reports:xlsx", args=[self.area.pk]) + query,
            pdf_url=reverse("reports:pdf", args=[self.area.pk]) + query,
            **kwargs,
        )

    def with_params(self, **changes):
        params = self.request.GET.copy()
        for name, value in changes.items():
            params[name] = value
        return f"?{params.urlencode()}"

    def column_headers(self, columns, options, shown):
        links = listing.sort_links(len(columns), options["sort"])
        return [
            {
                "label": columns[index].label,
                "url": self.with_params(sort=links[index][0]),
                "aria_sort": links[index][1],
            }
            for index in shown
        ]


def report_charts(report):
    targets = bar_chart(
        title=_("Targets: actual and target (%)"),
        description=_(
            "One bar per indicator: the actual share; the vertical line marks the target."
        ),
        bars=[(t.label, t.actual, t.target) for t in report.targets],
    )
    rates = bar_chart(
        title=_("Recognition rate by area, %(year)s (%%)") % {"year": report.year},
        description=_("Recognised titles per assessment taking part, one bar per area."),
        bars=[
            (row.name, row.current.recognition_rate, None)
            for row in report.rows
            if row.current.counts["taking_part"]  # areas without assessments: table only
        ],
    )
    return [targets, rates]


class ReportXlsxView(ReportMixin, TemplateView):
    def get(self, request, *args, **kwargs):
        content = exports.report_xlsx(self.report, exported_at=timezone.localtime())
        response = HttpResponse(
            content,
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = (
            f'attachment; filename="{exports.file_name(self.report, "xlsx")}"'
        )
        return response


class ReportPdfView(ReportMixin, TemplateView):
    def get(self, request, *args, **kwargs):
        content = exports.report_pdf(self.report, exported_at=timezone.localtime())
        response = HttpResponse(content, content_type="application/pdf")
        response["Content-Disposition"] = (
            f'attachment; filename="{exports.file_name(self.report, "pdf")}"'
        )
        return response


def dashboard_context(user):
    """The admin-home panel: the officer's top area against its targets (None: no panel)."""
    tops = selectors.report_top_areas(user)
    if not tops:
        return None
    year = timezone.localdate().year

    @use_replica
    def build():
        return snapshots.report_for(tops[0], year=year)[0]

    # Every visit to the admin home shows it: kept a few minutes, like the public figures;
    # the report page itself stays live.
    report = cache.get_or_set(f"reports:panel:{tops[0].pk}:{year}", build, PANEL_SECONDS)
    return {
        "report": report,
        "counts": [
            (label, report.total.current.counts[key])
            for key, label in (("taking_part", _("Taking part")), ("recognised", _("Recognised")))
        ],
        "report_url": reverse("reports:area", args=[tops[0].pk]),
        "indicator_labels": dict(Indicator.choices),
    }
