"""The subject's claim on an assessment: who is editing, and the claim every edit makes first.

Answers and evidence both change an assessment only through `assessment_begin_edit`, so that a
stale tab, a second device or an officer's review can never be overwritten silently, and a
returned assessment becomes a draft again (`workflow.status_after_edit`) exactly once.
"""

from django.core.exceptions import ValidationError
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import workflow
from ..models import Assessment, ReviewEvent
from ..signals import announce_moved


def is_on_behalf(*, assessment, actor):
    """True when the actor is not the subject's own account (an officer helping)."""
    if assessment.citizen_id:
        return assessment.citizen.user_id != actor.pk
    head = assessment.learning_unit.head
    return head is None or head.user_id != actor.pk


def record_event(assessment, actor, action, from_status, to_status, comment=""):
    """The ReviewEvent of one of the subject's own transitions (start, edit, submit)."""
    event = ReviewEvent.objects.create(
        assessment=assessment,
        actor=actor,
        action=action,
        from_status=from_status,
        to_status=to_status,
        comment=comment,
        on_behalf=is_on_behalf(assessment=assessment, actor=actor),
    )
    announce_moved([assessment])
    return event


def _as_revision(value):
    """The revision a form sent; a garbled one counts as stale (the page shows the current)."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1


def _locked_error(assessment):
    return ValidationError(
        _("This assessment has been sent (%(status)s) and can no longer be changed.")
        % {"status": assessment.get_status_display()},
        code="locked",
    )


def _stale_error(revision):
    error = ValidationError(
        _(
            "This assessment was changed somewhere else (another tab, device or person) "
            "since you opened it. Your values are still here: check them and save again."
        ),
        code="stale",
    )
    error.revision = revision
    return error


def assessment_begin_edit(*, assessment, actor, expected_revision=None, also=None):
    """Claim the assessment for an edit; a returned assessment goes back to draft.

    One conditional UPDATE (status and revision as the caller saw them) is both the check and
    the claim: of two requests that saw the same revision exactly one changes a row, and on
    PostgreSQL the winner's row lock makes the other wait and then find nothing to update.
    Only a refused claim reads the row again, to say why. Raises ValidationError (code "locked"
    or "stale"); on success the caller's object carries the new revision and status, and the
    values of `also` (more fields written by the same UPDATE, such as new totals).
    """
    if not workflow.is_editable(assessment.status):
        raise _locked_error(assessment)
    expected = assessment.revision if expected_revision is None else _as_revision(expected_revision)
    updates = {"revision": F("revision") + 1, "updated_at": timezone.now(), **(also or {})}
    if is_on_behalf(assessment=assessment, actor=actor):
        updates["entered_by"] = actor
    from_status = assessment.status
    to_status = workflow.status_after_edit(from_status)
    if to_status != from_status:
        updates["status"] = to_status
    claimed = Assessment.objects.filter(
        pk=assessment.pk, revision=expected, status=from_status
    ).update(**updates)
    if not claimed:
        current = Assessment.objects.only("status", "revision").get(pk=assessment.pk)
        if not workflow.is_editable(current.status):
            raise _locked_error(current)
        raise _stale_error(current.revision)
    if to_status != from_status:
        record_event(assessment, actor, workflow.Action.EDIT, from_status, to_status)
    assessment.revision = expected + 1
    assessment.status = to_status
    if "entered_by" in updates:
        assessment.entered_by_id = actor.pk
    for name, value in (also or {}).items():
        setattr(assessment, name, value)
    return assessment
