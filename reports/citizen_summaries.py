"""The kept summaries of the citizens (`CitizenSummary`): how they are counted live, and how a
province or country report reads them.

One live count serves the refresh of the communes a write touched
(`services.citizen_summaries_refresh`), the rebuild and the check (`manage.py
check_report_summaries`), like the assessments' summaries (`summaries.py`).
"""

from collections import defaultdict

from django.apps import apps as global_apps
from django.db.models import Count, F, Q, Sum

from assessments.models import AssessmentStatus
from learning_units.models import AreaLevel, Citizen, LearningUnit, TargetGroup

from .summaries import summary_areas

COLLECTIVE_KINDS = (
    LearningUnit.Kind.FAMILY,
    LearningUnit.Kind.CLAN,
    LearningUnit.Kind.COMMUNITY,
)
CITIZEN_KEY_FIELDS = ("year", "target_group")
CITIZEN_VALUE_FIELDS = ("registered", "in_collectives", "cadres_in_units")


def standing_titles(kinds, *, apps=global_apps):
    """The recognised assessments of units of `kinds` whose title stands (a subquery)."""
    assessment_model = apps.get_model("assessments", "Assessment")
    return (
        assessment_model.objects.filter(
            status=AssessmentStatus.RECOGNISED, learning_unit__kind__in=kinds
        )
        .exclude(recognition__revoked=True)
        .values("pk")
    )


def citizen_live_counts(where=None, *, apps=global_apps):
    """The citizen summary rows of the citizens matching `where`, counted live: {(commune id,
    province id, year or None, target group): {value field: value}}. Five queries (registered,
    members of recognised collectives, cadres of recognised units, two for the areas), whatever
    the number of citizens; every citizen without `where`. `apps`: a data migration's
    registry."""
    citizens = apps.get_model("learning_units", "Citizen").objects.filter(
        where if where is not None else Q()
    )
    measures = {
        "registered": citizens.values("area_id", "target_group").annotate(n=Count("pk")),
        "in_collectives": citizens.filter(
            learning_units__assessments__in=standing_titles(COLLECTIVE_KINDS, apps=apps)
        )
        .values("area_id", "target_group", year_=F("learning_units__assessments__year"))
        .annotate(n=Count("pk", distinct=True)),
        "cadres_in_units": citizens.filter(
            target_group=TargetGroup.CADRES,
            workplace__assessments__in=standing_titles([LearningUnit.Kind.ORGANISATION], apps=apps),
        )
        .values("area_id", "target_group", year_=F("workplace__assessments__year"))
        .annotate(n=Count("pk", distinct=True)),
    }
    records = [(name, record) for name, rows in measures.items() for record in rows.order_by()]
    areas = summary_areas((record["area_id"] for _name, record in records), apps=apps)
    rows = defaultdict(lambda: dict.fromkeys(CITIZEN_VALUE_FIELDS, 0))
    for name, record in records:
        year = record.get("year_")  # none for the registered: they are counted now
        key = (*areas[record["area_id"]][:2], year, record["target_group"])
        rows[key][name] += record["n"]
    return dict(rows)


def citizen_kept_counts(summaries):
    """The same mapping as `citizen_live_counts`, read from summary rows (a queryset)."""
    return {
        (row.area_id, row.province_id, row.year, row.target_group): {
            name: getattr(row, name) for name in CITIZEN_VALUE_FIELDS
        }
        for row in summaries
    }


def citizen_summary_objects(counts, *, apps=global_apps):
    """CitizenSummary objects (unsaved) for a `citizen_live_counts` mapping."""
    summary_model = apps.get_model("reports", "CitizenSummary")
    return [
        summary_model(
            area_id=area_id, province_id=province_id, year=year, target_group=group, **values
        )
        for (area_id, province_id, year, group), values in counts.items()
    ]


def citizen_differences(kept, live):
    """[(key, kept values or None, live values or None)] where the two mappings disagree."""
    empty = dict.fromkeys(CITIZEN_VALUE_FIELDS, 0)
    return [
        (key, kept.get(key), live.get(key))
        for key in sorted(set(kept) | set(live), key=repr)
        if (kept.get(key) or empty) != (live.get(key) or empty)
    ]


# --- Reading them for a report ------------------------------------------------------------------


def add_citizen_figures(area, row_for, key_of, *, year, target_group, registered=True):
    """Add the citizens' figures of the summaries to the report's rows: registered citizens and
    cadres (when `registered`: a citizens' report), members of recognised collectives and
    cadres in recognised units of `year`. One query, summed in SQL per child."""
    from .models import CitizenSummary

    rows = CitizenSummary.objects.filter(Q(year=None) | Q(year=year))
    if area.level == AreaLevel.PROVINCE:
        rows = rows.filter(province=area)
    if target_group:
        rows = rows.filter(target_group=target_group)
    child = F("province_id" if area.level == AreaLevel.CENTRAL else "area_id")
    totals = (
        rows.order_by()
        .values(child=child)
        .annotate(
            registered_sum=Sum("registered"),
            cadres_sum=Sum("registered", filter=Q(target_group=TargetGroup.CADRES)),
            in_collectives_sum=Sum("in_collectives"),
            cadres_in_units_sum=Sum("cadres_in_units"),
        )
    )
    for record in totals:
        row = row_for(key_of(record["child"] or area.pk))
        if registered:
            row.registered += record["registered_sum"] or 0
            row.cadres += record["cadres_sum"] or 0
        row.in_collectives += record["in_collectives_sum"] or 0
        row.cadres_in_units += record["cadres_in_units_sum"] or 0


def unit_people_areas(unit_ids):
    """The areas of the members and staff of the learning units `unit_ids` (one query)."""
    return set(
        Citizen.objects.filter(Q(learning_units__in=unit_ids) | Q(workplace_id__in=unit_ids))
        .values_list("area_id", flat=True)
        .distinct()
    )
