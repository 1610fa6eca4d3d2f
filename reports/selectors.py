"""Report figures, aggregated in the database: one GROUP BY per source table over the child areas.

An area's children are found from the materialised path: the child an area below belongs to is
the path cut after the next "/" past the parent's path (`child_path`). Assessments are grouped by
the area recorded *on the assessment* (where the citizen was assessed), not by where the citizen
lives now, so a citizen who moved commune mid-year is counted where they were assessed.
"""

from decimal import Decimal

from django.db.models import Count, F, Q, Sum, Value
from django.db.models.functions import Coalesce, StrIndex, Substr
from django.http import Http404
from django.utils.translation import gettext

from assessments.models import Assessment, AssessmentStatus, IndicatorAnswer
from assessments.models.criteria import SubjectKind
from learning_units import jurisdiction
from learning_units.jurisdiction import under
from learning_units.models import Area, AreaLevel, Citizen, LearningUnit, TargetGroup

from . import summaries
from .figures import NO_BAND, Report, Row, TargetComparison
from .models import AreaPopulation, Indicator, Target
from .summaries import ASSESSED

COLLECTIVE_KINDS = (
    LearningUnit.Kind.FAMILY,
    LearningUnit.Kind.CLAN,
    LearningUnit.Kind.COMMUNITY,
)


def child_path(path_field, parent_path):
    """SQL expression: the path of the child of `parent_path` that a row's area lies in.

    ``VN/31/10999/T01/`` under ``VN/31/`` gives ``VN/31/10999/``; a row recorded on the parent
    itself gives the parent's own path. SUBSTR/STRPOS (INSTR on SQLite) over the joined path.
    """
    start = len(parent_path)
    rest = Substr(path_field, start + 1)
    return Substr(path_field, 1, Value(start) + StrIndex(rest, Value("/")))


def _grouping(area, prefix=""):
    """What the figures of an area are grouped by in SQL.

    At the central level, the child (province) path computed in SQL: a few dozen groups out of
    the whole country. Below it, the area id — no string function and no join per row — and
    `_children` maps each id to its child in Python (a province has a few thousand areas).
    """
    if area.level == AreaLevel.CENTRAL:
        return child_path(f"{prefix}area__path", area.path)
    return F(f"{prefix}area_id")


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


def _subject_q(subject_kind, prefix=""):
    """Citizens' assessments, or those of one kind of learning unit (from the subject itself:
    the campaign's kind says the same, but this needs no join for citizens)."""
    if subject_kind == SubjectKind.CITIZEN:
        return Q(**{f"{prefix}citizen__isnull": False})
    return Q(**{f"{prefix}learning_unit__kind": subject_kind})


def _assessments(area, *, year, target_group, subject_kind):
    queryset = Assessment.objects.filter(
        _subject_q(subject_kind), under("area__path", area.path), year__in=(year, year - 1)
    )
    if target_group:
        queryset = queryset.filter(target_group=target_group)
    return queryset.annotate(child=_grouping(area))


def _assessment_rows(area, **filters):
    """One GROUP BY (child, year, band) over the assessments of the year and the year before.

    Without the join to recognitions, which would cost every row a hash probe: recognised and
    assessed here include the revoked titles, which `_revoked_rows` counts (they are few) and
    `area_report` takes off again.
    """
    assessed = Q(status__in=ASSESSED)
    return (
        _assessments(area, **filters)
        .values("child", "year", "band")
        .annotate(
            taking_part=Count("pk"),
            self_assessing=Count(
                "pk", filter=Q(status__in=(AssessmentStatus.DRAFT, AssessmentStatus.RETURNED))
            ),
            submitted=Count("pk", filter=Q(status=AssessmentStatus.SUBMITTED)),
            verified=Count("pk", filter=Q(status=AssessmentStatus.VERIFIED)),
            recognised=Count("pk", filter=Q(status=AssessmentStatus.RECOGNISED)),
            rejected=Count("pk", filter=Q(status=AssessmentStatus.REJECTED)),
            assessed=Count("pk", filter=assessed),
            score_sum=Sum(Coalesce("verified_total", "self_total"), filter=assessed),
            scored=Count(Coalesce("verified_total", "self_total"), filter=assessed),
        )
        .order_by()
    )


def _revoked_rows(area, **filters):
    """The revoked titles among the same assessments, by the same keys."""
    return (
        _assessments(area, **filters)
        .filter(status=AssessmentStatus.RECOGNISED, recognition__revoked=True)
        .values("child", "year", "band")
        .annotate(
            revoked=Count("pk"),
            score_sum=Sum(Coalesce("verified_total", "self_total")),
            scored=Count(Coalesce("verified_total", "self_total")),
        )
        .order_by()
    )


def _recognised_units(year, kinds):
    """Ids of learning units of `kinds` whose title of `year` stands (subquery, not fetched)."""
    return (
        Assessment.objects.filter(
            year=year, status=AssessmentStatus.RECOGNISED, learning_unit__kind__in=kinds
        )
        .exclude(recognition__revoked=True)
        .values("learning_unit_id")
    )


def _citizens(area, target_group):
    queryset = Citizen.objects.filter(under("area__path", area.path))
    if target_group:
        queryset = queryset.filter(target_group=target_group)
    return queryset.annotate(child=_grouping(area))


def _citizen_rows(area, *, target_group):
    """Citizens living in the area now, and the cadres among them, by child."""
    return (
        _citizens(area, target_group)
        .values("child")
        .annotate(
            registered=Count("pk"), cadres=Count("pk", filter=Q(target_group=TargetGroup.CADRES))
        )
        .order_by()
    )


def _learning_rows(area, *, year, target_group):
    """Citizens in a recognised family/clan/community, and cadres working in a recognised
    learning unit, by child — one UNION query driven from the (few) recognised units rather
    than a membership test on every citizen."""
    members = (
        _citizens(area, target_group)
        .filter(learning_units__in=_recognised_units(year, COLLECTIVE_KINDS))
        .annotate(measure=Value("in_collectives"))
        .values("child", "measure")
        .annotate(count=Count("pk", distinct=True))
        .order_by()
    )
    cadres = (
        _citizens(area, target_group)
        .filter(
            target_group=TargetGroup.CADRES,
            workplace_id__in=_recognised_units(year, [LearningUnit.Kind.ORGANISATION]),
        )
        .annotate(measure=Value("cadres_in_units"))
        .values("child", "measure")
        .annotate(count=Count("pk"))
        .order_by()
    )
    return members.union(cadres, all=True)


def _unit_rows(area, *, subject_kind):
    """Learning units of a kind registered in the area (the "registered" of collective titles)."""
    return (
        LearningUnit.objects.filter(under("area__path", area.path), kind=subject_kind)
        .annotate(child=_grouping(area))
        .values("child")
        .annotate(registered=Count("pk"))
        .order_by()
    )


def _digital_rows(area, *, year, target_group, subject_kind):
    """Answers to digital-skills indicators in assessments submitted or further: basic when any
    points were given, proficient when the indicator's full points were (verified points where
    an officer checked them)."""
    queryset = IndicatorAnswer.objects.filter(
        _subject_q(subject_kind, "assessment__"),
        under("assessment__area__path", area.path),
        indicator__is_digital_skill=True,
        assessment__year=year,
        assessment__status__in=ASSESSED,
    ).exclude(assessment__recognition__revoked=True)
    if target_group:
        queryset = queryset.filter(assessment__target_group=target_group)
    points = Coalesce("verified_points", "self_points")
    return (
        queryset.annotate(child=_grouping(area, "assessment__"), points=points)
        .values("child")
        .annotate(
            answers=Count("pk"),
            basic=Count("pk", filter=Q(points__gt=0)),
            proficient=Count("pk", filter=Q(points__gte=F("indicator__max_points"))),
        )
        .order_by()
    )


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


def _add_live_figures(area, row_for, key_of, band_labels, *, year, target_group, subject_kind):
    """The assessments' figures aggregated live (a commune and below; the check of the
    summaries): assessments, revoked titles and digital answers, three queries."""
    filters = {"year": year, "target_group": target_group, "subject_kind": subject_kind}
    for record in _assessment_rows(area, **filters):
        row = row_for(key_of(record["child"]))
        figures = row.current if record["year"] == year else row.previous
        figures.counts.update({key: record[key] for key in LIVE_COUNTS})
        band = record["band"] if record["assessed"] else None
        if band is not None:
            figures.bands[band or NO_BAND] += record["assessed"]
            band_labels.add(band or NO_BAND)
        figures.score_sum += record["score_sum"] or Decimal(0)
        figures.scored += record["scored"]
    for record in _revoked_rows(area, **filters):
        row = row_for(key_of(record["child"]))
        figures = row.current if record["year"] == year else row.previous
        revoked = record["revoked"]
        figures.counts.update({"revoked": revoked})
        figures.counts.subtract({"recognised": revoked})
        figures.bands.subtract({record["band"] or NO_BAND: revoked})
        figures.score_sum -= record["score_sum"] or Decimal(0)
        figures.scored -= record["scored"]
    for record in _digital_rows(area, **filters):
        row = row_for(key_of(record["child"]))
        row.digital_answers += record["answers"]
        row.digital_basic += record["basic"]
        row.digital_proficient += record["proficient"]


LIVE_COUNTS = ("taking_part", "self_assessing", "submitted", "verified", "recognised", "rejected")


def area_report(area, *, year, target_group=None, subject_kind=SubjectKind.CITIZEN, live=False):
    """The report of an area: a row per child area (and one for what is recorded on the area
    itself), the total, and the targets that apply. A fixed number of queries, whatever the
    data: areas, the assessments' figures (two queries of the kept summaries for a province or
    the country, else three live aggregations; `live` forces those), citizens (or units),
    citizens in recognised collectives, populations, targets."""
    children, key_of = _children(area)
    rows = {}
    for path in sorted(children, key=lambda p: children[p].name):
        _row_for(rows, path, children)
    band_labels = set()
    filters = {"year": year, "target_group": target_group, "subject_kind": subject_kind}

    def row_for(key):
        return _row_for(rows, key, children)

    if live or not summaries.read_by_summaries(area):
        _add_live_figures(area, row_for, key_of, band_labels, **filters)
    else:
        summary_key = key_of
        if area.level == AreaLevel.CENTRAL:  # the summaries name provinces by id
            paths = {child.pk: path for path, child in children.items()} | {area.pk: area.path}
            summary_key = paths.__getitem__
        summaries.add_summary_figures(area, row_for, summary_key, band_labels, **filters)
    if subject_kind == SubjectKind.CITIZEN:
        registered_rows = _citizen_rows(area, target_group=target_group)
    else:
        registered_rows = _unit_rows(area, subject_kind=subject_kind)
    for record in registered_rows:
        row = row_for(key_of(record["child"]))
        row.registered += record["registered"]
        row.cadres += record.get("cadres", 0)
    for record in _learning_rows(area, year=year, target_group=target_group):
        row = row_for(key_of(record["child"]))
        setattr(row, record["measure"], getattr(row, record["measure"]) + record["count"])
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
