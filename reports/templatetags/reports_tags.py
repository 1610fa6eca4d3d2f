"""Display of report figures, and the public statistics section of an area page."""

from decimal import Decimal

from django import template
from django.core.cache import cache
from django.utils import formats, timezone

from learning_units.jurisdiction import ancestor_paths

from ..models import Indicator
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


def _public_figures_key(area_path, year):
    return f"reports:public:v2:{area_path}:{year}"  # v2: targets named when shown


def forget_public_figures(sender, area_paths, **kwargs):
    """A recognition, revocation or opt-out changed these areas: their figures and those of
    every area above them are counted again on the next page view (connected to
    `learning_units.page_cache.public_pages_purged`)."""
    year = timezone.localdate().year
    paths = {path for changed in area_paths for path in ancestor_paths(changed)}
    cache.delete_many([_public_figures_key(path, year) for path in paths])


def public_figures(area, year):
    """Aggregates only — never a name — cached per area and year for a few minutes, in no
    language: the targets carry their indicator's key, named when shown (`public_stats`)."""
    key = _public_figures_key(area.path, year)
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
                    "indicator": t.indicator,
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
    figures = public_figures(area, year or timezone.localdate().year)
    targets = [
        {**target, "label": Indicator(target["indicator"]).label} for target in figures["targets"]
    ]
    return {"figures": {**figures, "targets": targets}, "area": area}
