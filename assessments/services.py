"""State-changing actions of the assessments app (keyword-only, transactional)."""

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.models import Page

from learning_units.models import Area, AreaLevel, OfficerRole, TargetGroup
from learning_units.prepared import prepared, update_rows

from .conf import setting
from .interchange import InterchangeError, criteria_set_to_data, parse_criteria_set
from .models import (
    Assessment,
    AssessmentStatus,
    Campaign,
    CampaignCriteriaSet,
    CertificateSequence,
    CriteriaSet,
    Criterion,
    Evidence,
    Indicator,
    IndicatorAnswer,
    RatingBand,
    Recognition,
    RecognitionDecision,
    ReviewEvent,
    SubjectKind,
)
from .rules import criteria_set_problems, format_points
from .scoring import score
from .uploads import prepare_evidence_upload, save_file


class CriteriaSetFrozen(Exception):
    """Raised when something would change a set that assessments already use."""


@dataclass
class LoadResult:
    criteria_set: CriteriaSet
    outcome: str  # created, updated, unchanged
    warnings: list[str] = field(default_factory=list)


def criteria_set_check(*, raw):
    """Checked plain data of a raw set, or InterchangeError listing every problem.

    Shape and types first (row by row), then the rules of a whole set (totals, bands).
    """
    data = parse_criteria_set(raw)
    messages = [str(problem) for problem in criteria_set_problems(data)]
    try:
        CriteriaSet(**_scalars(data)).full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        messages += [
            f"{CriteriaSet._meta.get_field(name).verbose_name}: {message}"
            for name, field_messages in error.message_dict.items()
            for message in field_messages
        ]
    if messages:
        raise InterchangeError([f"{data['code']} v{data['version']}: {m}" for m in messages])
    return data


def _scalars(data):
    return {name: value for name, value in data.items() if name not in ("criteria", "rating_bands")}


def criteria_set_load_outcome(*, data):
    """What loading checked data would do: (existing set or None, created/updated/unchanged).

    Raises CriteriaSetFrozen when it would change a frozen set. Used for the import preview.
    """
    existing = CriteriaSet.objects.filter(code=data["code"], version=data["version"]).first()
    if existing is None:
        return None, "created"
    if criteria_set_to_data(existing) == data:
        return existing, "unchanged"
    if existing.is_frozen:
        raise CriteriaSetFrozen(
            _(
                "%(set)s is used by assessments and can no longer be changed. Give the file "
                "a new version number, or make a new version in the admin."
            )
            % {"set": existing}
        )
    return existing, "updated"


@transaction.atomic
def criteria_set_load(*, raw):
    """Create or update a set from raw data (a JSON object or an xlsx workbook's contents).

    Idempotent: the same code and version with the same contents changes nothing; different
    contents replace the set's tree unless the set is frozen (CriteriaSetFrozen).
    """
    data = criteria_set_check(raw=raw)
    # Lock the row (PostgreSQL) so that a set cannot be frozen between the check and the save.
    list(CriteriaSet.objects.select_for_update().filter(code=data["code"], version=data["version"]))
    existing, outcome = criteria_set_load_outcome(data=data)
    if outcome == "unchanged":
        return LoadResult(existing, outcome)
    pages, warnings = _guidance_pages(data)
    criteria_set = CriteriaSet()
    if existing is not None:
        existing.criteria.all().delete()
        existing.rating_bands.all().delete()
        criteria_set = CriteriaSet.objects.get(pk=existing.pk)  # without the old tree's cache
    criteria_set = _save_tree(criteria_set, data, pages)
    return LoadResult(criteria_set, outcome, warnings)


def _guidance_pages(data):
    paths = {
        path
        for criterion in data["criteria"]
        for indicator in criterion["indicators"]
        for path in indicator["guidance_pages"]
    }
    pages = {page.url_path: page for page in Page.objects.filter(url_path__in=paths)}
    warnings = [
        _("No page at %(path)s: its link was left out.") % {"path": path}
        for path in sorted(paths - set(pages))
    ]
    return pages, warnings


def _save_tree(criteria_set, data, pages):
    for name, value in _scalars(data).items():
        setattr(criteria_set, name, value)
    criteria_set.full_clean()
    criteria_set.save()
    RatingBand.objects.bulk_create(
        RatingBand(criteria_set=criteria_set, **band) for band in data["rating_bands"]
    )
    for criterion_order, criterion_data in enumerate(data["criteria"]):
        values = {k: v for k, v in criterion_data.items() if k != "indicators"}
        criterion = Criterion.objects.create(
            criteria_set=criteria_set, sort_order=criterion_order, **values
        )
        for indicator_order, indicator_data in enumerate(criterion_data["indicators"]):
            values = {
                k: v
                for k, v in indicator_data.items()
                if k not in ("competency_tags", "guidance_pages")
            }
            indicator = Indicator(criterion=criterion, sort_order=indicator_order, **values)
            indicator.competency_tags.set(indicator_data["competency_tags"])
            indicator.guidance_pages.set(
                [pages[path] for path in indicator_data["guidance_pages"] if path in pages]
            )
            indicator.save()
    return criteria_set


@transaction.atomic
def criteria_set_new_version(*, criteria_set):
    """A draft copy of the whole tree under the next free version number of the same code."""
    data = criteria_set_to_data(criteria_set)
    latest = CriteriaSet.objects.filter(code=criteria_set.code).aggregate(Max("version"))
    data["version"] = latest["version__max"] + 1
    data["status"] = CriteriaSet.Status.DRAFT
    pages, _warnings = _guidance_pages(data)
    return _save_tree(CriteriaSet(), data, pages)


def criteria_set_freeze(*, criteria_set):
    """Mark a published set as used; the assessment service calls this with the first answer.

    A conditional update, so concurrent first uses set the timestamp once.
    """
    if not criteria_set.is_published:
        raise ValueError(f"{criteria_set} is a draft: only published sets are assessed.")
    now = timezone.now()
    CriteriaSet.objects.filter(pk=criteria_set.pk, frozen_at__isnull=True).update(frozen_at=now)
    criteria_set.refresh_from_db(fields=["frozen_at"])


@transaction.atomic
def campaign_ensure_demo(*, year=None):
    """An open national campaign for citizens this year, using the latest published sets.

    Development data only (called by `load_criteria --demo`); reuses an open campaign if there is
    one, so running it again changes nothing.
    """
    today = timezone.localdate()
    year = year or today.year
    central = Area.objects.filter(level=AreaLevel.CENTRAL).first()
    if central is None:
        raise ValueError("There is no central area yet: run `manage.py load_areas` first.")
    campaign = Campaign.objects.filter(
        scope=central, subject_kind=SubjectKind.CITIZEN, year=year, status=Campaign.Status.OPEN
    ).first()
    if campaign is not None:
        return campaign
    campaign = Campaign(
        year=year,
        scope=central,
        subject_kind=SubjectKind.CITIZEN,
        opens_on=datetime.date(year, 1, 1),
        closes_on=datetime.date(year, 12, 31),
        status=Campaign.Status.OPEN,
    )
    campaign.full_clean()
    campaign.save()
    for group in TargetGroup:
        criteria_set = (
            CriteriaSet.objects.filter(
                subject_kind=SubjectKind.CITIZEN,
                target_group=group,
                status=CriteriaSet.Status.PUBLISHED,
            )
            .order_by("-version")
            .first()
        )
        CampaignCriteriaSet.objects.create(
            campaign=campaign, target_group=group, criteria_set=criteria_set
        )
    return campaign


# --- Self-assessment: citizens and learning units fill in, attach evidence and submit. ---
#
# Every function below is the one place its rule lives; the public site, the on-behalf route
# and (later) the admin call them. They raise ValidationError with a message for people.

EDITABLE_STATUSES = (AssessmentStatus.DRAFT, AssessmentStatus.RETURNED)
# Indicators of a learning unit's set carrying this competency tag score the share of the unit's
# members recognised as learning citizens that year (the sample sets tag "Từ 90% thành viên …
# đạt danh hiệu Công dân học tập", "Có thành viên đạt danh hiệu …", "Nhiều con cháu đạt …").
MEMBERS_RESULT_TAG = "công dân học tập"


def evidence_max_bytes():
    """CDHT_EVIDENCE_MAX_BYTES (assessments.conf), read on every upload."""
    return setting("EVIDENCE_MAX_BYTES")


def is_on_behalf(*, assessment, actor):
    """True when the actor is not the subject's own account (an officer helping)."""
    if assessment.citizen_id:
        return assessment.citizen.user_id != actor.pk
    head = assessment.learning_unit.head
    return head is None or head.user_id != actor.pk


def is_members_result(indicator):
    """Whether the indicator's points are computed from the members' citizen results."""
    return any(
        item.tag.name.lower() == MEMBERS_RESULT_TAG for item in indicator.competency_items.all()
    )


def _event(assessment, actor, action, from_status, to_status, comment=""):
    return ReviewEvent.objects.create(
        assessment=assessment,
        actor=actor,
        action=action,
        from_status=from_status,
        to_status=to_status,
        comment=comment,
        on_behalf=is_on_behalf(assessment=assessment, actor=actor),
    )


def _tree(criteria_set_id):
    from .selectors import criteria_set_tree

    return criteria_set_tree(criteria_set_id)


def _frozen_tree(criteria_set):
    from .selectors import frozen_tree

    return frozen_tree(criteria_set)


def _indicators(criteria_set):
    return [
        indicator
        for criterion in sorted(criteria_set.criteria.all(), key=lambda c: c.sort_order or 0)
        for indicator in criterion.indicators.all()
    ]


@transaction.atomic
def assessment_start(*, actor, citizen=None, learning_unit=None, campaign=None, today=None):
    """This year's assessment of a citizen or a learning unit, with an empty answer per indicator.

    Refuses a second assessment in the same campaign (also under a double click: the unique
    constraint is the last word). Freezes the set on its first use.
    """
    from .selectors import criteria_set_for, current_campaign_for

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
    tree = _frozen_tree(criteria_set)
    IndicatorAnswer.objects.bulk_create(
        IndicatorAnswer(assessment=assessment, indicator=indicator)
        for indicator in _indicators(tree)
    )
    _event(assessment, actor, "start", "", AssessmentStatus.DRAFT)
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
    computed = [indicator for indicator in _indicators(tree) if is_members_result(indicator)]
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


def parse_points(raw, indicator):
    """Decimal points within 0..the indicator's points, None when left empty."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    try:
        value = Decimal(str(raw).strip().replace(",", "."))
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite():
        raise ValidationError(
            _("Indicator %(code)s: write a number of points, e.g. 7 or 7.5.")
            % {"code": indicator.code},
            code="not_a_number",
        )
    if value < 0 or value > indicator.max_points:
        raise ValidationError(
            _("Indicator %(code)s: points must be between 0 and %(max)s.")
            % {"code": indicator.code, "max": format_points(indicator.max_points)},
            code="out_of_range",
        )
    if value != value.quantize(Decimal("0.01"), rounding=ROUND_DOWN):
        raise ValidationError(
            _("Indicator %(code)s: use at most two decimals.") % {"code": indicator.code},
            code="too_precise",
        )
    return value


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


def _begin_edit(assessment, actor, expected_revision=None, also=None):
    """Claim the assessment for an edit; a returned assessment goes back to draft.

    One conditional UPDATE (status and revision as the caller saw them) is both the check and
    the claim: of two requests that saw the same revision exactly one changes a row, and on
    PostgreSQL the winner's row lock makes the other wait and then find nothing to update.
    Only a refused claim reads the row again, to say why. Raises ValidationError (code "locked"
    or "stale"); on success the caller's object carries the new revision and status, and the
    values of `also` (more fields written by the same UPDATE, such as new totals).
    """
    if assessment.status not in EDITABLE_STATUSES:
        raise _locked_error(assessment)
    expected = assessment.revision if expected_revision is None else _as_revision(expected_revision)
    updates = {"revision": F("revision") + 1, "updated_at": timezone.now(), **(also or {})}
    if is_on_behalf(assessment=assessment, actor=actor):
        updates["entered_by"] = actor
    if assessment.status == AssessmentStatus.RETURNED:
        updates["status"] = AssessmentStatus.DRAFT
    claimed = Assessment.objects.filter(
        pk=assessment.pk, revision=expected, status=assessment.status
    ).update(**updates)
    if not claimed:
        current = Assessment.objects.only("status", "revision").get(pk=assessment.pk)
        if current.status not in EDITABLE_STATUSES:
            raise _locked_error(current)
        raise _stale_error(current.revision)
    if assessment.status == AssessmentStatus.RETURNED:
        _event(assessment, actor, "edit", AssessmentStatus.RETURNED, AssessmentStatus.DRAFT)
    assessment.revision = expected + 1
    assessment.status = updates.get("status", assessment.status)
    if "entered_by" in updates:
        assessment.entered_by_id = actor.pk
    for name, value in (also or {}).items():
        setattr(assessment, name, value)
    return assessment


@prepared
def _saved_answers(*, assessment_id):
    return IndicatorAnswer.objects.filter(assessment_id=assessment_id).only(
        "pk", "indicator_id", "self_points", "note"
    )


@transaction.atomic
def assessment_save_answers(*, assessment, actor, answers, expected_revision=None):
    """Save points and notes {indicator_id: (points, note)} and recompute the totals.

    Every value is checked before anything is written; errors come back as one ValidationError
    keyed by indicator id. Computed indicators (members' results) ignore what is sent.
    Returns the scoring.Score of the saved answers.
    """
    tree = _frozen_tree(assessment.criteria_set)
    indicators = {indicator.pk: indicator for indicator in _indicators(tree)}
    errors, parsed = {}, {}
    for key, (raw_points, note) in answers.items():
        indicator = indicators.get(int(key))
        if indicator is None:
            raise ValidationError(_("That indicator is not part of this assessment."))
        if is_members_result(indicator) and assessment.learning_unit_id:
            continue
        note = (note or "").strip()
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
    rows = {answer.indicator_id: answer for answer in _saved_answers(assessment_id=assessment.pk)}
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
        _begin_edit(assessment, actor, expected_revision)
        _write_answers(missing, changed)
        _apply_members_results(assessment, tree)
        return _rescore(assessment, tree)
    result = score(tree, {pk: a.self_points for pk, a in rows.items() if a.self_points is not None})
    totals = {"self_total": result.total, "band": result.band or "", "passed": result.passed}
    _begin_edit(assessment, actor, expected_revision, also=totals)
    _write_answers(missing, changed)
    return result


def _write_answers(missing, changed):
    IndicatorAnswer.objects.bulk_create(missing)
    update_rows(changed, ["self_points", "note"])


def _evidence_answer(answer, actor):
    """The answer, after locking its assessment for an edit (returned → draft)."""
    _begin_edit(answer.assessment, actor)
    return answer


def _set_has_evidence(assessment):
    has = Evidence.objects.filter(answer__assessment=assessment).exists()
    Assessment.objects.filter(pk=assessment.pk).update(has_evidence=has)
    assessment.has_evidence = has


@transaction.atomic
def evidence_add_file(*, answer, actor, uploaded_file, description=""):
    """Attach a PDF, JPG or PNG, checked by its content and its size, in private storage.

    The checks, the cleaning (EXIF stripped, name sanitised) and the storing are in uploads.py.
    """
    upload = prepare_evidence_upload(uploaded_file, max_bytes=evidence_max_bytes())
    _evidence_answer(answer, actor)
    evidence = Evidence(
        answer=answer,
        kind=Evidence.Kind.FILE,
        original_name=upload.name[:255],
        content_type=upload.content_type,
        size=upload.size,
        description=description[:255],
        uploaded_by=actor,
    )
    save_file(evidence.file, upload)
    evidence.save()
    _set_has_evidence(answer.assessment)
    return evidence


@transaction.atomic
def evidence_add_url(*, answer, actor, url, description=""):
    """Attach a web link (http or https only)."""
    url = (url or "").strip()
    validator = URLValidator(schemes=["http", "https"])
    try:
        validator(url)
    except ValidationError:
        raise ValidationError(
            _("“%(url)s” is not a web address: it should start with https:// or http://.")
            % {"url": url[:100]},
            code="url",
        ) from None
    if len(url) > 500:
        raise ValidationError(_("This link is too long (500 characters at most)."), code="url")
    _evidence_answer(answer, actor)
    evidence = Evidence.objects.create(
        answer=answer,
        kind=Evidence.Kind.URL,
        url=url,
        description=description[:255],
        uploaded_by=actor,
    )
    _set_has_evidence(answer.assessment)
    return evidence


@transaction.atomic
def evidence_add_course(*, answer, actor, course_completion):
    """Attach a course the same citizen completed (the best evidence there is)."""
    assessment = answer.assessment
    owners = (
        {assessment.citizen_id}
        if assessment.citizen_id
        else set(assessment.learning_unit.members.values_list("pk", flat=True))
        | {assessment.learning_unit.head_id}
    )
    if course_completion.citizen_id not in owners:
        raise ValidationError(
            _("That course was completed by someone else and cannot be attached here."),
            code="course_owner",
        )
    if Evidence.objects.filter(answer=answer, course_completion=course_completion).exists():
        raise ValidationError(
            _("“%(course)s” is already attached to this indicator.")
            % {"course": course_completion.course_title},
            code="course_duplicate",
        )
    _evidence_answer(answer, actor)
    evidence = Evidence.objects.create(
        answer=answer,
        kind=Evidence.Kind.COURSE,
        course_completion=course_completion,
        uploaded_by=actor,
    )
    _set_has_evidence(assessment)
    return evidence


@transaction.atomic
def evidence_remove(*, evidence, actor):
    assessment = evidence.answer.assessment
    _begin_edit(assessment, actor)
    file = evidence.file if evidence.kind == Evidence.Kind.FILE else None
    evidence.delete()
    if file:
        transaction.on_commit(lambda: file.storage.delete(file.name))
    _set_has_evidence(assessment)


def assessment_missing(*, assessment, answers, tree):
    """What still stands between a draft and submitting: a list of (indicator, reason code).

    `answers` are the assessment's IndicatorAnswers with their evidence prefetched.
    """
    by_indicator = {answer.indicator_id: answer for answer in answers}
    missing = []
    for indicator in _indicators(tree):
        answer = by_indicator.get(indicator.pk)
        if answer is None or answer.self_points is None:
            missing.append((indicator, "points"))
        elif (
            indicator.evidence_required
            and not (assessment.learning_unit_id and is_members_result(indicator))
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
    if assessment.status not in EDITABLE_STATUSES:
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
    tree = _frozen_tree(assessment.criteria_set)
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
    updates = {"status": AssessmentStatus.SUBMITTED, "submitted_at": now, "updated_at": now}
    if is_on_behalf(assessment=assessment, actor=actor):
        updates["entered_by"] = actor
    sent = Assessment.objects.filter(pk=assessment.pk, status__in=EDITABLE_STATUSES).update(
        **updates
    )
    if not sent:
        raise ValidationError(_("This assessment was already sent."), code="already_submitted")
    assessment.refresh_from_db()
    _event(assessment, actor, "submit", from_status, AssessmentStatus.SUBMITTED)
    return assessment


# --- Review and recognition (DESIGN.md, Workflow) ---
#
# One function per transition, used by the admin, the bulk actions and the demo alike. Each
# checks role and jurisdiction (`review_refusal`), locks the rows it moves (in id order, so two
# officers never deadlock), claims them with a conditional UPDATE that must move exactly the
# rows selected — or the whole action rolls back — and writes a ReviewEvent per assessment.
# E-mail leaves after the commit (`notifications`).


class ReviewRefused(Exception):
    """A transition that was not done, with a message for the officer and a stable code:
    not_officer, out_of_jurisdiction, wrong_status, wrong_role, stale, comment_required,
    invalid_points, not_passed, decision_required, decision_duplicate, outside_issuing_area."""

    def __init__(self, message, *, code):
        super().__init__(message)
        self.message = str(message)
        self.code = code


class ReviewAction:
    VERIFY = "verify"
    RETURN = "return"
    REJECT = "reject"
    RECOGNISE = "recognise"
    REVOKE = "revoke"


# action: (statuses it starts from, status it leads to)
REVIEW_TRANSITIONS = {
    ReviewAction.VERIFY: ({AssessmentStatus.SUBMITTED}, AssessmentStatus.VERIFIED),
    ReviewAction.RETURN: (
        {AssessmentStatus.SUBMITTED, AssessmentStatus.VERIFIED},
        AssessmentStatus.RETURNED,
    ),
    ReviewAction.REJECT: (
        {AssessmentStatus.SUBMITTED, AssessmentStatus.VERIFIED},
        AssessmentStatus.REJECTED,
    ),
    ReviewAction.RECOGNISE: ({AssessmentStatus.VERIFIED}, AssessmentStatus.RECOGNISED),
    ReviewAction.REVOKE: ({AssessmentStatus.RECOGNISED}, AssessmentStatus.RECOGNISED),
}
ROLE_LEVEL = {
    OfficerRole.Role.BRANCH: AreaLevel.RESIDENTIAL,
    OfficerRole.Role.COMMUNE: AreaLevel.COMMUNE,
    OfficerRole.Role.PROVINCE: AreaLevel.PROVINCE,
    OfficerRole.Role.CENTRAL: AreaLevel.CENTRAL,
}


def review_roles(assessment):
    """(role that verifies, role that recognises) an assessment, from its campaign.

    An agency branch's board (a branch officer of that branch) verifies and recognises its own
    staff. An assessment filed directly at a level above the verifying one (a citizen attached
    to the commune itself) is verified by the recognising level.
    """
    area, campaign = assessment.area, assessment.campaign
    if area.is_agency_branch:
        return OfficerRole.Role.BRANCH, OfficerRole.Role.BRANCH
    verifying = campaign.verifying_role or OfficerRole.Role.BRANCH
    recognising = campaign.recognising_role or OfficerRole.Role.COMMUNE
    if ROLE_LEVEL[verifying] > area.level:
        verifying = recognising
    return verifying, recognising


def roles_allowed(assessment, action, from_status):
    verifying, recognising = review_roles(assessment)
    if action == ReviewAction.VERIFY:
        return {verifying}
    if action in (ReviewAction.RETURN, ReviewAction.REJECT):
        if from_status == AssessmentStatus.SUBMITTED:
            return {verifying, recognising}
        return {recognising}
    if action == ReviewAction.RECOGNISE:
        return {recognising}
    # Revocation: the level that recognised, or any level above it.
    return {role for role, level in ROLE_LEVEL.items() if level <= ROLE_LEVEL[recognising]}


ACTION_LABELS = {
    ReviewAction.VERIFY: gettext_lazy("Verify"),
    ReviewAction.RETURN: gettext_lazy("Return"),
    ReviewAction.REJECT: gettext_lazy("Reject"),
    ReviewAction.RECOGNISE: gettext_lazy("Recognise"),
    ReviewAction.REVOKE: gettext_lazy("Revoke"),
}


def review_refusal(*, user, assessment, action, status=None):
    """None when the user may do the action on the assessment now, else a ReviewRefused.

    `status` is the status to check (the assessment's by default). Superusers skip the role
    and jurisdiction checks, never the workflow.
    """
    from .selectors import officer_review_roles

    status = status or assessment.status
    from_statuses, _to = REVIEW_TRANSITIONS[action]
    held = [] if user.is_superuser else officer_review_roles(user)
    if not user.is_superuser and not held:
        return ReviewRefused(
            _("Only officers of the association review assessments."), code="not_officer"
        )
    covering = {role for role, path in held if assessment.area.path.startswith(path)}
    if not user.is_superuser and not covering:
        return ReviewRefused(
            _("“%(subject)s” is outside your area.") % {"subject": assessment.subject},
            code="out_of_jurisdiction",
        )
    if status not in from_statuses:
        return ReviewRefused(
            _("“%(subject)s” is %(status)s: “%(action)s” is not possible now.")
            % {
                "subject": assessment.subject,
                "status": AssessmentStatus(status).label.lower(),
                "action": ACTION_LABELS[action],
            },
            code="wrong_status",
        )
    allowed = roles_allowed(assessment, action, status)
    if not user.is_superuser and not covering & allowed:
        return ReviewRefused(
            _("In this campaign, “%(action)s” on “%(subject)s” is done by: %(roles)s.")
            % {
                "subject": assessment.subject,
                "action": ACTION_LABELS[action],
                "roles": ", ".join(
                    str(OfficerRole.Role(role).label).lower()
                    for role in sorted(allowed, key=ROLE_LEVEL.get, reverse=True)
                ),
            },
            code="wrong_role",
        )
    return None


def _lock_for_review(assessments, *, user, action):
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
        raise _stale(moved, len(seen))
    for assessment in locked:
        refusal = review_refusal(user=user, assessment=assessment, action=action)
        if refusal is not None:
            if len(locked) > 1:
                refusal.message = _("Nothing was done: %(reason)s") % {"reason": refusal.message}
            raise refusal
    return locked


def _stale(moved, selected):
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


def _claim(locked, *, to_status, **values):
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
        raise _stale(len(locked) - moved, len(locked))
    return now


def _review_events(locked, *, actor, action, to_status, comment=""):
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


def _verified_points(tree, answers, points, comments):
    """{indicator_id: verified points}; ReviewRefused when a change has no comment."""
    result, uncommented = {}, []
    for indicator in _indicators(tree):
        answer = answers.get(indicator.pk)
        claimed = answer.self_points if answer else None
        raw = points.get(indicator.pk, points.get(str(indicator.pk)))
        try:
            value = parse_points(raw, indicator) if raw is not None else None
        except ValidationError as error:
            raise ReviewRefused(" ".join(error.messages), code="invalid_points") from None
        if value is None:
            value = claimed or Decimal(0)
        comment = (comments.get(indicator.pk) or comments.get(str(indicator.pk)) or "").strip()
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
    (locked,) = _lock_for_review([assessment], user=officer, action=ReviewAction.VERIFY)
    tree = _tree(locked.criteria_set_id)
    # Check every point before anything moves, so a refusal leaves the row untouched.
    _verified_points(
        tree,
        {answer.indicator_id: answer for answer in locked.answers.all()},
        points or {},
        comments or {},
    )
    now = _claim([locked], to_status=AssessmentStatus.VERIFIED, verified_at=timezone.now())
    result = _apply_verification(locked, tree, points, comments)
    _review_events(
        [locked],
        actor=officer,
        action=ReviewAction.VERIFY,
        to_status=AssessmentStatus.VERIFIED,
        comment=(comment or "").strip(),
    )
    assessment.status, assessment.verified_at = AssessmentStatus.VERIFIED, now
    assessment.verified_total, assessment.passed = result.total, result.passed
    return result


@transaction.atomic
def assessment_verify_many(*, assessments, officer):
    """Verify submitted assessments as claimed (no points changed): all of them or none."""
    locked = _lock_for_review(assessments, user=officer, action=ReviewAction.VERIFY)
    _claim(locked, to_status=AssessmentStatus.VERIFIED, verified_at=timezone.now())
    trees = {}
    for assessment in locked:
        tree = trees.get(assessment.criteria_set_id) or _tree(assessment.criteria_set_id)
        trees[assessment.criteria_set_id] = tree
        _apply_verification(assessment, tree)
    _review_events(
        locked, actor=officer, action=ReviewAction.VERIFY, to_status=AssessmentStatus.VERIFIED
    )
    return len(locked)


def _send_back(assessments, *, officer, action, comment, required_message):
    from .models import Notice
    from .notifications import notify_subjects

    comment = (comment or "").strip()
    if not comment:
        raise ReviewRefused(required_message, code="comment_required")
    locked = _lock_for_review(assessments, user=officer, action=action)
    to_status = REVIEW_TRANSITIONS[action][1]
    _claim(locked, to_status=to_status)
    _review_events(locked, actor=officer, action=action, to_status=to_status, comment=comment)
    kind = Notice.Kind.RETURNED if action == ReviewAction.RETURN else Notice.Kind.REJECTED
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
        action=ReviewAction.RETURN,
        comment=comment,
        required_message=_("Write what the citizen should change before returning it."),
    )


@transaction.atomic
def assessment_reject(*, assessments, officer, reason):
    """Refuse assessments for good this year, with a reason (all or none)."""
    return _send_back(
        assessments,
        officer=officer,
        action=ReviewAction.REJECT,
        comment=reason,
        required_message=_("Give the reason for the rejection."),
    )


def certificate_number(area, year, sequence):
    return f"{area.code}/{year}/{sequence:05d}"


def _next_certificate_numbers(issuing_area, year, count):
    """`count` consecutive sequence numbers for an area and year, under a row lock.

    The row is created once (ON CONFLICT DO NOTHING) and then locked, so two officers
    recognising at the same time queue on it: no gaps (the numbers are taken in the same
    transaction as the recognitions) and no duplicates (the unique constraint backs it up).
    """
    CertificateSequence.objects.bulk_create(
        [CertificateSequence(issuing_area=issuing_area, year=year)], ignore_conflicts=True
    )
    sequence = CertificateSequence.objects.select_for_update().get(
        issuing_area=issuing_area, year=year
    )
    first = sequence.last_number + 1
    sequence.last_number += count
    sequence.save(update_fields=["last_number"])
    return range(first, first + count)


@transaction.atomic
def recognition_issue(*, assessments, officer, number, decided_on, signer, issuing_area):
    """Recognise verified assessments under one decision, each with a certificate number.

    All or none: a refusal, a stale row or a decision number already used rolls everything
    back. Returns the RecognitionDecision.
    """
    from .notifications import notify_subjects
    from .selectors import decision_area_choices

    number, signer = (number or "").strip(), (signer or "").strip()
    if not number or not decided_on or not signer or issuing_area is None:
        raise ReviewRefused(
            _("A recognition needs the decision number, its date, the signer and the area."),
            code="decision_required",
        )
    locked = _lock_for_review(assessments, user=officer, action=ReviewAction.RECOGNISE)
    if not decision_area_choices(officer).filter(pk=issuing_area.pk).exists():
        raise ReviewRefused(
            _("You cannot issue decisions for %(area)s.") % {"area": issuing_area},
            code="out_of_jurisdiction",
        )
    for assessment in locked:
        if not assessment.area.path.startswith(issuing_area.path):
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
    try:
        with transaction.atomic():
            decision = RecognitionDecision.objects.create(
                number=number,
                decided_on=decided_on,
                signer=signer,
                issuing_area=issuing_area,
                created_by=officer,
            )
    except IntegrityError:
        raise ReviewRefused(
            _(
                "Decision %(number)s of %(area)s is already recorded. If it was you a moment "
                "ago, the assessments are recognised already; otherwise check the number."
            )
            % {"number": number, "area": issuing_area},
            code="decision_duplicate",
        ) from None
    now = _claim(locked, to_status=AssessmentStatus.RECOGNISED, recognised_at=timezone.now())
    recognitions = []
    by_year = {}
    for assessment in locked:
        by_year.setdefault(assessment.year, []).append(assessment)
    for year, group in sorted(by_year.items()):
        numbers = _next_certificate_numbers(issuing_area, year, len(group))
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
    _review_events(
        locked,
        actor=officer,
        action=ReviewAction.RECOGNISE,
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
    for assessment in assessments:
        assessment.status, assessment.recognised_at = AssessmentStatus.RECOGNISED, now
    return decision


@transaction.atomic
def recognition_revoke(*, recognition, officer, reason):
    """Revoke a recognition with a reason: kept, marked, left out of public listings."""
    from .notifications import notify_subjects

    reason = (reason or "").strip()
    if not reason:
        raise ReviewRefused(_("Give the reason for the revocation."), code="comment_required")
    (locked,) = _lock_for_review([recognition.assessment], user=officer, action=ReviewAction.REVOKE)
    revoked = Recognition.objects.filter(pk=recognition.pk, revoked=False).update(
        revoked=True, revoked_reason=reason, revoked_at=timezone.now(), revoked_by=officer
    )
    if not revoked:
        raise ReviewRefused(_("This recognition has already been revoked."), code="stale")
    _review_events(
        [locked],
        actor=officer,
        action=ReviewAction.REVOKE,
        to_status=AssessmentStatus.RECOGNISED,
        comment=reason,
    )
    recognition.refresh_from_db()
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
