"""Recognition: a commune (or an agency's board) recognises verified assessments under one
decision, each with a certificate number; a recognition may later be revoked.

Built on review's locking (`review.lock_for_review`, `review.claim`): the same role, jurisdiction
and staleness checks, all or nothing. Numbers come from `certificates.numbering`. Both change the
public record: the pages showing it are purged from the page cache once the decision commits
(`learning_units.page_cache.public_pages_changed`).
"""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from learning_units import jurisdiction
from learning_units.page_cache import public_pages_changed
from learning_units.text import nfc

from ..certificates.numbering import certificate_number, next_certificate_numbers
from ..certificates.status_list import status_indexes_assign, status_list_tag
from ..models import AssessmentStatus, Recognition, RecognitionDecision
from ..notifications import notify_subjects
from ..rules import format_points
from ..selectors import decision_area_choices
from ..workflow import Action
from .review import ReviewRefused, claim, lock_for_review, review_events


@transaction.atomic
def recognition_issue(*, assessments, officer, number, decided_on, signer, issuing_area):
    """Recognise verified assessments under one decision, each with a certificate number.

    The decision is created, or, when the area already recorded this number, the assessments
    are added to it: one signed decision names everyone it recognises, whatever pages of the
    queue they were selected from. All or none: a refusal, a stale row, a closed decision or a
    number recorded with another date or signer rolls everything back. Returns the
    RecognitionDecision.
    """
    number, signer = nfc(number), nfc(signer)
    if not number or not decided_on or not signer or issuing_area is None:
        raise ReviewRefused(
            _("A recognition needs the decision number, its date, the signer and the area."),
            code="decision_required",
        )
    locked = lock_for_review(assessments, user=officer, action=Action.RECOGNISE)
    if not decision_area_choices(officer).filter(pk=issuing_area.pk).exists():
        raise ReviewRefused(
            _("You cannot issue decisions for %(area)s.") % {"area": issuing_area},
            code="out_of_jurisdiction",
        )
    for assessment in locked:
        if not jurisdiction.path_is_under(assessment.area.path, issuing_area.path):
            raise ReviewRefused(
                _("“%(subject)s” is not in %(area)s, the area of the decision.")
                % {"subject": assessment.subject, "area": issuing_area},
                code="outside_issuing_area",
            )
        if not assessment.passed:
            raise ReviewRefused(
                _(
                    "“%(subject)s” does not meet the criteria (%(points)s points): reject it or "
                    "return it instead."
                )
                % {
                    "subject": assessment.subject,
                    "points": format_points(assessment.verified_total or 0),
                },
                code="not_passed",
            )
    decision = decision_for_recipients(
        officer=officer,
        number=number,
        decided_on=decided_on,
        signer=signer,
        issuing_area=issuing_area,
    )
    now = claim(locked, to_status=AssessmentStatus.RECOGNISED, recognised_at=timezone.now())
    recognitions = []
    by_year = {}
    for assessment in locked:
        by_year.setdefault(assessment.year, []).append(assessment)
    for year, group in sorted(by_year.items()):
        numbers = next_certificate_numbers(issuing_area=issuing_area, year=year, count=len(group))
        recognitions += [
            Recognition(
                assessment=assessment,
                decision=decision,
                year=year,
                issuing_area=issuing_area,
                sequence=sequence,
                certificate_number=certificate_number(issuing_area, year, sequence),
            )
            for assessment, sequence in zip(group, numbers, strict=True)
        ]
    Recognition.objects.bulk_create(recognitions)
    status_indexes_assign(Recognition.objects.filter(decision=decision))
    review_events(
        locked,
        actor=officer,
        action=Action.RECOGNISE,
        to_status=AssessmentStatus.RECOGNISED,
        comment=_("Decision %(number)s") % {"number": number},
    )
    notify_subjects(
        [
            (
                recognition.assessment,
                "recognised",
                {
                    "number": number,
                    "date": decided_on,
                    "certificate": recognition.certificate_number,
                },
            )
            for recognition in recognitions
        ]
    )
    public_pages_changed(area_paths=[assessment.area.path for assessment in locked])
    for assessment in assessments:
        assessment.status, assessment.recognised_at = AssessmentStatus.RECOGNISED, now
    return decision


def same_signer(first, second):
    return " ".join(first.split()).casefold() == " ".join(second.split()).casefold()


def decision_for_recipients(*, officer, number, decided_on, signer, issuing_area):
    """The area's open decision with this number, locked, or a new one.

    Locked (select_for_update) so that closing it and adding to it never cross; two officers
    creating the same number at once meet on the unique constraint, and the second adds to
    the first's decision.
    """
    decisions = RecognitionDecision.objects.select_for_update().filter(
        issuing_area=issuing_area, number=number
    )
    decision = decisions.first()
    if decision is None:
        try:
            with transaction.atomic():
                return RecognitionDecision.objects.create(
                    number=number,
                    decided_on=decided_on,
                    signer=signer,
                    issuing_area=issuing_area,
                    created_by=officer,
                )
        except IntegrityError:
            decision = decisions.get()
    if decision.is_closed:
        raise ReviewRefused(
            _(
                "Decision %(number)s of %(area)s is closed: no one can be added to it. Check "
                "the number, or record the new decision under its own number."
            )
            % {"number": number, "area": issuing_area},
            code="decision_closed",
        )
    if decision.decided_on != decided_on or not same_signer(decision.signer, signer):
        raise ReviewRefused(
            _(
                "Decision %(number)s of %(area)s is recorded as dated %(date)s and signed by "
                "%(signer)s. To add people to it, enter the same date and signer; otherwise "
                "check the number."
            )
            % {
                "number": number,
                "area": issuing_area,
                "date": date_format(decision.decided_on, "SHORT_DATE_FORMAT"),
                "signer": decision.signer,
            },
            code="decision_mismatch",
        )
    return decision


@transaction.atomic
def recognition_decision_close(*, decision, officer):
    """Close a decision: it names everyone it will ever name, nothing more is added to it.

    Only an officer who may issue decisions for its area closes it (`decision_area_choices`).
    """
    if not decision_area_choices(officer).filter(pk=decision.issuing_area_id).exists():
        raise ReviewRefused(
            _("You cannot close the decisions of %(area)s.") % {"area": decision.issuing_area},
            code="out_of_jurisdiction",
        )
    closed = RecognitionDecision.objects.filter(pk=decision.pk, closed_at__isnull=True).update(
        closed_at=timezone.now(), closed_by=officer
    )
    if not closed:
        raise ReviewRefused(_("This decision is already closed."), code="stale")
    decision.refresh_from_db()
    return decision


@transaction.atomic
def recognition_revoke(*, recognition, officer, reason):
    """Revoke a recognition with a reason: kept, marked, left out of public listings."""
    reason = nfc(reason)
    if not reason:
        raise ReviewRefused(_("Give the reason for the revocation."), code="comment_required")
    (locked,) = lock_for_review([recognition.assessment], user=officer, action=Action.REVOKE)
    revoked = Recognition.objects.filter(pk=recognition.pk, revoked=False).update(
        revoked=True, revoked_reason=reason, revoked_at=timezone.now(), revoked_by=officer
    )
    if not revoked:
        raise ReviewRefused(_("This recognition has already been revoked."), code="stale")
    review_events(
        [locked],
        actor=officer,
        action=Action.REVOKE,
        to_status=AssessmentStatus.RECOGNISED,
        comment=reason,
    )
    recognition.refresh_from_db()
    public_pages_changed(
        area_paths=[locked.area.path],
        verification_codes=[recognition.verification_code],
        tags=[status_list_tag(recognition)],
    )
    notify_subjects(
        [
            (
                locked,
                "revoked",
                {"certificate": recognition.certificate_number, "comment": reason},
            )
        ]
    )
    return recognition
