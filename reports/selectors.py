"""Who may see which report, and the report of an area: a row per child area, the total and
the targets. The figures come from the kept summaries for a province or the country
(`summaries.py`, `citizen_summaries.py`), aggregated live within a commune (`live_figures.py`).
"""

from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext

from assessments.models.criteria import SubjectKind
from learning_units import jurisdiction
from learning_units.jurisdiction import under
from learning_units.models import Area, AreaLevel

from . import live_figures, summaries
from .citizen_summaries import add_citizen_figures
from .figures import NO_BAND, Report, Row, TargetComparison
from .models import AreaPopulation, Indicator, Target


def _children(area):
    """The child areas by path, and the function from a grouped key to its child's path (one
    query: the children, or the whole subtree's ids and paths)."""
    if area.level == AreaLevel.CENTRAL:
        return {child.path: child for child in Area.objects.filter(parent=area)}, str
    children, child_of = {}, {}
    start = len(area.path)
    subtree = Area.objects.filter(under("path", area.path)).values_list(
        "pk", "path", "parent_id", "name", "level"
    )
    for pk, path, parent_id, name, level in subtree:
        rest = path[start:]
        child_of[pk] = area.path + rest[: rest.find("/") + 1] if rest else area.path
        if parent_id == area.pk:
            children[path] = Area(pk=pk, path=path, parent_id=parent_id, name=name, level=level)
    return children, child_of.__getitem__


# --- Who may see which report -----------------------------------------------------------------


def report_top_areas(user):
    """The areas an officer's reports start from: those of their roles, highest first."""
    if user.is_superuser:
        return list(Area.objects.filter(level=AreaLevel.CENTRAL).order_by("path")[:1])
    # A role inside another role's subtree adds nothing: keep the top ones.
    tops = jurisdiction.top_paths(jurisdiction.area_paths(user))
    return list(Area.objects.filter(path__in=tops).order_by("level", "name"))


def report_area_for(user, pk):
    """The area of a report, if it lies in the user's jurisdiction; else 404 (never 403: an
    officer does not learn which areas exist outside their subtree)."""
    area = Area.objects.filter(pk=pk).select_related("parent").first()
    if area is None or not jurisdiction.covers(user, area):
        raise Http404
    return area


# --- The figures --------------------------------------------------------------------------------


def _populations(area, year):
    """Adults per path under the area, where a population figure was entered."""
    return dict(
        AreaPopulation.objects.filter(under("area__path", area.path), year=year).values_list(
            "area__path", "adults"
        )
    )


def population_for(path, populations):
    """The area's own figure, else the sum of the highest figures below it; None if unknown."""
    if path in populations:
        return populations[path]
    below = [
        adults
        for other, adults in populations.items()
        if jurisdiction.path_is_under(other, path)
        and not any(
            above in populations
            for above in jurisdiction.ancestor_paths(other)[:-1]
            if jurisdiction.path_is_under(above, path)
        )
    ]
    return sum(below) if below else None


def applicable_targets(area, year):
    """Per indicator, the target for `year`'s milestone (the first target year at or after it,
    else the last): the province's own where it set one, else the national one."""
    province_path = area.province_path
    chosen = {}
    for target in Target.objects.filter(
        Q(area__isnull=True) | Q(area__path=province_path)
    ).select_related("area"):
        key = target.indicator
        rank = (target.year < year, abs(target.year - year), target.area_id is None)
        if key not in chosen or rank < chosen[key][0]:
            chosen[key] = (rank, target)
    return {key: target for key, (_rank, target) in chosen.items()}


def _row_for(rows, key, children):
    if key not in rows:
        child = children.get(key)
        # No child: recorded on the report's area itself (e.g. a citizen of a commune without
        # a residential area).
        name = child.name if child else gettext("Recorded on the area itself")
        rows[key] = Row(path=key, name=name, area=child)
    return rows[key]


def area_report(area, *, year, target_group=None, subject_kind=SubjectKind.CITIZEN, live=False):
    """The report of an area: a row per child area (and one for what is recorded on the area
    itself), the total, and the targets that apply. A fixed number of queries, whatever the
    data: areas, the assessments' and citizens' figures (three queries of the kept summaries for
    a province or the country, else five live aggregations; `live` forces those), units (for a
    unit report), populations, targets."""
    children, key_of = _children(area)
    rows = {}
    for path in sorted(children, key=lambda p: children[p].name):
        _row_for(rows, path, children)
    band_labels = set()
    filters = {"year": year, "target_group": target_group, "subject_kind": subject_kind}

    def row_for(key):
        return _row_for(rows, key, children)

    if live or not summaries.read_by_summaries(area):
        live_figures.add_assessment_figures(area, row_for, key_of, band_labels, **filters)
        live_figures.add_citizen_figures(area, row_for, key_of, **filters)
    else:
        summary_key = key_of
        if area.level == AreaLevel.CENTRAL:  # the summaries name provinces by id
            paths = {child.pk: path for path, child in children.items()} | {area.pk: area.path}
            summary_key = paths.__getitem__
        summaries.add_summary_figures(area, row_for, summary_key, band_labels, **filters)
        add_citizen_figures(
            area,
            row_for,
            summary_key,
            year=year,
            target_group=target_group,
            registered=subject_kind == SubjectKind.CITIZEN,
        )
    if subject_kind != SubjectKind.CITIZEN:
        for record in live_figures.unit_rows(area, subject_kind=subject_kind):
            row_for(key_of(record["child"])).registered += record["registered"]
    populations = _populations(area, year)
    total = Row(path=area.path, name=area.name, area=area)
    for row in rows.values():
        # Recorded on the area itself, not on a child: no population of its own.
        row.population = population_for(row.path, populations) if row.area else None
        total.add(row)
    total.population = population_for(area.path, populations)
    return Report(
        area=area,
        year=year,
        target_group=target_group,
        subject_kind=subject_kind,
        rows=[row for row in rows.values() if row.area is not None or _has_figures(row)],
        total=total,
        targets=target_comparisons(area, year, total),
        band_labels=sorted(band_labels, key=lambda label: (label == NO_BAND, label)),
    )


def target_comparisons(area, year, total):
    targets = applicable_targets(area, year)
    actual = total.indicator_values()
    return [
        TargetComparison(
            indicator=key,
            label=label,
            actual=actual[key],
            target=targets[key].value if key in targets else None,
            target_year=targets[key].year if key in targets else None,
        )
        for key, label in Indicator.choices
    ]


def _has_figures(row):
    return bool(row.current.counts or row.previous.counts or row.registered)
