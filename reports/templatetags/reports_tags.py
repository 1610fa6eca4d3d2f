"""Display of report figures, and the public statistics section of an area page."""

from decimal import Decimal

from django import template
from django.core.cache import cache
from django.utils import formats, timezone

from ..selectors import area_report

register = template.Library()

PUBLIC_STATS_SECONDS = 300


@register.filter
def report_cell(value):
    """A figure as people read it: "—" when not known, numbers in the active locale."""
    if value is None:
        return "—"
    if isinstance(value, Decimal | int | float) and not isinstance(value, bool):
        return formats.number_format(value, use_l10n=True, force_grouping=True)
    return value


@register.filter
def report_raw(value):
    """The plain number behind a cell (data attribute, tests, scripts)."""
    return "" if value is None else str(value)


@register.filter
def report_signed(value):
    if value is None:
        return "—"
    sign = "+" if value > 0 else ""
    return f"{sign}{formats.number_format(value, use_l10n=True)}"


@register.filter
def report_svg(value):
    """Coordinates for SVG: always a dot decimal, whatever the locale."""
    return f"{float(value):g}"


def public_figures(area, year):
    """Aggregates only — never a name — cached per area and year for a few minutes."""
    key = f"reports:public:{area.pk}:{year}"
    figures = cache.get(key)
    if figures is None:
        report = area_report(area, year=year)
        current = report.total.current
        figures = {
            "year": year,
            "taking_part": current.counts["taking_part"],
            "assessed": current.counts["submitted"]
            + current.counts["verified"]
            + current.counts["recognised"],
            "recognised": current.counts["recognised"],
            "recognition_rate": current.recognition_rate,
            "targets": [
                {
                    "label": str(t.label),
                    "actual": t.actual,
                    "target": t.target,
                    "met": t.met,
                    "marker": t.marker,
                }
                for t in report.targets
                if t.target is not None
            ],
        }
        cache.set(key, figures, PUBLIC_STATS_SECONDS)
    return figures


@register.inclusion_tag("reports/public_stats.html")
def public_stats(area, year=None):
    if area is None:
        return {"figures": None}
    return {"figures": public_figures(area, year or timezone.localdate().year), "area": area}
