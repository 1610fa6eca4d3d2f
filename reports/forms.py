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
