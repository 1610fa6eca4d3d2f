"""The filters every report view and export takes (GET parameters, so a view can be shared)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessments.models.criteria import SubjectKind
from learning_units.models import TargetGroup


class ReportFilterForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, required=False)
    target_group = forms.TypedChoiceField(
        label=_("Target group"),
        choices=[("", _("All target groups")), *TargetGroup.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )
    subject_kind = forms.ChoiceField(
        label=_("Subject"), choices=SubjectKind.choices, required=False
    )

    def filters(self):
        """Clean values with their defaults (this year, every group, citizens)."""
        data = self.cleaned_data if self.is_valid() else {}
        subject_kind = data.get("subject_kind") or SubjectKind.CITIZEN
        return {
            "year": data.get("year") or timezone.localdate().year,
            # Target groups are those of citizens: ignored for collective titles.
            "target_group": data.get("target_group")
            if subject_kind == SubjectKind.CITIZEN
            else None,
            "subject_kind": subject_kind,
        }


class TableOptionsForm(forms.Form):
    """How the figures table is shown (GET parameters; anything malformed is ignored)."""

    q = forms.CharField(label=_("Find an area"), max_length=100, required=False)
    sort = forms.IntegerField(required=False, widget=forms.HiddenInput)
    empty = forms.BooleanField(label=_("Show areas without figures"), required=False)
    cols = forms.TypedMultipleChoiceField(
        label=_("Columns"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, columns, **kwargs):
        super().__init__(*args, **kwargs)
        self.column_count = len(columns)
        # The area's name is always shown: only the figures are chosen.
        self.fields["cols"].choices = [
            (number, column.label) for number, column in enumerate(columns, start=1)
        ][1:]

    def options(self):
        self.is_valid()  # a malformed field is dropped, the others still apply
        data = getattr(self, "cleaned_data", {})  # none when nothing was asked
        sort = data.get("sort")
        if sort is None or not 1 <= abs(sort) <= self.column_count:
            sort = None
        shown = set(data.get("cols") or range(2, self.column_count + 1))
        return {
            "query": data.get("q", ""),
            "sort": sort,
            "show_empty": bool(data.get("empty")),
            "shown": [1, *sorted(shown)],
        }
