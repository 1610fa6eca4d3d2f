"""Reads for the people assessed: which assessments and evidence a user may open (their own,
or an officer's jurisdiction's), what a step page shows, and their notices."""

from django.db.models import Prefetch, Q, prefetch_related_objects
from django.http import Http404
from django.shortcuts import get_object_or_404

from learning_units import jurisdiction
from learning_units.models import Citizen, CourseCompletion, LearningUnit
from learning_units.selectors import citizens_for_officer

from ..models import Assessment, Evidence, IndicatorAnswer, Notice


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


def notices_for(user):
    if not user.is_authenticated:
        return Notice.objects.none()
    return Notice.objects.filter(user=user).select_related("assessment")


def unread_notice_count(user):
    return notices_for(user).filter(read_at__isnull=True).count()
