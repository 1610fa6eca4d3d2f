"""State-changing actions of the reports app: default targets, pre-aggregated figures."""

from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from assessments.models import Assessment
from learning_units.jurisdiction import path_level, under
from learning_units.models import AreaLevel

from .citizen_summaries import citizen_live_counts, citizen_summary_objects, unit_people_areas
from .models import AssessmentSummary, CitizenSummary, Indicator, Target
from .summaries import live_counts, summary_areas, summary_objects

# DOMAIN.md, "Targets to track" (national; provinces set their own, often higher).
DEFAULT_TARGETS = {
    Indicator.ADULTS_IN_COLLECTIVES: {2025: "40", 2030: "60"},
    Indicator.CADRES_IN_UNITS: {2025: "60", 2030: "80"},
    Indicator.DIGITAL_BASIC: {2025: "70", 2030: "90"},
    Indicator.DIGITAL_PROFICIENT: {2025: "60", 2030: "80"},
}


@transaction.atomic
def targets_load_defaults(*, target_model=Target) -> int:
    """Create the national targets that are missing; never overwrite one an officer changed.

    `target_model` lets the data migration pass its historical model.
    """
    created = 0
    for indicator, by_year in DEFAULT_TARGETS.items():
        for year, value in by_year.items():
            _target, was_created = target_model.objects.get_or_create(
                indicator=str(indicator), year=year, area=None, defaults={"value": Decimal(value)}
            )
            created += was_created
    return created


def report_snapshots_refresh(*, year: int) -> int:
    """Rebuild the country report's snapshots of `year`, one per filter combination.

    Runs the same queries as a live report (on a replica, in production), so a snapshot never
    disagrees with the live figures of the moment it was taken.
    """
    from assessments.models.criteria import SubjectKind
    from learning_units.models import Area, AreaLevel, TargetGroup

    from .models import ReportSnapshot
    from .selectors import area_report
    from .snapshots import report_to_json

    country = Area.objects.get(level=AreaLevel.CENTRAL)
    combinations = [(SubjectKind.CITIZEN, None), *((SubjectKind.CITIZEN, g) for g in TargetGroup)]
    combinations += [(kind, None) for kind in SubjectKind if kind != SubjectKind.CITIZEN]
    for subject_kind, target_group in combinations:
        report = area_report(
            country, year=year, target_group=target_group, subject_kind=subject_kind
        )
        ReportSnapshot.objects.update_or_create(
            area=country,
            year=year,
            subject_kind=str(subject_kind),
            target_group=int(target_group) if target_group else None,
            defaults={"data": report_to_json(report), "refreshed_at": timezone.now()},
        )
    return len(combinations)


def summaries_refresh(*, assessments=(), area_ids=()) -> int:
    """Count again the communes and years of `assessments`, and every year of the communes of
    `area_ids` (an area moved under another parent), into their summary rows, inside the
    caller's transaction (a transition's: `assessments.signals.assessments_moved`).

    A recount, not a delta, so whatever a transition changed (status, points, band, a
    revocation) the rows equal a live count. Serialised per commune and year by an advisory
    lock on PostgreSQL (taken in order, after the transition's own row locks), so two
    transitions in one commune never both write a count missing the other's change; SQLite
    serialises writers anyway. Six queries (and the lock), whatever the number of rows.
    Returns the number of summary rows written.
    """
    pairs = {(assessment.area_id, assessment.year) for assessment in assessments}
    pairs |= {(area_id, None) for area_id in area_ids if area_id is not None}
    if not pairs:
        return 0
    areas = summary_areas(area_id for area_id, _year in pairs)
    keys = sorted(
        {
            (areas[area_id][0], areas[area_id][2], year)
            for area_id, year in pairs
            if area_id in areas
        },
        key=lambda key: (key[0], key[2] or 0),
    )
    _lock(
        sorted({(area_id, y) for area_id, _path, year in keys for y in _years(year)}),
    )
    counted = Q(pk__in=[])
    kept = Q(pk__in=[])
    for area_id, path, year in keys:
        # A commune's summary holds everything recorded under it; one above, its own rows.
        where = (
            under("area__path", path)
            if path_level(path) == AreaLevel.COMMUNE
            else Q(area_id=area_id)
        )
        of_year = Q() if year is None else Q(year=year)
        counted |= where & of_year
        kept |= Q(area_id=area_id) & of_year
    counts = live_counts(Assessment.objects.filter(counted))
    AssessmentSummary.objects.filter(kept).delete()
    return len(AssessmentSummary.objects.bulk_create(summary_objects(counts)))


def citizen_summaries_refresh(*, area_ids=(), keys=()) -> int:
    """Count again the citizens of the communes of `area_ids` (where citizens live or lived
    before the write), or only the target groups of `keys` ({(area id, target group)}, a
    group of None meaning all), into their summary rows, inside the caller's transaction: a
    citizen saved or deleted, an import's batch, a change of members, a unit's title recognised
    or revoked (`signal_handlers`). A recount, not a delta, under an advisory lock per commune
    on PostgreSQL like `summaries_refresh`; seven queries (and the lock), whatever the number of
    communes or citizens. Returns the number of summary rows written.
    """
    keys = {*keys, *((area_id, None) for area_id in area_ids)}
    keys = {(area_id, group) for area_id, group in keys if area_id is not None}
    if not keys:
        return 0
    areas = summary_areas(area_id for area_id, _group in keys)
    groups = {}  # {(commune id, path): the groups to count, or None for all}
    for area_id, group in keys:
        if area_id not in areas:
            continue  # an area deleted in the same transaction: nothing lives there
        summary, _province, path = areas[area_id]
        wanted = groups.setdefault((summary, path), set())
        if wanted is not None:
            groups[summary, path] = None if group is None else wanted | {group}
    if not groups:
        return 0
    _lock([(area_id, 0) for area_id, _path in sorted(groups)], top=CITIZEN_LOCK)
    counted = Q(pk__in=[])
    kept = Q(pk__in=[])
    for (area_id, path), wanted in groups.items():
        of_groups = Q() if wanted is None else Q(target_group__in=sorted(wanted))
        counted |= of_groups & (
            under("area__path", path)
            if path_level(path) == AreaLevel.COMMUNE
            else Q(area_id=area_id)
        )
        kept |= of_groups & Q(area_id=area_id)
    counts = citizen_live_counts(counted)
    CitizenSummary.objects.filter(kept).delete()
    return len(CitizenSummary.objects.bulk_create(citizen_summary_objects(counts)))


def _years(year):
    """The years whose locks a recount of `year` takes: every year it may hold when it counts
    them all (an area moved), so no transition of that commune writes beside it."""
    return ALL_YEARS if year is None else (year,)


# The years an all-years recount locks (a transition of a year outside them is not
# serialised with a move of its area: assessments are of campaign years in this range).
ALL_YEARS = range(2000, 2100)


def _lock(keys, top=None):
    if connection.vendor != "postgresql":
        return
    top = SUMMARY_LOCK if top is None else top
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(k) FROM (SELECT unnest(%s::bigint[]) AS k ORDER BY 1) s",
            [[top << 48 | area_id << 12 | year % 4096 for area_id, year in keys]],
        )


# The top bits of the summaries' advisory lock keys (area id and year below them).
SUMMARY_LOCK = 0x5EC0
CITIZEN_LOCK = 0x5EC1


@transaction.atomic
def summaries_rebuild(*, apps=None) -> int:
    """Replace every summary row by a live count of all assessments and citizens (after a bulk
    load, or to repair what `check_report_summaries` found). Returns the number of rows written.

    `apps`: the registry of the data migration that fills the assessments' summaries of
    existing data (and only those).
    """
    registry = {"apps": apps} if apps is not None else {}
    assessment_model = apps.get_model("assessments", "Assessment") if apps else Assessment
    summary_model = apps.get_model("reports", "AssessmentSummary") if apps else AssessmentSummary
    counts = live_counts(assessment_model.objects.all(), **registry)
    summary_model.objects.all().delete()
    objects = summary_objects(counts, **registry)
    written = len(summary_model.objects.bulk_create(objects, batch_size=2000))
    if apps is not None:  # the assessments' data migration: the citizens' come later (0005)
        return written
    return written + citizen_summaries_rebuild()


def citizen_summaries_rebuild(*, apps=None) -> int:
    """Replace every citizen summary row by a live count (part of `summaries_rebuild`; alone,
    the data migration that fills them for existing citizens)."""
    registry = {"apps": apps} if apps is not None else {}
    summary_model = apps.get_model("reports", "CitizenSummary") if apps else CitizenSummary
    counts = citizen_live_counts(**registry)
    summary_model.objects.all().delete()
    objects = citizen_summary_objects(counts, **registry)
    return len(summary_model.objects.bulk_create(objects, batch_size=2000))


def summaries_on_moved(sender, *, assessments, **kwargs):
    """Receiver of `assessments.signals.assessments_moved` (connected in `apps.py`): the
    assessments' summaries, and the citizens' of a unit's members and staff (a unit's title
    recognised or revoked changes who counts as learning in a recognised collective)."""
    summaries_refresh(assessments=assessments)
    units = {assessment.learning_unit_id for assessment in assessments}
    units.discard(None)
    if units:
        citizen_summaries_refresh(area_ids=unit_people_areas(units))
