"""Views of the officers' review admin: the review screen and evidence (the queue is in
`queue`, the bulk actions in `bulk_actions`).

Thin by design: rows come from `selectors` (scoped to the officer's subtree), every change goes
through a service (`assessment_verify`, `assessment_return`, `recognition_issue`, …), and a
refusal (`services.review.ReviewRefused`) becomes a message with nothing lost from the form.
"""

from django.http import Http404, QueryDict
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.auth import require_admin_access
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from learning_units.admin.labels import area_label
from learning_units.jurisdiction import is_officer
from learning_units.params import parse_id

from .. import selectors, workflow
from ..audit_hooks import audit_evidence_download
from ..filters import queue_matching
from ..models import Assessment, Evidence
from ..private_files import private_file_response
from ..rules import format_points
from ..services.recognition import recognition_revoke
from ..services.review import (
    ReviewRefused,
    assessment_reject,
    assessment_return,
    assessment_verify,
    review_refusal,
)
from ..workflow import Action
from .queue import BACK_PARAM, NOT_KEPT, points_label, status_label

INLINE_TYPES = {"application/pdf", "image/jpeg", "image/png"}


def entered(post, prefix, indicator_id, default):
    """What the officer typed (kept on a refusal), else the stored value."""
    return post.get(f"{prefix}-{indicator_id}", default)


class AssessmentReviewView(WagtailAdminTemplateMixin, TemplateView):
    """The citizen's answers beside the criteria, evidence inline, the officer's points, the
    totals and the history; one form per possible action. After an action the next
    assessment of the same queue opens, so a round goes quickly from the keyboard."""

    template_name = "assessments/review/review.html"
    header_icon = "tasks"
    index_url_name = None
    http_method_names = ["get", "post"]
    _show_breadcrumbs = True

    def dispatch(self, request, pk, **kwargs):
        if not is_officer(request.user):
            raise Http404
        self.object = selectors.assessment_for_review(user=request.user, pk=pk)
        return super().dispatch(request, pk, **kwargs)

    def get_page_title(self):
        return _("Review")

    def get_page_subtitle(self):
        return str(self.object.subject)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": self.queue_url(), "label": _("Assessments")},
            {"url": "", "label": str(self.object.subject)},
        ]

    @cached_property
    def back_params(self):
        """The query string of the queue the officer came from, parsed (empty if none)."""
        params = QueryDict(self.request.GET.get(BACK_PARAM, "")[:2000], mutable=True)
        for name in NOT_KEPT:
            params.pop(name, None)
        return params

    def queue_url(self, status=None):
        url = reverse(self.index_url_name)
        if self.back_params:
            return f"{url}?{self.back_params.urlencode()}"
        return f"{url}?{urlencode({'status': status or self.object.status})}"

    def review_url(self, pk):
        url = reverse(self.request.resolver_match.view_name, args=[pk])
        if not self.back_params:
            return url
        return f"{url}?{urlencode({BACK_PARAM: self.back_params.urlencode()})}"

    def allowed_actions(self):
        return {
            action: review_refusal(user=self.request.user, assessment=self.object, action=action)
            for action in workflow.REVIEW_ACTIONS
        }

    def criteria_rows(self, post):
        assessment = self.object
        rows = []
        for criterion in sorted(assessment.tree.criteria.all(), key=lambda c: c.sort_order or 0):
            indicators = []
            for indicator in criterion.indicators.all():
                answer = assessment.answer_by_indicator.get(indicator.pk)
                claimed = answer.self_points if answer else None
                verified = answer.verified_points if answer else None
                start = verified if verified is not None else claimed
                indicators.append(
                    {
                        "indicator": indicator,
                        "answer": answer,
                        "claimed": points_label(claimed),
                        "verified": points_label(verified),
                        "changed": verified is not None and verified != (claimed or 0),
                        "evidence": list(answer.evidence.all()) if answer else [],
                        "points_value": entered(
                            post, "points", indicator.pk, format_points(start or 0)
                        ),
                        "comment_value": entered(
                            post, "comment", indicator.pk, answer.officer_comment if answer else ""
                        ),
                    }
                )
            rows.append({"criterion": criterion, "indicators": indicators})
        return rows

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        assessment = self.object
        post = self.request.POST if self.request.method == "POST" else {}
        refusals = self.allowed_actions()
        recognition = getattr(assessment, "recognition", None)
        context.update(
            assessment=assessment,
            subject=assessment.subject,
            area_name=area_label(assessment.area),
            criteria_rows=self.criteria_rows(post),
            criteria_set=assessment.tree,
            self_total=points_label(assessment.self_total),
            verified_total=points_label(assessment.verified_total),
            pass_mark=format_points(assessment.tree.pass_mark),
            bands=assessment.tree.rating_bands.all(),
            status_label=status_label(assessment),
            recognition=recognition,
            history=assessment.history,
            can={action: refusal is None for action, refusal in refusals.items()},
            why_not=[
                refusal.message
                for refusal in refusals.values()
                if refusal is not None and refusal.code == "wrong_role"
            ][:1],
            comment_value=post.get("comment", ""),
            queue_url=self.queue_url(),
            recognise_url=reverse(
                "wagtail_bulk_action", args=["assessments", "assessment", "recognise"]
            )
            + "?"
            + urlencode({"id": assessment.pk, "next": self.queue_url()}),
            evidence_url_name="assessment_review:evidence",
            inline_types=INLINE_TYPES,
        )
        return context

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action")
        assessment = self.object
        status_before = assessment.status
        comment = request.POST.get("comment", "")
        try:
            if action == Action.VERIFY:
                points, comments = self.entered_points()
                result = assessment_verify(
                    assessment=assessment,
                    officer=request.user,
                    points=points,
                    comments=comments,
                    comment=comment,
                )
                done = _("“%(subject)s” verified: %(points)s points.") % {
                    "subject": assessment.subject,
                    "points": format_points(result.total),
                }
            elif action == Action.RETURN:
                assessment_return(assessments=[assessment], officer=request.user, comment=comment)
                done = _("“%(subject)s” returned to the citizen.") % {"subject": assessment.subject}
            elif action == Action.REJECT:
                assessment_reject(assessments=[assessment], officer=request.user, reason=comment)
                done = _("“%(subject)s” rejected.") % {"subject": assessment.subject}
            elif action == Action.REVOKE and getattr(assessment, "recognition", None):
                recognition_revoke(
                    recognition=assessment.recognition, officer=request.user, reason=comment
                )
                done = _("The recognition of “%(subject)s” was revoked.") % {
                    "subject": assessment.subject
                }
            else:
                raise ReviewRefused(_("Choose an action."), code="wrong_status")
        except ReviewRefused as refusal:
            messages.error(request, refusal.message)
            return self.render_to_response(self.get_context_data(), status=409)
        messages.success(request, done)
        next_pk = selectors.next_in_queue(
            user=request.user,
            assessment=Assessment(pk=assessment.pk, status=status_before),
            within=queue_matching(request, self.back_params) if self.back_params else None,
        )
        if next_pk and action != Action.REVOKE:
            return redirect(self.review_url(next_pk))
        return redirect(self.queue_url(status_before))

    def entered_points(self):
        points, comments = {}, {}
        for key, value in self.request.POST.items():
            name, _sep, indicator_id = key.partition("-")
            indicator_id = parse_id(indicator_id)
            if indicator_id is None:
                continue
            if name == "points":
                points[indicator_id] = value
            elif name == "comment":
                comments[indicator_id] = value
        return points, comments


@require_GET
@require_admin_access
@xframe_options_sameorigin  # PDFs open in a frame of the review screen
def evidence_file(request, pk):
    """An evidence file, for officers of its area only (private storage, never a media URL)."""
    if not is_officer(request.user):
        raise Http404
    evidence = selectors.evidence_for_officer(request.user, pk)
    if evidence.kind != Evidence.Kind.FILE or not evidence.file:
        raise Http404
    inline = evidence.content_type in INLINE_TYPES
    audit_evidence_download(request, evidence)
    return private_file_response(
        evidence.file,
        as_attachment=not inline,
        filename=evidence.original_name or "evidence",
        content_type=evidence.content_type if inline else "application/octet-stream",
    )


# --- Bulk actions (Wagtail's bulk action framework: checkboxes, footer, confirmation). ---
