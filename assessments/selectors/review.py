"""Reads of the officers' review: the queue of a jurisdiction, its counts and name search, the
review screen, and the areas a decision may be issued for."""

from django.db.models import Count, Q
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from learning_units import jurisdiction
from learning_units.models import Area, AreaLevel, Citizen, LearningUnit
from learning_units.text import search_key, strip_controls

from .. import workflow
from ..models import Assessment, AssessmentStatus, Evidence, Recognition
from .criteria import criteria_set_tree
from .own import answers_with_evidence, assessment_history


def assessments_in_jurisdiction(user):
    """Assessments of the user's subtree: a province's as ``province_id = …``, read in the
    queue's order from the (province, status, submitted_at, id) index (issue #22), any other
    subtree as ``area_id IN (areas of the subtree)`` (not a join on the area path: the (area,
    status) index then answers the counts without reading the rows).
    """
    return Assessment.objects.filter(
        jurisdiction.q_by_province(user, province_field="province", area_field="area")
    )


def assessment_queue(*, user):
    """Assessments of the user's subtree with what a queue row shows, in one query.

    `score` is the verified total once there is one, else the self-assessed total.
    """
    return (
        assessments_in_jurisdiction(user)
        .select_related("citizen", "learning_unit", "area__parent", "campaign", "recognition")
        .annotate(score=Coalesce("verified_total", "self_total"))
    )


def assessment_status_counts(queryset, *, cap=None):
    """{status: count} of a queryset in one grouped query; every status present.

    With `cap`, each status is counted up to `cap + 1` rows only (a LIMITed count per status):
    a search in a province's million assessments never counts them all (issue #22); a count
    above `cap` means "more than `cap`".
    """
    if cap is not None:
        rows = queryset.order_by()
        return {
            status: rows.filter(status=status)[: cap + 1].count()
            for status in AssessmentStatus.values
        }
    counts = dict.fromkeys(AssessmentStatus.values, 0)
    rows = queryset.order_by().values_list("status").annotate(count=Count("pk"))
    counts.update(dict(rows))
    return counts


def assessment_search(queryset, query):
    """Accent-insensitive on the citizen's or the unit's name; digits search the citizen ID.
    Control characters (a NUL, which PostgreSQL refuses in text) are dropped first: the query
    may come from the review screen's way back, past the search form's own checks."""
    query = strip_controls(query or "").strip()
    if not query:
        return queryset
    digits = query.replace(" ", "")
    if digits.isdigit():
        return queryset.filter(citizen__citizen_id__startswith=digits)
    key = search_key(query)
    citizens = Q(citizen__in=_matched(Citizen.objects.filter(search_name__contains=key)))
    units = _matched(LearningUnit.objects.filter(search_name__contains=key))
    # Most searches are for people. Without a matching unit, leave the OR out: it keeps the
    # database from using the citizen index (5× slower counts at 100k assessments on SQLite).
    if isinstance(units, list) and not units:
        return queryset.filter(citizens)
    return queryset.filter(citizens | Q(learning_unit__in=units))


# A name matching at most this many people or units is searched by their ids (see `_matched`).
MATCHED_IDS = 1_000


def _matched(named):
    """The ids of `named` (the people or units a name matches), read once: a list when there
    are at most `MATCHED_IDS`, else a subquery. With the list, PostgreSQL reads the few
    assessments through the subject's index; with a subquery it re-ran the name match in each
    of the queue's seven queries and filtered the province's rows of each status with it
    (326 ms for a name search at 105k assessments, bench/bench_reports_listing.py, issue #22).
    A common name still takes the subquery: it matches many rows, so capped counts stop early.
    """
    ids = list(named.order_by().values_list("pk", flat=True)[: MATCHED_IDS + 1])
    return ids if len(ids) <= MATCHED_IDS else named.order_by().values("pk")


def assessment_for_review(*, user, pk):
    """An assessment of the user's subtree with its answers, evidence, criteria and history
    loaded in a fixed number of queries; Http404 outside the subtree."""
    assessment = get_object_or_404(
        assessment_queue(user=user).select_related(
            "citizen__user", "learning_unit__head", "entered_by"
        ),
        pk=pk,
    )
    assessment.tree = criteria_set_tree(assessment.criteria_set_id)
    assessment.answer_by_indicator = {
        answer.indicator_id: answer for answer in answers_with_evidence(assessment)
    }
    assessment.history = list(assessment_history(assessment))
    return assessment


def next_in_queue(*, user, assessment, within=None):
    """The next assessment (by id) of the user's subtree waiting in the same status, among
    `within` (the rows of the queue the officer came from) when given."""
    rows = assessments_in_jurisdiction(user) if within is None else within
    return (
        rows.filter(status=assessment.status, pk__gt=assessment.pk)
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
    )


def evidence_for_officer(user, pk):
    """Evidence of an assessment in the user's subtree, or Http404."""
    return get_object_or_404(
        jurisdiction.scope(
            Evidence.objects.all(), user, "answer__assessment__area__path"
        ).select_related("answer__assessment__area"),  # the audit record names the area
        pk=pk,
    )


def recognitions_for_officer(user):
    return jurisdiction.scope(
        Recognition.objects.all(), user, "assessment__area__path"
    ).select_related("assessment__citizen", "assessment__learning_unit", "decision")


def decision_area_choices(user):
    """Areas an officer may issue a decision for: those they hold a commune, province or
    branch (agency board) role over; every commune and agency branch for superusers."""
    if user.is_superuser:
        return Area.objects.filter(
            Q(level=AreaLevel.COMMUNE) | Q(is_agency_branch=True), is_active=True
        ).order_by("path")
    return Area.objects.filter(path__in=jurisdiction.area_paths(user)).order_by("level", "path")


def decision_areas_for(*, user, assessments):
    """The areas under which `user` may recognise all of `assessments` in one decision, as
    `services.recognition_issue` will accept them: one of `decision_area_choices` containing
    every assessment, held with the role that recognises each (the commune by default, an
    agency's board for its staff: `workflow.review_roles`). Empty when no one area covers all.
    """
    if not assessments:
        return Area.objects.none()
    common = None
    for assessment in assessments:
        ancestors = set(jurisdiction.ancestor_paths(assessment.area.path))
        common = ancestors if common is None else common & ancestors
    areas = decision_area_choices(user).filter(path__in=common)
    if user.is_superuser:
        return areas
    recognising = set.intersection(
        *(
            workflow.roles_allowed(
                action=workflow.Action.RECOGNISE,
                status=workflow.VERIFIED,
                roles=workflow.assessment_review_roles(assessment),
            )
            for assessment in assessments
        )
    )
    return areas.filter(path__in=jurisdiction.area_paths(user, roles=recognising))


def new_submissions_for(*, user, since=None):
    """Submitted assessments of the user's subtree that arrived after `since`."""
    queryset = assessments_in_jurisdiction(user).filter(status=AssessmentStatus.SUBMITTED)
    if since is not None:
        queryset = queryset.filter(submitted_at__gt=since)
    return queryset.select_related("area__parent", "citizen", "learning_unit").order_by(
        "area__path", "submitted_at"
    )
