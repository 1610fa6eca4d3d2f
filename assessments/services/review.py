"""Review: officers verify, return and reject assessments (DESIGN.md, Workflow).

One function per transition, used by the admin, the bulk actions and the demo alike. Each
checks role and jurisdiction (`review_refusal`, whose rules are the pure `workflow`), locks the
rows it moves (in id order, so two officers never deadlock), claims them with a conditional
UPDATE that must move exactly the rows selected — or the whole action rolls back — and writes a
ReviewEvent per assessment. E-mail leaves after the commit (`notifications`). Recognition, which
builds on the same locking, is `recognition`.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from learning_units import jurisdiction
from learning_units.models import OfficerRole
from learning_units.text import nfc

from .. import workflow
from ..models import Assessment, AssessmentStatus, IndicatorAnswer, Notice, ReviewEvent
from ..notifications import notify_subjects
from ..scoring import indicators_in_order, parse_points, score
from ..selectors import criteria_set_tree
from ..signals import announce_moved
from ..workflow import Action


class ReviewRefused(Exception):
    """A transition that was not done, with a message for the officer and a stable code:
    not_officer, out_of_jurisdiction, wrong_status, wrong_role, stale, comment_required,
    invalid_points, not_passed, decision_required, decision_closed, decision_mismatch,
    outside_issuing_area."""

    def __init__(self, message, *, code):
        super().__init__(message)
        self.message = str(message)
        self.code = code


ACTION_LABELS = {
    Action.VERIFY: gettext_lazy("Verify"),
    Action.RETURN: gettext_lazy("Return"),
    Action.REJECT: gettext_lazy("Reject"),
    Action.RECOGNISE: gettext_lazy("Recognise"),
    Action.REVOKE: gettext_lazy("Revoke"),
}


def review_refusal(*, user, assessment, action, status=None):
    """None when the user may do the action on the assessment now, else a ReviewRefused.

    `status` is the status to check (the assessment's by default). Superusers skip the role
    and jurisdiction checks, never the workflow.
    """
    status = status or assessment.status
    held = [] if user.is_superuser else jurisdiction.officer_roles(user)
    covering = (
        set() if user.is_superuser else jurisdiction.covering_roles(user, assessment.area.path)
    )
    refusal = workflow.review_refusal_reason(
        action=action,
        status=status,
        roles=lambda: workflow.assessment_review_roles(assessment),
        is_superuser=user.is_superuser,
        holds_roles=bool(held),
        covering=covering,
    )
    if refusal is None:
        return None
    subject = assessment.subject
    if refusal.code == "not_officer":
        message = _("Only officers of the association review assessments.")
    elif refusal.code == "out_of_jurisdiction":
        message = _("“%(subject)s” is outside your area.") % {"subject": subject}
    elif refusal.code == "wrong_status":
        message = _("“%(subject)s” is %(status)s: “%(action)s” is not possible now.") % {
            "subject": subject,
            "status": AssessmentStatus(status).label.lower(),
            "action": ACTION_LABELS[action],
        }
    else:
        message = _("In this campaign, “%(action)s” on “%(subject)s” is done by: %(roles)s.") % {
            "subject": subject,
            "action": ACTION_LABELS[action],
            "roles": ", ".join(
                str(OfficerRole.Role(role).label).lower()
                for role in workflow.roles_from_branch_up(refusal.allowed)
            ),
        }
    return ReviewRefused(message, code=refusal.code)


def lock_for_review(assessments, *, user, action):
    """The assessments locked in id order and checked; ReviewRefused for the first problem.

    The statuses of `assessments` are what the officer saw: a row that has moved since is a
    stale action, refused as a whole with a count of what someone else changed.
    """
    seen = {assessment.pk: assessment.status for assessment in assessments}
    if not seen:
        raise ReviewRefused(_("Select at least one assessment."), code="wrong_status")
    locked = list(
        Assessment.objects.select_for_update(of=("self",))
        .select_related(
            "campaign", "area", "citizen__user", "learning_unit__head__user", "criteria_set"
        )
        .filter(pk__in=list(seen))
        .order_by("pk")
    )
    moved = len(seen) - len(locked) + sum(1 for a in locked if a.status != seen[a.pk])
    if moved:
        raise stale_refusal(moved, len(seen))
    for assessment in locked:
        refusal = review_refusal(user=user, assessment=assessment, action=action)
        if refusal is not None:
            if len(locked) > 1:
                refusal.message = _("Nothing was done: %(reason)s") % {"reason": refusal.message}
            raise refusal
    return locked


def stale_refusal(moved, selected):
    if selected == 1:
        message = _(
            "Someone else changed this assessment a moment ago; nothing was done. "
            "Reload it to see its current state."
        )
    else:
        message = _(
            "%(moved)s of the %(selected)s selected assessments were changed by someone else "
            "a moment ago; nothing was done. Reload the list and select again."
        ) % {"moved": moved, "selected": selected}
    return ReviewRefused(message, code="stale")


def claim(locked, *, to_status, **values):
    """Move the locked rows with a conditional UPDATE per starting status; all or nothing."""
    now = timezone.now()
    moved = 0
    by_status = {}
    for assessment in locked:
        by_status.setdefault(assessment.status, []).append(assessment.pk)
    for from_status, pks in by_status.items():
        moved += Assessment.objects.filter(pk__in=pks, status=from_status).update(
            status=to_status, updated_at=now, **values
        )
    if moved != len(locked):
        raise stale_refusal(len(locked) - moved, len(locked))
    return now


def review_events(locked, *, actor, action, to_status, comment=""):
    ReviewEvent.objects.bulk_create(
        ReviewEvent(
            assessment=assessment,
            actor=actor,
            action=action,
            from_status=assessment.status,
            to_status=to_status,
            comment=comment,
        )
        for assessment in locked
    )
    announce_moved(locked)


def _verified_points(tree, answers, points, comments):
    """{indicator_id: verified points}; ReviewRefused when a change has no comment."""
    result, uncommented = {}, []
    for indicator in indicators_in_order(tree):
        answer = answers.get(indicator.pk)
        claimed = answer.self_points if answer else None
        raw = points.get(indicator.pk, points.get(str(indicator.pk)))
        try:
            value = parse_points(raw, indicator) if raw is not None else None
        except ValidationError as error:
            raise ReviewRefused(" ".join(error.messages), code="invalid_points") from None
        if value is None:
            value = claimed or Decimal(0)
        comment = nfc(comments.get(indicator.pk) or comments.get(str(indicator.pk)) or "")
        if value != (claimed or Decimal(0)) and not comment:
            uncommented.append(indicator.code)
        result[indicator.pk] = (value, comment)
    if uncommented:
        raise ReviewRefused(
            _("Say why you changed the points of indicator(s) %(codes)s.")
            % {"codes": ", ".join(uncommented)},
            code="comment_required",
        )
    return result


def _apply_verification(assessment, tree, points=None, comments=None):
    answers = {answer.indicator_id: answer for answer in assessment.answers.all()}
    verified = _verified_points(tree, answers, points or {}, comments or {})
    changed, created = [], []
    for indicator_id, (value, comment) in verified.items():
        answer = answers.get(indicator_id)
        if answer is None:
            created.append(
                IndicatorAnswer(
                    assessment=assessment,
                    indicator_id=indicator_id,
                    verified_points=value,
                    officer_comment=comment,
                )
            )
        else:
            answer.verified_points, answer.officer_comment = value, comment
            changed.append(answer)
    IndicatorAnswer.objects.bulk_update(changed, ["verified_points", "officer_comment"])
    IndicatorAnswer.objects.bulk_create(created)
    result = score(tree, {pk: value for pk, (value, _comment) in verified.items()})
    Assessment.objects.filter(pk=assessment.pk).update(
        verified_total=result.total, band=result.band or "", passed=result.passed
    )
    return result


@transaction.atomic
def assessment_verify(*, assessment, officer, points=None, comments=None, comment=""):
    """Verify one submitted assessment, with the officer's points where they differ.

    `points` and `comments` map indicator ids to points and to the officer's comment; a change
    of points needs a comment (DESIGN.md). Returns the scoring.Score on the verified points.
    """
    (locked,) = lock_for_review([assessment], user=officer, action=Action.VERIFY)
    tree = criteria_set_tree(locked.criteria_set_id)
    # Check every point before anything moves, so a refusal leaves the row untouched.
    _verified_points(
        tree,
        {answer.indicator_id: answer for answer in locked.answers.all()},
        points or {},
        comments or {},
    )
    now = claim([locked], to_status=AssessmentStatus.VERIFIED, verified_at=timezone.now())
    result = _apply_verification(locked, tree, points, comments)
    review_events(
        [locked],
        actor=officer,
        action=Action.VERIFY,
        to_status=AssessmentStatus.VERIFIED,
        comment=nfc(comment),
    )
    assessment.status, assessment.verified_at = AssessmentStatus.VERIFIED, now
    assessment.verified_total, assessment.passed = result.total, result.passed
    return result


@transaction.atomic
def assessment_verify_many(*, assessments, officer):
    """Verify submitted assessments as claimed (no points changed): all of them or none."""
    locked = lock_for_review(assessments, user=officer, action=Action.VERIFY)
    claim(locked, to_status=AssessmentStatus.VERIFIED, verified_at=timezone.now())
    trees = {}
    for assessment in locked:
        tree = trees.get(assessment.criteria_set_id) or criteria_set_tree(
            assessment.criteria_set_id
        )
        trees[assessment.criteria_set_id] = tree
        _apply_verification(assessment, tree)
    review_events(locked, actor=officer, action=Action.VERIFY, to_status=AssessmentStatus.VERIFIED)
    return len(locked)


def _send_back(assessments, *, officer, action, comment, required_message):
    comment = nfc(comment)
    if not comment:
        raise ReviewRefused(required_message, code="comment_required")
    locked = lock_for_review(assessments, user=officer, action=action)
    to_status = workflow.to_status(action)
    claim(locked, to_status=to_status)
    review_events(locked, actor=officer, action=action, to_status=to_status, comment=comment)
    kind = Notice.Kind.RETURNED if action == Action.RETURN else Notice.Kind.REJECTED
    notify_subjects([(assessment, kind, {"comment": comment}) for assessment in locked])
    for assessment in assessments:
        assessment.status = to_status
    return len(locked)


@transaction.atomic
def assessment_return(*, assessments, officer, comment):
    """Send assessments back to their subjects for changes, with a comment (all or none)."""
    return _send_back(
        assessments,
        officer=officer,
        action=Action.RETURN,
        comment=comment,
        required_message=_("Write what the citizen should change before returning it."),
    )


@transaction.atomic
def assessment_reject(*, assessments, officer, reason):
    """Refuse assessments for good this year, with a reason (all or none)."""
    return _send_back(
        assessments,
        officer=officer,
        action=Action.REJECT,
        comment=reason,
        required_message=_("Give the reason for the rejection."),
    )
