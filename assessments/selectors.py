"""Reads of the assessments app: criteria trees, versions and the campaign that applies."""

from django.db.models import (
    Case,
    Count,
    IntegerField,
    Prefetch,
    Q,
    Value,
    When,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404

from learning_units import jurisdiction
from learning_units.models import (
    Area,
    AreaLevel,
    Citizen,
    CourseCompletion,
    LearningUnit,
)
from learning_units.selectors import citizens_for_officer
from learning_units.text import search_key, strip_controls

from . import listing_figures, workflow
from .interchange import TREE_PREFETCH
from .models import (
    Assessment,
    AssessmentStatus,
    Campaign,
    CriteriaSet,
    Evidence,
    Indicator,
    IndicatorAnswer,
    Notice,
    Recognition,
)


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


# --- Self-assessment: who may open which assessment, and what a step page shows. ---


def _subject_q(user, prefix=""):
    """Assessments a user may open: their own (as citizen or unit head) or, for an officer,
    those assessed in their jurisdiction. One Q, so the check costs no query of its own."""
    own = Q(**{f"{prefix}citizen__user": user}) | Q(**{f"{prefix}learning_unit__head__user": user})
    if user.is_superuser:
        return Q()
    if jurisdiction.officer_roles(user):
        return own | jurisdiction.q(user, f"{prefix}area__path")
    return own


def assessments_for_user(user):
    if not user.is_authenticated:
        return Assessment.objects.none()
    return Assessment.objects.filter(_subject_q(user))


FULL_RELATED = ("campaign", "criteria_set", "citizen__user", "learning_unit__head", "area")
# What the step page and its autosave use: the set (its frozen tree) and who the subject is.
STEP_RELATED = ("criteria_set", "citizen", "learning_unit__head")


def _own_assessment_reads(related, *, pk, user):
    """One's own assessment by id: as its citizen, then as a unit's head.

    Two narrow reads rather than one with an OR across both joins: PostgreSQL spent 4 ms
    planning that one (eight tables), more than the rest of the step page's queries together.
    """
    as_citizen = [name for name in related if not name.startswith("learning_unit")]
    as_head = [name for name in related if not name.startswith("citizen")]
    yield Assessment.objects.select_related(*as_citizen).filter(pk=pk, citizen__user=user)
    yield Assessment.objects.select_related(*as_head).filter(pk=pk, learning_unit__head__user=user)


def assessment_for_user(user, pk, related=FULL_RELATED):
    """The assessment with its campaign, set and subject loaded, or Http404 (never 403: an id in
    the URL tells nothing about whether somebody else's assessment exists).

    One's own assessment is looked up first (the step page and autosave are a subject's): the
    officer-roles query is paid only by those it concerns. `related` narrows what is joined
    (STEP_RELATED for the step page and the autosave).
    """
    pk = int(pk)
    if not user.is_authenticated or not 0 < pk < 2**63:  # no such id (nor a driver error)
        raise Http404
    for rows in _own_assessment_reads(related, pk=pk, user=user):
        for assessment in rows[:1]:
            return assessment
    assessments = Assessment.objects.select_related(*related)
    return get_object_or_404(assessments.filter(_subject_q(user)), pk=pk)


def evidence_for_user(user, pk):
    if not user.is_authenticated:
        raise Http404
    return get_object_or_404(
        Evidence.objects.filter(_subject_q(user, "answer__assessment__")).select_related(
            "answer__assessment"
        ),
        pk=pk,
    )


def _evidence_in_order():
    return Prefetch(
        "evidence", queryset=Evidence.objects.select_related("course_completion").order_by("pk")
    )


def answers_with_evidence(assessment):
    """The assessment's answers, each with its indicator and its evidence (in order) loaded:
    two queries, whatever the number of answers."""
    return (
        IndicatorAnswer.objects.filter(assessment=assessment)
        .select_related("indicator")
        .prefetch_related(_evidence_in_order())
    )


def answers_for_step(assessment, tree, indicator_ids):
    """{indicator id: answer} of every answer (the totals need them all), each with its
    indicator from the frozen `tree` (no join); evidence is loaded for the answers of
    `indicator_ids` only, the ones a step page shows. Two queries."""
    indicators = {i.pk: i for criterion in tree.criteria.all() for i in criterion.indicators.all()}
    answers = {}
    for answer in IndicatorAnswer.objects.filter(assessment=assessment):
        if answer.indicator_id in indicators:
            answer.indicator = indicators[answer.indicator_id]
        answers[answer.indicator_id] = answer
    shown = [answers[pk] for pk in indicator_ids if pk in answers]
    prefetch_related_objects(shown, _evidence_in_order())
    return answers


def course_completions_for(assessment):
    """Courses that may be attached: the citizen's, or a unit's members' and head's."""
    if assessment.citizen_id:
        return CourseCompletion.objects.filter(citizen_id=assessment.citizen_id)
    unit = assessment.learning_unit
    return CourseCompletion.objects.filter(
        Q(citizen__learning_units=unit) | Q(citizen_id=unit.head_id)
    ).distinct()


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


def assessment_history(assessment):
    return assessment.events.select_related("actor").order_by("created_at", "pk")


def citizens_for_user(user):
    """Citizens whose assessment a user may start: themselves, or their jurisdiction's."""
    own = Citizen.objects.filter(user=user)
    return (own | citizens_for_officer(user)) if jurisdiction.is_officer(user) else own


def learning_units_for_user(user):
    """Units a user may assess: those they head, or (officers) their jurisdiction's."""
    own = LearningUnit.objects.filter(head__user=user)
    if user.is_superuser:
        return LearningUnit.objects.all()
    if jurisdiction.officer_roles(user):
        return LearningUnit.objects.filter(Q(head__user=user) | jurisdiction.q(user, "area__path"))
    return own


# --- Review and recognition: officers' queues, the review screen, public listings. ---


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


def notices_for(user):
    if not user.is_authenticated:
        return Notice.objects.none()
    return Notice.objects.filter(user=user).select_related("assessment")


def unread_notice_count(user):
    return notices_for(user).filter(read_at__isnull=True).count()


def _public_recognitions(*, area, year):
    return Recognition.objects.filter(
        jurisdiction.under("assessment__area__path", area.path), year=year, revoked=False
    ).select_related("assessment__area", "assessment__campaign")


def recognition_years(*, area):
    """Years with at least one public recognition in the area, newest first: from a registered
    reader of pre-aggregated figures where one answers (`listing_figures`), else counted live."""
    years = listing_figures.years(area)
    if years is not None:
        return years
    return list(
        Recognition.objects.filter(
            jurisdiction.under("assessment__area__path", area.path), revoked=False
        )
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )


def public_recognition_counts(*, area, year):
    """How many citizens and collectives the listing of an area and year shows, from a
    registered reader of pre-aggregated figures (`listing_figures`): `{"citizens": n,
    "collectives": m}`, or None where none answers (the listing then counts, capped)."""
    return listing_figures.counts(area, year)


def listing_residential_areas(*, area):
    """Residential areas and agency branches under an area, for the listing's filter."""
    return Area.objects.filter(
        jurisdiction.under("path", area.path), level=AreaLevel.RESIDENTIAL, is_active=True
    ).order_by("search_name")


# The only columns a public listing reads: no citizen ID, no birth year, ever. The
# verification code links each name to its public verification page (the facts listed here).
PUBLIC_FIELDS = [
    "year",
    "verification_code",
    "assessment__area__name",
    "assessment__area__level",
    "assessment__campaign__subject_kind",
    "assessment__band",
]


def public_citizen_recognitions(*, area, year, query=""):
    """Citizens recognised in an area and year, by name; opted-out citizens left out."""
    queryset = (
        _public_recognitions(area=area, year=year)
        .filter(assessment__citizen__isnull=False, assessment__citizen__listing_opt_out=False)
        .select_related("assessment__citizen")
        .only(*PUBLIC_FIELDS, "assessment__citizen__full_name")
        .order_by("assessment__citizen__search_name", "pk")
    )
    key = search_key(query)
    return queryset.filter(assessment__citizen__search_name__contains=key) if key else queryset


def public_collective_recognitions(*, area, year, query=""):
    """Learning families, clans, communities and units recognised in an area and year."""
    queryset = (
        _public_recognitions(area=area, year=year)
        .filter(assessment__learning_unit__isnull=False)
        .select_related("assessment__learning_unit")
        .only(*PUBLIC_FIELDS, "assessment__learning_unit__name")
        .order_by("assessment__campaign__subject_kind", "assessment__learning_unit__search_name")
    )
    key = search_key(query)
    if key:
        queryset = queryset.filter(assessment__learning_unit__search_name__contains=key)
    return queryset
