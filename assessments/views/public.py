"""Public self-assessment: my assessments, one step per criterion, autosave, submit, status.

Thin views: who may open what is `selectors.assessment_for_user` (404 otherwise), every change
is a service. Each step is a plain form POST that works without JavaScript; the small script
in static/assessments/self_assessment.js autosaves through `autosave` and shows live totals.
"""

from decimal import Decimal
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, resolve_url
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from learning_units.jurisdiction import is_officer
from learning_units.layout import render
from learning_units.models import LearningUnit
from learning_units.params import parse_id
from learning_units.return_urls import return_url
from learning_units.selectors import own_citizen

from .. import selectors
from ..audit_hooks import audit_evidence_download
from ..certificates.selectors import own_certificate_of
from ..forms_public import plain_points
from ..models import AssessmentStatus, Evidence, SubjectKind
from ..private_files import private_file_response
from ..services.editing import is_on_behalf
from ..services.evidence import (
    evidence_add_course,
    evidence_add_file,
    evidence_add_url,
    evidence_remove,
)
from ..services.self_assessment import (
    assessment_missing,
    assessment_save_answers,
    assessment_start,
    assessment_submit,
)
from .offline import keep_offline, saved_values
from .step_page import ALL_PARTS, Step, part_url


def subject_rounds(subject, kind, today):
    """The current campaign of a subject, its assessment in it, and its past assessments."""
    campaign = selectors.current_campaign_for(area=subject.area, subject_kind=kind, today=today)
    assessments = list(subject.assessments.select_related("campaign").order_by("-year", "-pk"))
    current = next((a for a in assessments if campaign and a.campaign_id == campaign.pk), None)
    return {
        "subject": subject,
        "campaign": campaign,
        "accepting": campaign is not None and campaign.is_accepting(subject.area, today=today),
        "closes_on": campaign.closes_on_for(subject.area) if campaign else None,
        "current": current,
        "past": [a for a in assessments if a is not current],
    }


@login_required
def my_assessments(request):
    citizen = own_citizen(request.user)
    today = timezone.localdate()
    units = []
    if citizen is not None:
        for unit in LearningUnit.objects.filter(head=citizen).select_related("area"):
            units.append(subject_rounds(unit, unit.kind, today))
    return render(
        request,
        "assessments/public/my_assessments.html",
        {
            "citizen": citizen,
            "own": subject_rounds(citizen, SubjectKind.CITIZEN, today) if citizen else None,
            "units": units,
            "year": today.year,
            "is_officer": is_officer(request.user),
        },
    )


@login_required
@require_POST
def start(request):
    """Start this year's assessment of oneself, a unit one heads, or (officers) a citizen."""
    user = request.user
    back = return_url(request, "back", default=reverse("assessments:mine"))
    subject = {}
    if request.POST.get("unit"):
        units = selectors.learning_units_for_user(user)
        subject["learning_unit"] = get_object_or_404(units, pk=parse_id(request.POST["unit"]))
    elif request.POST.get("citizen"):
        citizens = selectors.citizens_for_user(user)
        subject["citizen"] = get_object_or_404(citizens, pk=parse_id(request.POST["citizen"]))
    else:
        subject["citizen"] = own_citizen(user)
        if subject["citizen"] is None:
            raise Http404
    try:
        assessment = assessment_start(actor=user, **subject)
    except ValidationError as error:
        existing = getattr(error, "assessment", None)
        if existing is not None:
            messages.info(request, error.messages[0])
            return redirect("assessments:step", pk=existing.pk, number=1)
        messages.error(request, " ".join(error.messages))
        return redirect(back)
    messages.success(request, _("Your assessment is started. Answer one part at a time."))
    return redirect("assessments:step", pk=assessment.pk, number=1)


def _save_answers(step, form, user):
    """Save a step's answers; errors go onto the form. True when saved."""
    try:
        assessment_save_answers(
            assessment=step.assessment,
            actor=user,
            answers=form.answers(),
            expected_revision=form.data.get("revision") or None,
        )
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for key, field_messages in error.message_dict.items():
                form.add_error(f"points_{key}", field_messages)
        else:
            form.add_error(None, error.messages)
            if getattr(error, "revision", None) is not None:
                form.show_revision(error.revision)
        return False
    return True


def _apply_evidence(step, form, request):
    user = request.user
    for indicator_id, kind, value in form.evidence_requests():
        answer = step.answers[indicator_id]
        answer.assessment = step.assessment
        try:
            if kind == "file":
                evidence_add_file(answer=answer, actor=user, uploaded_file=value)
            elif kind == "url":
                evidence_add_url(answer=answer, actor=user, url=value)
            else:
                course = form.course_ids.get(value)
                if course is None:
                    raise ValidationError(_("Choose a course from the list."))
                evidence_add_course(answer=answer, actor=user, course_completion=course)
        except ValidationError as error:
            form.add_error(f"{kind}_{indicator_id}", error.messages)
    remove = parse_id(request.POST.get("remove_evidence"))
    if remove:
        evidence = Evidence.objects.filter(pk=remove, answer__assessment=step.assessment).first()
        if evidence is not None:
            evidence.answer.assessment = step.assessment
            evidence_remove(evidence=evidence, actor=user)
            messages.success(request, _("The evidence was removed."))


KEPT_STEP = "cdht_kept_step"


def keep_typing_across_login(view):
    """A step sent by someone whose session expired. With the script, the browser keeps the
    answers; without it they would be lost at the login page. The points and notes wait in the
    session (nothing is written to any assessment) and are shown again, unsaved, after log-in."""

    @wraps(view)
    def wrapper(request, pk, number=ALL_PARTS):
        if request.method == "POST" and not request.user.is_authenticated:
            typed = {
                key: value[:2000]
                for key, value in request.POST.items()
                if key.startswith(("points_", "note_"))
            }
            request.session[KEPT_STEP] = {"path": request.path, "data": typed}
            messages.info(
                request,
                _("You were logged out. Log in again: what you typed is kept for you."),
            )
            return redirect_to_login(request.get_full_path())
        return view(request, pk, number)

    return wrapper


def _kept_typing(request, assessment):
    """What was typed before a log-in on this very step page, once; None otherwise."""
    kept = request.session.get(KEPT_STEP)
    if not kept or kept.get("path") != request.path:
        return None
    del request.session[KEPT_STEP]
    messages.warning(
        request,
        _("Here is what you typed before you were logged out. It is not saved yet: check it "
          "and press “Save draft”."),
    )  # fmt: skip
    return {**kept["data"], "revision": assessment.revision}


@keep_typing_across_login
@login_required
@keep_offline
@never_cache
def step(request, pk, number):
    """One part of an assessment (the numbered steps: phones and everyone)."""
    if number == ALL_PARTS:
        raise Http404  # all parts have their own address
    return _step_page(request, pk, number)


@keep_typing_across_login
@login_required
@keep_offline
@never_cache
def all_parts(request, pk, number=ALL_PARTS):
    """Every part on one page, with anchors: offered on wide screens."""
    return _step_page(request, pk, ALL_PARTS)


def _step_page(request, pk, number):
    assessment = selectors.assessment_for_user(request.user, pk, related=selectors.STEP_RELATED)
    if request.method == "POST" and not assessment.is_editable_by_subject:
        messages.error(request, _("This assessment has been sent and can no longer be changed."))
        return redirect("assessments:overview", pk=pk)
    current = Step(assessment, number)
    if request.method != "POST":
        if not assessment.is_editable_by_subject:
            return redirect("assessments:overview", pk=pk)
        form = current.form(_kept_typing(request, assessment))
        return render(request, "assessments/public/step.html", current.context(request, form))

    form = current.form(request.POST, request.FILES)
    form.is_valid()  # only to bind cleaned_data; the services judge the values
    saved = _save_answers(current, form, request.user)
    if saved:
        _apply_evidence(current, form, request)
    if form.errors:
        if saved:
            messages.warning(request, _("Your points are saved. Please look at the evidence."))
            assessment = selectors.assessment_for_user(
                request.user, pk, related=selectors.STEP_RELATED
            )
            current = Step(assessment, number)
            form.show_revision(current.assessment.revision)
        return render(request, "assessments/public/step.html", current.context(request, form))
    action = request.POST.get("action")
    if action == "next":
        if ALL_PARTS < current.number < len(current.criteria):
            return redirect("assessments:step", pk=pk, number=number + 1)
        return redirect("assessments:submit", pk=pk)
    if action == "previous" and number > 1:
        return redirect("assessments:step", pk=pk, number=number - 1)
    messages.success(request, _("Saved."))
    anchor = f"#indicator-{request.POST['anchor']}" if request.POST.get("anchor") else ""
    return redirect(part_url(pk, number) + anchor)


@require_POST
@never_cache
def autosave(request, pk, number=None):
    """Save a step's points and notes from the script (of every part without a number);
    JSON, never a redirect."""
    if number == ALL_PARTS:
        raise Http404
    number = ALL_PARTS if number is None else number
    if not request.user.is_authenticated:
        login = resolve_url(settings.LOGIN_URL) + "?next=" + part_url(pk, number)
        return JsonResponse(
            {"error": _("You were logged out. Your answers are kept on this device."),
             "login": login},
            status=401,
        )  # fmt: skip
    assessment = selectors.assessment_for_user(request.user, pk, related=selectors.STEP_RELATED)
    criteria = sorted(
        selectors.frozen_tree(assessment.criteria_set).criteria.all(),
        key=lambda c: c.sort_order or 0,
    )
    if not 0 <= number <= len(criteria):
        raise Http404
    shown = criteria if number == ALL_PARTS else [criteria[number - 1]]
    answers = {
        indicator.pk: (
            request.POST.get(f"points_{indicator.pk}", ""),
            request.POST.get(f"note_{indicator.pk}", ""),
        )
        for criterion in shown
        for indicator in criterion.indicators.all()
        if f"points_{indicator.pk}" in request.POST
    }
    try:
        result = assessment_save_answers(
            assessment=assessment,
            actor=request.user,
            answers=answers,
            expected_revision=request.POST.get("revision") or None,
        )
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            return JsonResponse({"errors": error.message_dict}, status=400)
        stale = getattr(error, "revision", None) is not None
        shown_ids = [
            indicator.pk for criterion in shown for indicator in criterion.indicators.all()
        ]
        return JsonResponse(
            {
                "error": " ".join(error.messages),
                "revision": getattr(error, "revision", None),
                # What the server holds now, to show beside what the device sent.
                "server": saved_values(assessment, shown_ids) if stale else {},
            },
            status=409,
        )
    return JsonResponse(
        {
            "revision": assessment.revision,
            "total": plain_points(result.total),
            "criteria": {item.code: plain_points(item.points) for item in result.per_criterion},
            "band": result.band or "",
            "saved_at": timezone.localtime().strftime("%H:%M"),
        }
    )


def _summary(assessment):
    tree = selectors.frozen_tree(assessment.criteria_set)
    answers = list(selectors.answers_with_evidence(assessment))
    by_indicator = {answer.indicator_id: answer for answer in answers}
    criteria = sorted(tree.criteria.all(), key=lambda c: c.sort_order or 0)
    parts = []
    for number, criterion in enumerate(criteria, start=1):
        items = [(i, by_indicator.get(i.pk)) for i in criterion.indicators.all()]
        points = sum(
            (a.self_points for _i, a in items if a and a.self_points is not None), Decimal(0)
        )
        parts.append({"number": number, "criterion": criterion, "items": items, "points": points})
    step_of = {i.pk: part["number"] for part in parts for i, _a in part["items"]}
    missing = [
        {"indicator": indicator, "reason": reason, "step": step_of[indicator.pk]}
        for indicator, reason in assessment_missing(
            assessment=assessment, answers=answers, tree=tree
        )
    ]
    totals = [
        (
            part["criterion"],
            part["points"],
            sum(1 for _i, a in part["items"] if a and a.self_points is not None),
            len(part["items"]),
        )
        for part in parts
    ]
    return {"criteria_set": tree, "parts": parts, "missing": missing, "totals": totals}


@login_required
@never_cache
def submit(request, pk):
    """What is still missing, then the submit button; POST submits."""
    assessment = selectors.assessment_for_user(request.user, pk)
    if not assessment.is_editable_by_subject:
        return redirect("assessments:overview", pk=pk)
    if request.method == "POST":
        try:
            assessment_submit(assessment=assessment, actor=request.user)
        except ValidationError as error:
            # A list of errors (what is still missing) has no code of its own.
            if getattr(error, "code", None) == "already_submitted":
                messages.info(request, error.messages[0])
                return redirect("assessments:overview", pk=pk)
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(
                request, _("Sent! Your branch will check it. You can follow its status here.")
            )
            return redirect("assessments:overview", pk=pk)
    context = _summary(assessment)
    context.update(
        assessment=assessment,
        subject=assessment.subject,
        closes_on=assessment.campaign.closes_on_for(assessment.area),
        accepting=assessment.campaign.is_accepting(assessment.area),
        on_behalf=is_on_behalf(assessment=assessment, actor=request.user),
    )
    return render(request, "assessments/public/submit.html", context)


@login_required
@never_cache
def overview(request, pk):
    """Status, totals, officers' comments and history of one assessment."""
    assessment = selectors.assessment_for_user(request.user, pk)
    context = _summary(assessment)
    context.update(
        assessment=assessment,
        subject=assessment.subject,
        events=selectors.assessment_history(assessment),
        on_behalf=is_on_behalf(assessment=assessment, actor=request.user),
        certificate=(
            own_certificate_of(request.user, assessment)
            if assessment.status == AssessmentStatus.RECOGNISED
            else None
        ),
    )
    return render(request, "assessments/public/overview.html", context)


@login_required
def evidence_download(request, pk):
    """An evidence file, after the permission check; never from a public media URL."""
    evidence = selectors.evidence_for_user(request.user, pk)
    if evidence.kind != Evidence.Kind.FILE or not evidence.file:
        raise Http404
    audit_evidence_download(request, evidence)
    return private_file_response(
        evidence.file,
        as_attachment=request.GET.get("view") != "1",
        filename=evidence.original_name or "evidence",
        content_type=evidence.content_type or "application/octet-stream",
    )
