"""Bulk actions of the officers' queue: verify, return, recognise under one decision.

Each is Wagtail's `BulkAction` over the rows the officer selected; every change goes through the
review services (`services.review`, `services.recognition`), and a refusal (`ReviewRefused`)
becomes a message with nothing lost from the form.
"""

import hashlib

from django import forms
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.functional import cached_property, classproperty
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin import messages
from wagtail.admin.views.bulk_action import BulkAction
from wagtail.admin.widgets import AdminDateInput

from learning_units.admin.labels import area_label
from learning_units.collation import CollatedModelChoiceField
from learning_units.jurisdiction import is_officer
from learning_units.params import parse_id

from .. import selectors
from ..conf import setting
from ..filters import queue_matching
from ..models import Assessment
from ..services.recognition import recognition_issue
from ..services.review import (
    ReviewRefused,
    assessment_return,
    assessment_verify_many,
    review_refusal,
)
from ..workflow import Action
from .queue import points_label


def selection_key(objects):
    """A short fingerprint of the rows and their statuses, carried by the confirmation form."""
    text = ",".join(f"{item.pk}:{item.status}" for item in objects)
    return hashlib.sha256(text.encode()).hexdigest()[:24]


class SelectionForm(forms.Form):
    """What “select all matching” covered when the page was shown: if the rows matching the
    filters change before the officer confirms, nothing is done and the new list is shown."""

    selection = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)


class AssessmentBulkAction(BulkAction):
    """All selected or none: the selection must lie in the officer's subtree (else 404), and
    the service refuses the whole batch when one assessment cannot take the action.

    The selection is the rows ticked (``id=…``) or, with ``id=all``, every row of the queue
    under the same filters and search across all pages (`filters.queue_matching`), up to
    `BULK_SELECT_ALL_MAX_ROWS`.
    """

    review_action = None
    template_name = "assessments/review/bulk_confirm.html"
    action_button_text = None
    form_class = SelectionForm
    shown_rows = 200  # the confirmation lists this many names, then counts the rest

    @classproperty
    def models(cls):
        return [Assessment]

    @cached_property
    def selects_all(self):
        return "all" in self.request.GET.getlist("id")

    def get_all_objects_in_listing_query(self, parent_id):
        return list(queue_matching(self.request).order_by("pk").values_list("pk", flat=True))

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

    def get_actionable_objects(self):
        """Read once per request: the form depends on the selection too."""
        if not hasattr(self, "_actionable"):
            self._actionable = super().get_actionable_objects()
        return self._actionable

    def dispatch(self, request, *args, **kwargs):
        if not is_officer(request.user):
            raise Http404
        limit = setting("BULK_SELECT_ALL_MAX_ROWS")
        if self.selects_all and (count := queue_matching(request).count()) > limit:
            messages.error(
                request,
                _(
                    "%(count)s assessments match these filters: at most %(limit)s can be "
                    "selected at once. Narrow the list (area, status, year) and select again."
                )
                % {
                    "count": number_format(count, force_grouping=True),
                    "limit": number_format(limit, force_grouping=True),
                },
            )
            return redirect(self.next_url)
        return super().dispatch(request, *args, **kwargs)

    def current_selection_key(self):
        objects, no_access = self.get_actionable_objects()
        return selection_key([*objects, *no_access["items_with_no_access"]])

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
        kwargs = {**super().get_form_kwargs(), **self.form_extra_kwargs()}
        kwargs["initial"] = {**kwargs.get("initial", {}), "selection": self.current_selection_key()}
        return kwargs

    def form_extra_kwargs(self):
        return {}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            header_icon="tasks",
            action_title=self.display_name,
            action_button_text=self.action_button_text,
            refusals=[item.refusal.message for item in context["items_with_no_access"]],
            selects_all=self.selects_all,
            shown_items=context["items"][: self.shown_rows],
            more_items=max(0, len(context["items"]) - self.shown_rows),
        )
        return context

    def selection_changed(self, form):
        """With “select all matching”, the rows confirmed must be the rows acted on."""
        key = self.current_selection_key()
        if not self.selects_all or form.cleaned_data.get("selection") == key:
            return None
        data = self.request.POST.copy()
        data["selection"] = key
        fresh = self.get_form_class()(data=data, **self.form_extra_kwargs())
        fresh.is_valid()
        fresh.add_error(
            None,
            _(
                "The assessments matching your filters changed since this page was shown: "
                "nothing was done. Check the list below and confirm again."
            ),
        )
        return self.form_invalid(fresh)

    def form_valid(self, form):
        if (changed := self.selection_changed(form)) is not None:
            return changed
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


class CommentForm(SelectionForm):
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


class IssuingAreaField(CollatedModelChoiceField):
    def label_from_instance(self, obj):
        return area_label(obj)


DECISION_DATE_FORMAT = "%d/%m/%Y"


class DecisionForm(SelectionForm):
    number = forms.CharField(
        label=gettext_lazy("Decision number"),
        max_length=60,
        help_text=gettext_lazy("As on the signed decision, e.g. 12/QĐ-KH."),
    )
    decided_on = forms.DateField(
        label=gettext_lazy("Decision date"),
        # Day/month/year whatever the browser's language (a native date input follows it):
        # Wagtail's date picker with a fixed format, a plain text field without JavaScript.
        input_formats=[DECISION_DATE_FORMAT, "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"],
        widget=AdminDateInput(
            format=DECISION_DATE_FORMAT, attrs={"placeholder": gettext_lazy("dd/mm/yyyy")}
        ),
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

    def form_extra_kwargs(self):
        return {"user": self.request.user, "assessments": self.get_actionable_objects()[0]}

    def run(self, objects, data):
        fields = ("number", "decided_on", "signer", "issuing_area")
        self.decision = recognition_issue(
            assessments=objects, officer=self.request.user, **{key: data[key] for key in fields}
        )
        return len(objects)

    def success_message(self, count, data):
        total = self.decision.recognitions.count()
        if total == count:
            return _("%(count)s recognised under decision %(number)s.") % {
                "count": count,
                "number": data["number"],
            }
        return _(
            "%(count)s added to decision %(number)s, which now recognises %(total)s. Close it "
            "under “Certificates and dossiers” once everyone it names is recorded."
        ) % {"count": count, "number": data["number"], "total": total}


BULK_ACTIONS = [VerifyBulkAction, RecogniseBulkAction, ReturnBulkAction]
