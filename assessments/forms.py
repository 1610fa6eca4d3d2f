"""Admin forms: whole-tree checks on top of Wagtail's cluster forms, compare and import forms."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.forms.models import register_form_field_override

from learning_units.form_mixins import CleanTextMixin, CompleteFormsetsMixin

from .models import CriteriaSet
from .models.criteria import TRANSLATED_FIELDS, TRANSLATION_LANGUAGE
from .rules import campaign_problems, criteria_set_problems


class CriteriaSetChoiceField(forms.ModelChoiceField):
    """Short labels: a set's whole title would widen the select past the admin page."""

    def label_from_instance(self, obj):
        return f"{obj.code} v{obj.version} – {Truncator(obj.title).chars(40)}"


register_form_field_override(
    models.ForeignKey, to=CriteriaSet, override={"form_class": CriteriaSetChoiceField}
)


def live_rows(formset):
    """Cleaned data of the rows that are kept (filled in and not marked for deletion)."""
    return [
        form.cleaned_data
        for form in formset.forms
        if form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]


class CriteriaSetAdminForm(CompleteFormsetsMixin, CleanTextMixin, WagtailAdminModelForm):
    """Checks the totals, minimums and bands of the whole tree as edited, before anything saves."""

    def clean(self):
        cleaned_data = super().clean()
        if self.instance.pk and self.instance.is_frozen:
            raise ValidationError(
                _("This set is used by assessments and can no longer be changed.")
            )
        self._check_still_published(cleaned_data)
        if self.errors or not all(formset.is_valid() for formset in self.formsets.values()):
            return cleaned_data
        data = {
            "total_points": cleaned_data["total_points"],
            "pass_mark": cleaned_data["pass_mark"],
            "rating_bands": live_rows(self.formsets["rating_bands"]),
            "criteria": [
                {**row, "indicators": live_rows(form.formsets["indicators"])}
                for form in self.formsets["criteria"].forms
                if (row := form.cleaned_data) and not row.get("DELETE")
            ],
        }
        for problem in criteria_set_problems(data):
            self.add_error(None, problem.message)
        return cleaned_data

    def _check_still_published(self, cleaned_data):
        if (
            self.instance.pk
            and cleaned_data.get("status") == CriteriaSet.Status.DRAFT
            and self.instance.campaign_uses.exists()
        ):
            self.add_error(
                "status",
                _("Campaigns use this set, so it stays published; make a new version instead."),
            )


class CampaignAdminForm(CompleteFormsetsMixin, CleanTextMixin, WagtailAdminModelForm):
    def clean(self):
        cleaned_data = super().clean()
        if not all(formset.is_valid() for formset in self.formsets.values()):
            return cleaned_data
        campaign = self.instance
        for name in ("year", "scope", "subject_kind", "opens_on", "status"):
            if name in cleaned_data:
                setattr(campaign, name, cleaned_data[name])
        problems = campaign_problems(
            campaign=campaign,
            assignments=[
                (row["target_group"], row["criteria_set"])
                for row in live_rows(self.formsets["assigned_sets"])
            ],
            deadlines=[
                (row["province"], row["closes_on"])
                for row in live_rows(self.formsets["province_deadlines"])
            ],
        )
        for problem in problems:
            self.add_error(None, problem.message)
        return cleaned_data


class CompareForm(forms.Form):
    """Two versions of one set; the choices are that code's versions."""

    old = forms.ModelChoiceField(queryset=CriteriaSet.objects.none(), label=gettext_lazy("From"))
    new = forms.ModelChoiceField(queryset=CriteriaSet.objects.none(), label=gettext_lazy("To"))

    def __init__(self, *args, code, **kwargs):
        super().__init__(*args, **kwargs)
        versions = CriteriaSet.objects.filter(code=code).order_by("version")
        for name in ("old", "new"):
            self.fields[name].queryset = versions
            self.fields[name].label_from_instance = lambda item: (
                _("Version %(version)s (%(status)s)")
                % {
                    "version": item.version,
                    "status": item.get_status_display().lower(),
                }
            )


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Criteria set file"),
        help_text=gettext_lazy("An .xlsx workbook exported from here, or a .json file."),
    )


class CriteriaSetTranslationForm(CleanTextMixin, forms.Form):
    """The English text of a set, frozen or not: one field per English twin of the set, its
    bands, criteria and indicators (`models.criteria.TRANSLATED_FIELDS`), each shown beside its
    Vietnamese text. `items`: (object, [(field name, Vietnamese text)]) in the set's order."""

    template_name = "assessments/admin/includes/translation_form.html"

    def __init__(self, *args, criteria_set, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = []
        for item in _translatable(criteria_set):
            rows = []
            for name in TRANSLATED_FIELDS[item._meta.model_name]:
                english = f"{name}_{TRANSLATION_LANGUAGE}"
                key = f"{item._meta.model_name}-{item.pk}-{english}"
                model_field = item._meta.get_field(english)
                self.fields[key] = forms.CharField(
                    label=model_field.verbose_name,
                    required=False,
                    max_length=model_field.max_length,
                    initial=getattr(item, english),
                    widget=(
                        forms.Textarea(attrs={"rows": 3})
                        if isinstance(model_field, models.TextField)
                        else forms.TextInput
                    ),
                )
                rows.append((key, getattr(item, name)))
            self.items.append((item, rows))

    def texts(self):
        """{object: {English field: text}}, for `services.criteria.criteria_set_translate`."""
        return {
            item: {key.rsplit("-", 1)[1]: self.cleaned_data[key].strip() for key, _text in rows}
            for item, rows in self.items
        }

    def shown(self):
        """(heading, [(bound field, Vietnamese text)]) per object, for the template."""
        return [
            (_heading(item), [(self[key], text) for key, text in rows]) for item, rows in self.items
        ]


def _heading(item):
    kind = capfirst(item._meta.verbose_name)
    if isinstance(item, CriteriaSet):
        return kind
    return f"{kind} {item.code if hasattr(item, 'code') else item.label}"


def _translatable(criteria_set):
    yield criteria_set
    yield from criteria_set.rating_bands.all()
    for criterion in criteria_set.criteria.all():
        yield criterion
        yield from criterion.indicators.all()
