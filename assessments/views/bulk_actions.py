"""Bulk actions of the officers' queue: verify, return, recognise under one decision.

Each is Wagtail's `BulkAction` over the rows the officer selected; every change goes through the
review services (`services.review`, `services.recognition`), and a refusal (`ReviewRefused`)
becomes a message with nothing lost from the form.
"""

from django import forms
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.functional import classproperty
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin import messages
from wagtail.admin.views.bulk_action import BulkAction

from learning_units.admin.labels import area_label
from learning_units.jurisdiction import is_officer
from learning_units.params import parse_id

from .. import selectors
from ..models import Assessment
from ..services.recognition import recognition_issue
from ..services.review import (
    ReviewRefused,
    assessment_return,
    assessment_verify_many,
    review_refusal,
)
from ..workflow import Action
from .review import points_label


class AssessmentBulkAction(BulkAction):
    """All selected or none: the selection must lie in the officer's subtree (else 404), and
    the service refuses the whole batch when one assessment cannot take the action."""

    review_action = None
    template_name = "assessments/review/bulk_confirm.html"
    action_button_text = None

    @classproperty
    def models(cls):
        return [Assessment]

    def get_queryset(self, model, object_ids):
        ids = [parse_id(str(value)) for value in object_ids]
        if None in ids:  # a malformed id or one beyond the database's integers: no such row
            raise Http404
        objects = list(
            selectors.assessment_queue(user=self.request.user).filter(pk__in=ids).order_by("pk")
        )
        if not objects or len(objects) != len(set(ids)):
            raise Http404
        return objects

    def dispatch(self, request, *args, **kwargs):
        if not is_officer(request.user):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def check_perm(self, obj):
        obj.refusal = review_refusal(
            user=self.request.user, assessment=obj, action=self.review_action
        )
        return obj.refusal is None

    def object_context(self, obj):
        return {
            "item": obj,
            "area": area_label(obj.area),
            "points": points_label(obj.score),
            "band": obj.band,
        }

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), **self.form_extra_kwargs()}

    def form_extra_kwargs(self):
        return {}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            header_icon="tasks",
            action_title=self.display_name,
            action_button_text=self.action_button_text,
            refusals=[item.refusal.message for item in context["items_with_no_access"]],
        )
        return context

    def form_valid(self, form):
        objects, no_access = self.get_actionable_objects()
        if no_access["items_with_no_access"]:
            form.add_error(
                None,
                _(
                    "Nothing was done: some selected assessments cannot take "
                    "this action (listed below)."
                ),
            )
            return self.form_invalid(form)
        try:
            count = self.run(objects, form.cleaned_data)
        except ReviewRefused as refusal:
            form.add_error(None, refusal.message)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message(count, form.cleaned_data))
        return redirect(self.next_url)


class VerifyBulkAction(AssessmentBulkAction):
    display_name = gettext_lazy("Verify")
    action_type = "verify"
    aria_label = gettext_lazy("Verify the selected assessments as claimed")
    action_priority = 10
    review_action = Action.VERIFY
    action_button_text = gettext_lazy("Yes, verify as claimed")

    def run(self, objects, data):
        return assessment_verify_many(assessments=objects, officer=self.request.user)

    def success_message(self, count, data):
        return _("%(count)s assessments verified.") % {"count": count}


class CommentForm(forms.Form):
    comment = forms.CharField(
        label=gettext_lazy("Comment to the citizens"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=gettext_lazy("Say what each of them should change; it is sent to them."),
    )


class ReturnBulkAction(AssessmentBulkAction):
    display_name = gettext_lazy("Return")
    action_type = "return"
    aria_label = gettext_lazy("Return the selected assessments with a comment")
    action_priority = 30
    review_action = Action.RETURN
    form_class = CommentForm
    action_button_text = gettext_lazy("Return them")

    def run(self, objects, data):
        return assessment_return(
            assessments=objects, officer=self.request.user, comment=data["comment"]
        )

    def success_message(self, count, data):
        return _("%(count)s assessments returned.") % {"count": count}


class ReadOnlyChoice(forms.Widget):
    """The only possible value, shown as text and sent by a hidden input.

    The text follows Wagtail's read-only field (panels/read_only_output.html): labelled by the
    field's label, focusable, announced as read-only. A crafted value still reaches the
    field's validation, and the page shown again carries the right one.
    """

    def __init__(self, value, text, attrs=None):
        super().__init__(attrs)
        self.value, self.text = value, text

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        element_id = attrs.get("id", "")
        return format_html(
            '<input type="hidden" name="{}" value="{}">'
            '<div class="w-field__textoutput" id="{}" role="textbox" tabindex="0" '
            'aria-readonly="true" aria-labelledby="{}-label"{}>{}</div>',
            name,
            self.value,
            element_id,
            element_id,
            format_html(' aria-describedby="{}"', attrs["aria-describedby"])
            if attrs.get("aria-describedby")
            else "",
            self.text,
        )


class IssuingAreaField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return area_label(obj)


class DecisionForm(forms.Form):
    number = forms.CharField(
        label=gettext_lazy("Decision number"),
        max_length=60,
        help_text=gettext_lazy("As on the signed decision, e.g. 12/QĐ-KH."),
    )
    decided_on = forms.DateField(
        label=gettext_lazy("Decision date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    signer = forms.CharField(label=gettext_lazy("Signed by"), max_length=120)
    issuing_area = IssuingAreaField(
        label=gettext_lazy("Issued by"),
        queryset=None,
        error_messages={
            "invalid_choice": gettext_lazy(
                "You cannot issue a decision for this area over the selected assessments: "
                "choose one of the areas offered."
            )
        },
    )

    def __init__(self, *args, user, assessments, **kwargs):
        """Only the areas the service will accept for this selection are offered
        (`selectors.decision_areas_for`); a single one is shown as text, already chosen."""
        super().__init__(*args, **kwargs)
        self.fields["decided_on"].initial = timezone.localdate()
        field = self.fields["issuing_area"]
        field.queryset = selectors.decision_areas_for(
            user=user, assessments=assessments
        ).select_related("parent")
        areas = list(field.queryset)
        if len(areas) == 1:
            field.initial = areas[0].pk
            field.widget = ReadOnlyChoice(areas[0].pk, area_label(areas[0]))
        elif not areas:
            field.help_text = _(
                "None of your areas holds all the selected assessments: recognise those of "
                "each area separately."
            )


class RecogniseBulkAction(AssessmentBulkAction):
    display_name = gettext_lazy("Recognise")
    action_type = "recognise"
    aria_label = gettext_lazy("Recognise the selected assessments under one decision")
    action_priority = 20
    review_action = Action.RECOGNISE
    form_class = DecisionForm
    action_button_text = gettext_lazy("Recognise under this decision")

    def get_actionable_objects(self):
        """Read once per request: the form's areas depend on the selection too."""
        if not hasattr(self, "_actionable"):
            self._actionable = super().get_actionable_objects()
        return self._actionable

    def form_extra_kwargs(self):
        return {"user": self.request.user, "assessments": self.get_actionable_objects()[0]}

    def run(self, objects, data):
        recognition_issue(assessments=objects, officer=self.request.user, **data)
        return len(objects)

    def success_message(self, count, data):
        return _("%(count)s recognised under decision %(number)s.") % {
            "count": count,
            "number": data["number"],
        }


BULK_ACTIONS = [VerifyBulkAction, RecogniseBulkAction, ReturnBulkAction]
