"""Public self-assessment form: one step (criterion) of an assessment.

The form only carries what was typed; the rules (bounds of points, evidence types and sizes,
URL schemes, whose course) live in `assessments.services`, which report errors that the view
puts back on the matching fields. So one rule has one place, and the admin will share it.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from .uploads import EXTENSIONS

ACCEPT = ",".join([*EXTENSIONS, *sorted(set(EXTENSIONS.values()))])


def plain_points(value):
    """Decimal points as an <input type=number> value: 10.00 → "10", 7.50 → "7.5"."""
    if value is None:
        return ""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


class StepForm(forms.Form):
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, indicators, answers, courses, computed_ids, **kwargs):
        self.indicators = indicators
        self.computed_ids = computed_ids
        self.course_ids = {str(course.pk): course for course in courses}
        initial = kwargs.setdefault("initial", {})
        for indicator in indicators:
            answer = answers.get(indicator.pk)
            if answer is not None:
                initial[f"points_{indicator.pk}"] = plain_points(answer.self_points)
                initial[f"note_{indicator.pk}"] = answer.note
        super().__init__(*args, **kwargs)
        course_choices = [("", _("— choose a course you completed —"))] + [
            (str(course.pk), str(course)) for course in courses
        ]
        for indicator in indicators:
            pk = indicator.pk
            computed = pk in computed_ids
            self.fields[f"points_{pk}"] = forms.CharField(
                label=_("Points you claim"),
                required=False,
                disabled=computed,
                help_text=_("From 0 to %(max)s") % {"max": plain_points(indicator.max_points)},
                widget=forms.NumberInput(
                    attrs={
                        "min": 0,
                        "max": plain_points(indicator.max_points),
                        "step": "any",
                        "inputmode": "decimal",
                        "class": "points-input",
                        "data-points": "",
                        "form": "step-form",
                    }
                ),
            )
            if computed:
                continue
            self.fields[f"note_{pk}"] = forms.CharField(
                label=_("What you did (optional)"),
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2, "form": "step-form"}),
            )
            self.fields[f"file_{pk}"] = forms.FileField(
                label=_("A photo or a PDF"),
                required=False,
                help_text=_("PDF, JPG or PNG"),
                widget=forms.ClearableFileInput(attrs={"accept": ACCEPT, "form": "step-form"}),
            )
            self.fields[f"url_{pk}"] = forms.CharField(
                label=_("Or a link (web address)"),
                required=False,
                widget=forms.URLInput(
                    attrs={"placeholder": "https://", "inputmode": "url", "form": "step-form"}
                ),
            )
            if courses:
                self.fields[f"course_{pk}"] = forms.ChoiceField(
                    label=_("Or a course you completed"),
                    required=False,
                    choices=course_choices,
                    widget=forms.Select(attrs={"form": "step-form"}),
                )

    def answers(self):
        """{indicator id: (points as typed, note)} for the indicators a person fills in."""
        return {
            indicator.pk: (
                self.data.get(f"points_{indicator.pk}", ""),
                self.data.get(f"note_{indicator.pk}", ""),
            )
            for indicator in self.indicators
            if indicator.pk not in self.computed_ids
        }

    def evidence_requests(self):
        """(indicator id, kind, value) for every file, link or course filled in."""
        requests = []
        for indicator in self.indicators:
            pk = indicator.pk
            if pk in self.computed_ids:
                continue
            if self.files.get(f"file_{pk}"):
                requests.append((pk, "file", self.files[f"file_{pk}"]))
            if self.data.get(f"url_{pk}", "").strip():
                requests.append((pk, "url", self.data[f"url_{pk}"]))
            if self.data.get(f"course_{pk}"):
                requests.append((pk, "course", self.data[f"course_{pk}"]))
        return requests

    def show_revision(self, revision):
        """After a stale save: keep what was typed but send the current revision next time."""
        self.data = self.data.copy()
        self.data["revision"] = revision
