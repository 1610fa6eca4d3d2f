"""Report figures aggregated live: one GROUP BY per source table over the child areas, for a
commune and below (and to check the kept summaries, `area_report(live=True)`).

An area's children are found from the materialised path: the child an area below belongs to is
the path cut after the next "/" past the parent's path (`child_path`). Assessments are grouped by
the area recorded *on the assessment* (where the citizen was assessed), not by where the citizen
lives now, so a citizen who moved commune mid-year is counted where they were assessed.
"""

from decimal import Decimal

from django.db.models import Count, F, Q, Sum, Value
from django.db.models.functions import Coalesce, StrIndex, Substr

from assessments.models import Assessment, AssessmentStatus, IndicatorAnswer
from assessments.models.criteria import SubjectKind
from learning_units.jurisdiction import under
from learning_units.models import AreaLevel, Citizen, LearningUnit, TargetGroup

from .citizen_summaries import COLLECTIVE_KINDS
from .figures import NO_BAND
from .summaries import ASSESSED


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


def add_citizen_figures(area, row_for, key_of, *, year, target_group, subject_kind):
    """The citizens' figures aggregated live (a commune and below; the check of the
    summaries): registered citizens and cadres, members and cadres of recognised units."""
    if subject_kind == SubjectKind.CITIZEN:
        for record in _citizen_rows(area, target_group=target_group):
            row = row_for(key_of(record["child"]))
            row.registered += record["registered"]
            row.cadres += record["cadres"]
    for record in _learning_rows(area, year=year, target_group=target_group):
        row = row_for(key_of(record["child"]))
        setattr(row, record["measure"], getattr(row, record["measure"]) + record["count"])


def unit_rows(area, *, subject_kind):
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


def add_assessment_figures(area, row_for, key_of, band_labels, *, year, target_group, subject_kind):
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
