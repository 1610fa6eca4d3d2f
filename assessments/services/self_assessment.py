"""Self-assessment: a citizen or a learning unit starts this year's assessment, answers and submits.

Every function here is the one place its rule lives; the public site, the on-behalf route and the
demo call them. They raise ValidationError with a message for people. Evidence is `evidence`;
the claim every edit makes first is `editing`.
"""

from decimal import ROUND_DOWN, Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from learning_units.text import nfc

from .. import workflow
from ..models import Assessment, AssessmentStatus, Campaign, IndicatorAnswer, SubjectKind
from ..scoring import indicators_in_order, parse_points, score
from ..selectors import criteria_set_for, current_campaign_for, frozen_tree
from .criteria import criteria_set_freeze
from .editing import assessment_begin_edit, is_on_behalf, record_event


@transaction.atomic
def assessment_start(*, actor, citizen=None, learning_unit=None, campaign=None, today=None):
    """This year's assessment of a citizen or a learning unit, with an empty answer per indicator.

    Refuses a second assessment in the same campaign (also under a double click: the unique
    constraint is the last word). Freezes the set on its first use.
    """
    if (citizen is None) == (learning_unit is None):
        raise ValueError("Give exactly one of citizen and learning_unit.")
    today = today or timezone.localdate()
    subject = citizen or learning_unit
    kind = SubjectKind.CITIZEN if citizen else learning_unit.kind
    campaign = campaign or current_campaign_for(area=subject.area, subject_kind=kind, today=today)
    if campaign is None or campaign.status != Campaign.Status.OPEN:
        raise ValidationError(
            _("There is no open assessment round for %(year)s in your area yet.")
            % {"year": today.year},
            code="no_campaign",
        )
    _check_dates(campaign, subject.area, today)
    target_group = citizen.target_group if citizen else None
    criteria_set = criteria_set_for(campaign=campaign, target_group=target_group)
    if criteria_set is None:
        raise ValidationError(
            _("This round has no criteria set for your group yet: please ask your branch."),
            code="no_criteria_set",
        )
    existing = Assessment.objects.filter(
        campaign=campaign, citizen=citizen, learning_unit=learning_unit
    ).first()
    if existing is not None:
        raise _already_started(existing)
    criteria_set_freeze(criteria_set=criteria_set)
    assessment = Assessment(
        campaign=campaign,
        criteria_set=criteria_set,
        citizen=citizen,
        learning_unit=learning_unit,
        area=subject.area,
        year=campaign.year,
        target_group=target_group,
    )
    if is_on_behalf(assessment=assessment, actor=actor):
        assessment.entered_by = actor
    try:
        with transaction.atomic():
            assessment.save()
    except IntegrityError:
        existing = Assessment.objects.filter(
            campaign=campaign, citizen=citizen, learning_unit=learning_unit
        ).first()
        raise _already_started(existing) from None
    tree = frozen_tree(criteria_set)
    IndicatorAnswer.objects.bulk_create(
        IndicatorAnswer(assessment=assessment, indicator=indicator)
        for indicator in indicators_in_order(tree)
    )
    record_event(assessment, actor, workflow.Action.START, "", workflow.DRAFT)
    if learning_unit is not None:
        _apply_members_results(assessment, tree)
        _rescore(assessment, tree)
    return assessment


def _already_started(existing):
    error = ValidationError(
        _("An assessment for %(year)s already exists: open it to continue.")
        % {"year": existing.year if existing else ""},
        code="already_started",
    )
    error.assessment = existing
    return error


def _check_dates(campaign, area, today):
    closes_on = campaign.closes_on_for(area)
    if campaign.status != Campaign.Status.OPEN or today > closes_on:
        raise ValidationError(
            _("The %(year)s round closed on %(date)s: nothing more can be sent.")
            % {"year": campaign.year, "date": date_format(closes_on, "SHORT_DATE_FORMAT")},
            code="closed",
        )
    if today < campaign.opens_on:
        raise ValidationError(
            _("The %(year)s round opens on %(date)s.")
            % {"year": campaign.year, "date": date_format(campaign.opens_on, "SHORT_DATE_FORMAT")},
            code="not_open",
        )


def members_result_share(assessment):
    """(members recognised as learning citizens in the assessment's year, members in all)."""
    members = assessment.learning_unit.members.all()
    total = members.count()
    recognised = (
        Assessment.objects.filter(
            citizen__in=members.values("pk"),
            year=assessment.year,
            status=AssessmentStatus.RECOGNISED,
        )
        .exclude(recognition__revoked=True)
        .values("citizen")
        .distinct()
        .count()
    )
    return recognised, total


def _apply_members_results(assessment, tree):
    """Points of the members' results indicators: their points times the share recognised.

    Rounded down to the hundredth, so a share never rounds up into a higher band.
    """
    computed = [indicator for indicator in indicators_in_order(tree) if indicator.is_members_result]
    if not computed:
        return
    recognised, total = members_result_share(assessment)
    for indicator in computed:
        points = Decimal(0)
        if total:
            points = (indicator.max_points * recognised / total).quantize(
                Decimal("0.01"), rounding=ROUND_DOWN
            )
        IndicatorAnswer.objects.filter(assessment=assessment, indicator=indicator).update(
            self_points=points,
            note=_(
                "%(recognised)s of %(total)s members recognised as learning citizens in %(year)s."
            )
            % {"recognised": recognised, "total": total, "year": assessment.year},
        )


def _rescore(assessment, tree, points=None):
    if points is None:
        points = dict(
            IndicatorAnswer.objects.filter(
                assessment=assessment, self_points__isnull=False
            ).values_list("indicator_id", "self_points")
        )
    result = score(tree, points)
    assessment.self_total = result.total
    assessment.band = result.band or ""
    assessment.passed = result.passed
    Assessment.objects.filter(pk=assessment.pk).update(
        self_total=result.total, band=assessment.band, passed=result.passed
    )
    return result


def _saved_answers(assessment):
    return IndicatorAnswer.objects.filter(assessment=assessment).only(
        "pk", "indicator_id", "self_points", "note"
    )


@transaction.atomic
def assessment_save_answers(*, assessment, actor, answers, expected_revision=None):
    """Save points and notes {indicator_id: (points, note)} and recompute the totals.

    Every value is checked before anything is written; errors come back as one ValidationError
    keyed by indicator id. Computed indicators (members' results) ignore what is sent.
    Returns the scoring.Score of the saved answers.
    """
    tree = frozen_tree(assessment.criteria_set)
    indicators = {indicator.pk: indicator for indicator in indicators_in_order(tree)}
    errors, parsed = {}, {}
    for key, (raw_points, note) in answers.items():
        indicator = indicators.get(int(key))
        if indicator is None:
            raise ValidationError(_("That indicator is not part of this assessment."))
        if indicator.is_members_result and assessment.learning_unit_id:
            continue
        note = nfc(note)
        try:
            points = parse_points(raw_points, indicator)
            if len(note) > 2000:
                raise ValidationError(
                    _("Indicator %(code)s: keep the note under 2,000 characters.")
                    % {"code": indicator.code}
                )
        except ValidationError as error:
            errors[str(indicator.pk)] = error.messages
            continue
        parsed[indicator.pk] = (points, note)
    if errors:
        raise ValidationError(errors)
    # The answers are read before the claim: a write that lands in between bumps the revision,
    # so the claim below fails rather than scoring on what we read.
    rows = {answer.indicator_id: answer for answer in _saved_answers(assessment)}
    missing, changed = [], []
    for indicator_id, (points, note) in parsed.items():
        answer = rows.get(indicator_id)
        if answer is None:  # start creates every answer; kept for sets started elsewhere
            answer = rows[indicator_id] = IndicatorAnswer(
                assessment=assessment, indicator_id=indicator_id, self_points=points, note=note
            )
            missing.append(answer)
        elif (answer.self_points, answer.note) != (points, note):
            answer.self_points, answer.note = points, note
            changed.append(answer)
    if assessment.learning_unit_id:  # members' results are counted after the claim
        assessment_begin_edit(
            assessment=assessment, actor=actor, expected_revision=expected_revision
        )
        _write_answers(missing, changed)
        _apply_members_results(assessment, tree)
        return _rescore(assessment, tree)
    result = score(tree, {pk: a.self_points for pk, a in rows.items() if a.self_points is not None})
    totals = {"self_total": result.total, "band": result.band or "", "passed": result.passed}
    assessment_begin_edit(
        assessment=assessment, actor=actor, expected_revision=expected_revision, also=totals
    )
    _write_answers(missing, changed)
    return result


def _write_answers(missing, changed):
    IndicatorAnswer.objects.bulk_create(missing)
    IndicatorAnswer.objects.bulk_update(changed, ["self_points", "note"])


def assessment_missing(*, assessment, answers, tree):
    """What still stands between a draft and submitting: a list of (indicator, reason code).

    `answers` are the assessment's IndicatorAnswers with their evidence prefetched.
    """
    by_indicator = {answer.indicator_id: answer for answer in answers}
    missing = []
    for indicator in indicators_in_order(tree):
        answer = by_indicator.get(indicator.pk)
        if answer is None or answer.self_points is None:
            missing.append((indicator, "points"))
        elif (
            indicator.evidence_required
            and not (assessment.learning_unit_id and indicator.is_members_result)
            and not answer.evidence.all()
        ):
            missing.append((indicator, "evidence"))
    return missing


@transaction.atomic
def assessment_submit(*, assessment, actor, today=None):
    """Send a draft (or a returned assessment) for review: checked, then locked.

    The status change is a conditional UPDATE, so a double click submits once.
    """
    today = today or timezone.localdate()
    if not workflow.can_submit(assessment.status):
        raise ValidationError(
            _("This assessment was already sent on %(date)s.")
            % {
                "date": date_format(
                    timezone.localtime(assessment.submitted_at), "SHORT_DATE_FORMAT"
                )
            }
            if assessment.submitted_at
            else _("This assessment can no longer be sent."),
            code="already_submitted",
        )
    _check_dates(assessment.campaign, assessment.area, today)
    tree = frozen_tree(assessment.criteria_set)
    answers = IndicatorAnswer.objects.filter(assessment=assessment).prefetch_related("evidence")
    missing = assessment_missing(assessment=assessment, answers=answers, tree=tree)
    if missing:
        raise ValidationError(
            [
                (
                    _("Indicator %(code)s: give your points.")
                    if reason == "points"
                    else _("Indicator %(code)s: attach at least one piece of evidence.")
                )
                % {"code": indicator.code}
                for indicator, reason in missing
            ],
            code="incomplete",
        )
    if assessment.learning_unit_id:
        _apply_members_results(assessment, tree)
    _rescore(assessment, tree)
    from_status = assessment.status
    now = timezone.now()
    to_status = workflow.to_status(workflow.Action.SUBMIT)
    updates = {"status": to_status, "submitted_at": now, "updated_at": now}
    if is_on_behalf(assessment=assessment, actor=actor):
        updates["entered_by"] = actor
    sent = Assessment.objects.filter(
        pk=assessment.pk, status__in=workflow.from_statuses(workflow.Action.SUBMIT)
    ).update(**updates)
    if not sent:
        raise ValidationError(_("This assessment was already sent."), code="already_submitted")
    assessment.refresh_from_db()
    record_event(assessment, actor, workflow.Action.SUBMIT, from_status, to_status)
    return assessment
