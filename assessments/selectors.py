"""Reads of the assessments app: criteria trees, versions and the campaign that applies."""

from django.db.models import Case, IntegerField, Value, When

from .interchange import TREE_PREFETCH
from .models import Campaign, CriteriaSet


def criteria_set_tree(pk):
    """A set with its bands, criteria and indicators loaded in a fixed number of queries."""
    return CriteriaSet.objects.prefetch_related(*TREE_PREFETCH).get(pk=pk)


def criteria_set_versions(code):
    return CriteriaSet.objects.filter(code=code).order_by("version")


def campaign_for(*, area, subject_kind, year):
    """The campaign that applies to an area: its province's own campaign first, else the national.

    Draft campaigns never apply; an open campaign wins over a closed one of the same scope.
    Returns None when there is none. The criteria sets and province deadlines come loaded.
    """
    central_path = area.path.split("/", 1)[0] + "/"
    scope_paths = [path for path in (area.province_path, central_path) if path]
    return (
        Campaign.objects.filter(
            subject_kind=subject_kind,
            year=year,
            status__in=[Campaign.Status.OPEN, Campaign.Status.CLOSED],
            scope__path__in=scope_paths,
        )
        .select_related("scope")
        .prefetch_related("assigned_sets__criteria_set", "province_deadlines__province")
        .order_by(
            "-scope__level",
            Case(
                When(status=Campaign.Status.OPEN, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            ),
            "-opens_on",
        )
        .first()
    )


def criteria_set_for(*, campaign, target_group=None):
    """The set a campaign uses for a target group (None for families, clans and units)."""
    for assignment in campaign.assigned_sets.all():
        if assignment.target_group == target_group:
            return assignment.criteria_set
    return None
