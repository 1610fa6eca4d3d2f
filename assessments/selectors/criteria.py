"""Reads of criteria sets and campaigns: a set's tree (kept in memory once frozen), its
versions, and the campaign and set that apply to an area, a subject and a year."""

from django.db.models import Case, IntegerField, Value, When

from ..interchange import TREE_PREFETCH
from ..models import Campaign, CriteriaSet, Indicator


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


def current_campaign_for(*, area, subject_kind, today):
    """The round a subject takes part in today: this year's, or last year's while it still
    accepts assessments in the area.

    A round may close in the next January (learning units' dossiers are due by 15 January of
    the following year, Thông tư 22/2020/TT-BGDĐT), so on 10 January "this year's campaign"
    alone would refuse people whose round is still open. One query when this year's round
    accepts.
    """
    current = campaign_for(area=area, subject_kind=subject_kind, year=today.year)
    if current is not None and current.is_accepting(area, today=today):
        return current
    previous = campaign_for(area=area, subject_kind=subject_kind, year=today.year - 1)
    if previous is not None and previous.is_accepting(area, today=today):
        return previous
    return current


def criteria_set_for(*, campaign, target_group=None):
    """The set a campaign uses for a target group (None for families, clans and units)."""
    for assignment in campaign.assigned_sets.all():
        if assignment.target_group == target_group:
            return assignment.criteria_set
    return None


# A frozen set never changes but for its English text (services.criteria; other changes make a
# new version), so its tree is kept per process under the time of that text's last change.
# Guidance pages are left out: pages change, see guidance_pages_for.
_FROZEN_TREES = {}
FROZEN_TREE_PREFETCH = ("rating_bands", "criteria__indicators__competency_items__tag")


def frozen_tree(criteria_set):
    """A set's bands, criteria, indicators and tags; kept in memory once the set is frozen.

    Keyed by id and freezing time, so a reused id (tests, a restored database) never serves
    another set, and by the time of its last English text (which a frozen set still takes).
    Read-only: callers must not change the objects, which other requests share.
    """
    key = (criteria_set.pk, criteria_set.frozen_at, criteria_set.translated_at)
    tree = _FROZEN_TREES.get(key)
    if tree is None:
        tree = CriteriaSet.objects.prefetch_related(*FROZEN_TREE_PREFETCH).get(pk=criteria_set.pk)
        if tree.is_frozen and (tree.frozen_at, tree.translated_at) == key[1:]:
            if len(_FROZEN_TREES) >= 256:
                _FROZEN_TREES.clear()
            _FROZEN_TREES[key] = tree
    return tree


def guidance_pages_for(indicator_ids):
    """{indicator id: [live guidance pages]} in one query."""
    if not indicator_ids:
        return {}
    links = (
        Indicator.guidance_pages.through.objects.filter(
            indicator_id__in=indicator_ids, page__live=True
        )
        .select_related("page")
        .order_by("pk")
    )
    pages = {}
    for link in links:
        pages.setdefault(link.indicator_id, []).append(link.page)
    return pages
