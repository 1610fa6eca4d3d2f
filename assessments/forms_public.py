"""Public self-assessment form: one step (criterion) of an assessment.

The form only carries what was typed; the rules (bounds of points, evidence types and sizes,
URL schemes, whose course) live in `assessments.services`, which report errors that the view
puts back on the matching fields. So one rule has one place, and the admin will share it.
"""

from django import forms
from django.utils.translation import gettext

from .rules import format_points
from .uploads import EXTENSIONS

# The project's field group (label, widget, help, errors) for `{{ field.as_field_group }}`.
FIELD_TEMPLATE = "learning_units/includes/field.html"
ACCEPT = ",".join([*EXTENSIONS, *sorted(set(EXTENSIONS.values()))])


def plain_points(value):
    """Decimal points as an <input type=number> value: 10.00 → "10", 7.50 → "7.5"."""
    if value is None:
        return ""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _field(field_class, widget_class, attrs, **kwargs):
    """An optional field of the step page, shown with the project's field group
    (`{{ field.as_field_group }}`). Its widget is made for it: a widget instance passed in
    would be deep-copied, twenty times a page."""
    field = field_class(widget=widget_class, required=False, template_name=FIELD_TEMPLATE, **kwargs)
    field.widget.attrs.update(attrs)
    return field


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
                # In the reader's format ("7,5" in Vietnamese); a comma or a dot is read back
                # (scoring.parse_points), so the field is text, not type=number, whose
                # decimal mark depends on the browser rather than on the page's language.
                initial[f"points_{indicator.pk}"] = (
                    "" if answer.self_points is None else format_points(answer.self_points)
                )
                initial[f"note_{indicator.pk}"] = answer.note
        super().__init__(*args, **kwargs)
        course_choices = [("", gettext("— choose a course you completed —"))] + [
            (str(course.pk), str(course)) for course in courses
        ]
        # Translated once for the form, not per field and again at every use (lazy text).
        text = {
            "points": gettext("Points you claim"),
            "points_help": gettext("From 0 to %(max)s"),
            "note": gettext("What you did (optional)"),
            "file": gettext("A photo or a PDF"),
            "file_help": gettext("PDF, JPG or PNG"),
            "url": gettext("Or a link (web address)"),
            "course": gettext("Or a course you completed"),
        }
        # A field holds nothing per name (the form keeps values and errors by name), so the
        # indicators share them: one field of each kind per form, not five per indicator.
        shared = {
            "note": _field(
                forms.CharField,
                forms.Textarea,
                {"rows": 2, "form": "step-form"},
                label=text["note"],
                max_length=2000,
            ),
            "file": _field(
                forms.FileField,
                forms.ClearableFileInput,
                {"accept": ACCEPT, "form": "step-form"},
                label=text["file"],
                help_text=text["file_help"],
            ),
            "url": _field(
                forms.CharField,
                forms.URLInput,
                {"placeholder": "https://", "inputmode": "url", "form": "step-form"},
                label=text["url"],
            ),
        }
        if courses:
            shared["course"] = _field(
                forms.ChoiceField,
                forms.Select,
                {"form": "step-form"},
                label=text["course"],
                choices=course_choices,
            )
        points_fields = {}  # by (maximum, computed)
        for indicator in indicators:
            pk = indicator.pk
            computed = pk in computed_ids
            most = format_points(indicator.max_points)
            if (most, computed) not in points_fields:
                points_fields[most, computed] = _field(
                    forms.CharField,
                    forms.TextInput,
                    {"inputmode": "decimal", "autocomplete": "off", "maxlength": 12}
                    | {"class": "points-input", "data-points": "", "form": "step-form"},
                    label=text["points"],
                    disabled=computed,
                    help_text=text["points_help"] % {"max": most},
                )
            self.fields[f"points_{pk}"] = points_fields[most, computed]
            if computed:
                continue
            for name, field in shared.items():
                self.fields[f"{name}_{pk}"] = field

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
            # Without completed courses there is no course field, and nothing to choose.
            if f"course_{pk}" in self.fields and self.data.get(f"course_{pk}"):
                requests.append((pk, "course", self.data[f"course_{pk}"]))
        return requests

    def show_revision(self, revision):
        """After a stale save: keep what was typed but send the current revision next time."""
        self.data = self.data.copy()
        self.data["revision"] = revision
