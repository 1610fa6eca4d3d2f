"""Forms of the officer admin. Every foreign-key choice is limited to the officer's subtree
(with the same selectors as the listings), so a crafted POST cannot place a row elsewhere.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.forms.auth import PasswordResetForm

from . import citizen_id as cid
from . import jurisdiction, selectors
from .admin.choosers import CitizenMultipleChooser, citizen_chooser_viewset
from .admin.labels import area_label
from .collation import CollatedModelChoiceField
from .form_mixins import CleanTextMixin, ThrottledPasswordResetMixin
from .models import Area, AreaLevel, Citizen, LearningUnit, OfficerRole
from .params import parse_id


class AreaChoiceField(CollatedModelChoiceField):
    def label_from_instance(self, obj):
        return area_label(obj)


class IdsChoiceField(forms.ModelMultipleChoiceField):
    """Posted ids that are no database ids ("abc", one beyond 64 bits) are an invalid choice;
    Django's own check lets a huge number reach `pk__in`, a server error on SQLite (issue 18)."""

    def _check_values(self, value):
        for pk in value if isinstance(value, list | tuple) else ():
            if parse_id(str(pk)) is None:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        full_name = obj.get_full_name()
        return f"{obj.get_username()} — {full_name}" if full_name else obj.get_username()


def in_scope_or_current(scope, current_pk):
    """The scoped choices plus the value a row already holds (set by an officer above)."""
    if current_pk is None:
        return scope
    return scope.model._default_manager.filter(Q(pk__in=scope.values("pk")) | Q(pk=current_pk))


class CitizenAdminForm(CleanTextMixin, WagtailAdminModelForm):
    citizen_id = forms.CharField(
        label=capfirst(Citizen._meta.get_field("citizen_id").verbose_name),
        help_text=Citizen._meta.get_field("citizen_id").help_text,
        max_length=20,  # people type spaces and dots inside the number; they are removed
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    consent = forms.BooleanField(
        label=_("The citizen consented to the processing of their personal data"),
        required=False,
    )

    class Meta:
        model = Citizen
        fields = [
            "citizen_id",
            "full_name",
            "gender",
            "birth_year",
            "area",
            "target_group",
            "occupation",
            "workplace",
            "ethnicity",
            "religion",
            "phone",
            "email",
            "listing_opt_out",
        ]
        field_classes = {"area": AreaChoiceField}
        error_messages = {
            "citizen_id": {
                "unique": _(
                    "This citizen ID is already registered, perhaps in another area. Search "
                    "for it, or ask the province officer to move the record."
                )
            }
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        self.fields["birth_year"].min_value = 1900
        self.fields["birth_year"].widget.attrs.update(min=1900, max=timezone.localdate().year)
        self.fields["area"].queryset = selectors.citizen_area_choices(user)
        self.fields["workplace"].queryset = in_scope_or_current(
            selectors.learning_unit_choices(user, kind=LearningUnit.Kind.ORGANISATION),
            self.instance.workplace_id,
        )
        self.fields["consent"].initial = bool(self.instance.consent_at)

    def clean_citizen_id(self):
        """The number's own structure here; the model's clean cross-checks gender and year."""
        return cid.validate_citizen_id(self.cleaned_data["citizen_id"])

    def _update_errors(self, errors):
        # When the form already said what is wrong with the number, the model's re-check of the
        # unchanged instance would only repeat it in other words.
        if "citizen_id" in self._errors and hasattr(errors, "error_dict"):
            errors.error_dict.pop("citizen_id", None)
        super()._update_errors(errors)

    def clean_birth_year(self):
        year = self.cleaned_data["birth_year"]
        if year > timezone.localdate().year:
            raise ValidationError(_("The birth year cannot be in the future."))
        return year

    def save(self, commit=True):
        if not self.cleaned_data.get("consent"):
            self.instance.consent_at = None
        elif not self.instance.consent_at:
            self.instance.consent_at = timezone.now()
        return super().save(commit)


class AreaAdminForm(CleanTextMixin, WagtailAdminModelForm):
    """Officers add residential areas and agency branches under a commune of their subtree;
    the official levels and the history fields are the superuser's."""

    OFFICIAL_ONLY_FIELDS = ["level", "former_district", "former_province"]

    class Meta:
        model = Area
        fields = [
            "level",
            "parent",
            "code",
            "name",
            "division_type",
            "is_agency_branch",
            "contact_email",
            "former_district",
            "former_province",
            "is_active",
        ]
        field_classes = {"parent": AreaChoiceField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        self.fields["parent"].queryset = selectors.parent_area_choices(user)
        if not user.is_superuser:
            for name in self.OFFICIAL_ONLY_FIELDS:
                del self.fields[name]
            self.instance.level = AreaLevel.RESIDENTIAL
            self.fields["parent"].required = True
            self.fields["parent"].label = _("Commune")
            self.fields["code"].help_text = _(
                "Unique among residential areas across the country: start it with the "
                "commune code, e.g. 10999-T03."
            )

    def clean(self):
        cleaned_data = super().clean()
        code = cleaned_data.get("code")
        level = cleaned_data.get("level", self.instance.level)
        if (
            code
            and level is not None
            and Area.objects.filter(level=level, code=code).exclude(pk=self.instance.pk).exists()
        ):
            self.add_error("code", _("Another area of this level already uses this code."))
        return cleaned_data


class LearningUnitAdminForm(CleanTextMixin, WagtailAdminModelForm):
    """Head and members are chosen among the citizens of the officer's subtree (a searchable,
    paginated chooser). Members from outside it, added by an officer above, are kept."""

    class Meta:
        model = LearningUnit
        fields = ["kind", "name", "code", "area", "head", "members"]
        field_classes = {"area": AreaChoiceField, "members": IdsChoiceField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        citizens = selectors.citizens_for_officer(user)
        self.fields["area"].queryset = selectors.citizen_area_choices(user)
        self.fields["head"].queryset = in_scope_or_current(citizens, self.instance.head_id)
        self.fields["head"].widget = citizen_chooser_viewset.widget_class()
        self.fields["members"].queryset = citizens
        self.fields["members"].widget = CitizenMultipleChooser()
        self.members_outside = []
        if self.instance.pk:
            self.members_outside = list(
                self.instance.members.exclude(pk__in=citizens.values("pk")).values_list(
                    "pk", flat=True
                )
            )
            self.initial["members"] = list(
                self.instance.members.filter(pk__in=citizens.values("pk")).values_list(
                    "pk", flat=True
                )
            )
        if self.members_outside:
            self.fields["members"].help_text = _(
                "%(count)s members from outside your area are kept unchanged."
            ) % {"count": len(self.members_outside)}

    def clean_members(self):
        chosen = self.cleaned_data["members"]
        if not self.members_outside:
            return chosen
        return Citizen.objects.filter(
            Q(pk__in=chosen.values("pk")) | Q(pk__in=self.members_outside)
        )


class OfficerRoleAdminForm(WagtailAdminModelForm):
    """An officer grants roles over areas of their subtree, never above their own level, to
    users known in it (a new officer is registered as a citizen first)."""

    class Meta:
        model = OfficerRole
        fields = ["user", "area", "role"]
        field_classes = {"user": UserChoiceField, "area": AreaChoiceField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        self.fields["user"].queryset = selectors.users_for_officer(user)
        if not user.is_superuser:
            self.fields["user"].help_text = _(
                "People with a login who are citizens or officers of your area. To make someone "
                "new an officer, register them as a citizen and create their login first."
            )
        self.fields["area"].queryset = (
            selectors.areas_for_officer(user)
            .filter(is_active=True)
            .select_related("parent")
            .order_by("path")
        )
        top_level = jurisdiction.top_level(user)
        self.fields["role"].choices = [("", "---------")] + [
            (role.value, role.label)
            for role in OfficerRole.Role
            if top_level is not None and jurisdiction.ROLE_LEVELS[role] >= top_level
        ]


class AdminPasswordResetForm(ThrottledPasswordResetMixin, PasswordResetForm):
    """The admin's "forgotten password" form, with the same mail limits as the public one."""
