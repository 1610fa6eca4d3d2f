"""State-changing actions of the reports app: default targets, pre-aggregated figures."""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from .models import Indicator, Target

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
