"""Citizen self-registration: who they are, where they live, their target group."""

from django import forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, RegexValidator
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .. import citizen_id as cid
from .. import selectors
from ..collation import CollatedModelChoiceField, sorted_by_name
from ..form_mixins import CleanTextMixin
from ..models import Area, AreaLevel, Gender, TargetGroup
from ..params import parse_id
from .accounts import PASSWORD_HELP, UserModel, citizen_id_length_error

# The 54 ethnic groups of the official list (General Statistics Office), offered as suggestions:
# the field stays free text so that no one is blocked by a spelling.
ETHNIC_GROUPS = [
    "Kinh", "Tày", "Thái", "Hoa", "Khơ-me", "Mường", "Nùng", "Mông", "Dao", "Gia-rai", "Ngái",
    "Ê-đê", "Ba-na", "Xơ-đăng", "Sán Chay", "Cơ-ho", "Chăm", "Sán Dìu", "Hrê", "Mnông",
    "Ra-glai", "Xtiêng", "Bru-Vân Kiều", "Thổ", "Giáy", "Cơ-tu", "Giẻ-Triêng", "Mạ", "Khơ-mú",
    "Co", "Tà-ôi", "Chơ-ro", "Kháng", "Xinh-mun", "Hà Nhì", "Chu-ru", "Lào", "La Chí", "La Ha",
    "Phù Lá", "La Hủ", "Lự", "Lô Lô", "Chứt", "Mảng", "Pà Thẻn", "Cơ Lao", "Cống", "Bố Y",
    "Si La", "Pu Péo", "Brâu", "Ơ Đu", "Rơ-măm",
]  # fmt: skip

TARGET_GROUP_HINTS = {
    TargetGroup.FARMERS: _(
        "You grow crops, raise animals or fish, or do other work in the countryside."
    ),
    TargetGroup.WORKERS: _(
        "You work in a factory or a workshop, practise a craft, repair things, or work for "
        "yourself."
    ),
    TargetGroup.CADRES: _(
        "You work for the State from commune level up, run or manage a business, or serve in "
        "the army or the police."
    ),
}


class AreaChoiceField(forms.ModelChoiceField):
    """Accepts any active area of its level; the form offers only the chosen parent's children.

    Validating against the whole level (one indexed query) lets the form say precisely that a
    commune is not in the chosen province, while the page never lists all 3,321 communes.
    """

    def __init__(self, level, **kwargs):
        super().__init__(
            queryset=Area.objects.filter(level=level, is_active=True),
            error_messages={"invalid_choice": _("Choose from the list.")},
            **kwargs,
        )


class CitizenRegistrationForm(CleanTextMixin, forms.Form):
    citizen_id = forms.CharField(
        label=_("Citizen ID number (CCCD)"),
        max_length=20,
        help_text=_(
            "The 12 digits on your citizen identity card, or the 9 digits of an old identity "
            "card (CMND). You will log in with it."
        ),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    full_name = forms.CharField(
        label=_("Full name"),
        max_length=120,
        help_text=_("As written on your identity card, with accents."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    gender = forms.ChoiceField(label=_("Gender"), choices=Gender.choices, widget=forms.RadioSelect)
    birth_year = forms.IntegerField(
        label=_("Year of birth"),
        min_value=1900,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "autocomplete": "bday-year"}),
    )
    ethnicity = forms.CharField(
        label=_("Ethnicity"),
        max_length=60,
        initial="Kinh",
        widget=forms.TextInput(attrs={"list": "ethnic-groups", "autocomplete": "off"}),
    )
    religion = forms.CharField(
        label=_("Religion"),
        max_length=60,
        required=False,
        initial="Không",
        help_text=_("Leave “Không” (none) if you follow no religion."),
    )
    province = CollatedModelChoiceField(
        label=_("Province or city"),
        queryset=Area.objects.none(),
        empty_label=_("— Choose a province or city —"),
        error_messages={"invalid_choice": _("Choose from the list.")},
    )
    commune = AreaChoiceField(
        AreaLevel.COMMUNE,
        label=_("Commune, ward or special zone"),
        empty_label=_("— Choose a commune or ward —"),
        help_text=_("Where you live now, by the names in use since 1 July 2025."),
    )
    residential_area = AreaChoiceField(
        AreaLevel.RESIDENTIAL,
        label=_("Residential area or branch"),
        required=False,
        empty_label=_("— Choose a residential area —"),
        help_text=_(
            "Your village, hamlet or neighbourhood group (thôn, ấp, tổ dân phố), or the "
            "association branch of your workplace. Leave it empty if it is not in the list: "
            "your commune association will place you."
        ),
    )
    target_group = forms.TypedChoiceField(
        label=_("Your group"),
        coerce=int,
        choices=TargetGroup.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "Choose the group of your main work: each group is assessed with criteria worded "
            "for it."
        ),
    )
    occupation = forms.CharField(
        label=_("Occupation"),
        max_length=120,
        required=False,
        help_text=_("For example: farmer, tailor, teacher, motorbike repairer."),
        widget=forms.TextInput(attrs={"autocomplete": "organization-title"}),
    )
    phone = forms.CharField(
        label=_("Phone number"),
        max_length=20,
        required=False,
        validators=[
            RegexValidator(
                r"^\+?[0-9][0-9 .]{7,18}$",
                _("Enter a phone number with digits only, for example 0912 345 678."),
            )
        ],
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": "tel"}),
    )
    email = forms.EmailField(
        label=_("E-mail"),
        required=False,
        help_text=_(
            "Optional. You can then log in with it and reset a forgotten password by e-mail."
        ),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        help_text=PASSWORD_HELP,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        help_text=_("Type the same password again, to be sure."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    consent = forms.BooleanField(
        label=_(
            "I agree that the association processes my personal data for the Learning Citizen "
            "movement."
        ),
        help_text=_(
            "Your data is used only to register, assess and recognise learning citizens, and is "
            "seen only by you and the association officers of your area (Decree 13/2023/NĐ-CP "
            "on personal data protection)."
        ),
        error_messages={
            "required": _(
                "Registration needs your consent to the processing of your personal data."
            )
        },
    )

    ethnic_groups = ETHNIC_GROUPS
    # Without JavaScript, these buttons re-show the form with the chosen parent's children.
    area_steps = {"communes": "commune", "areas": "residential_area"}

    def __init__(self, *args, focus=None, **kwargs):
        super().__init__(*args, **kwargs)
        year = timezone.localdate().year
        self.fields["birth_year"].validators.append(MaxValueValidator(year))
        self.fields["birth_year"].widget.attrs.update(min=1900, max=year)
        self.fields["province"].queryset = selectors.provinces()
        province_id, commune_id = self.chosen_id("province"), self.chosen_id("commune")
        offered_communes = self.offer(
            "commune",
            selectors.communes_of(province_id) if province_id else None,
            waiting_label=_("— Choose a province first —"),
        )
        if commune_id not in offered_communes:  # left over from another province
            commune_id = None
        self.offer(
            "residential_area",
            selectors.residential_areas_of(commune_id) if commune_id else None,
            waiting_label=_("— Choose a commune first —"),
        )
        self.fields["province"].widget.attrs["data-area-child"] = self["commune"].auto_id
        self.fields["commune"].widget.attrs["data-area-child"] = self["residential_area"].auto_id
        self.fields["target_group"].choices = [
            (
                value,
                format_html(
                    '<span class="choice__label">{}</span> <span class="choice__hint">{}</span>',
                    label,
                    TARGET_GROUP_HINTS[value],
                ),
            )
            for value, label in TargetGroup.choices
        ]
        if focus in self.fields:
            self.fields[focus].widget.attrs["autofocus"] = True

    def chosen_id(self, name):
        """The area id the visitor picked so far, from the submitted data or the initial values."""
        value = self.data.get(self.add_prefix(name)) if self.is_bound else self.initial.get(name)
        value = str(getattr(value, "pk", value) or "")
        return parse_id(value)  # ASCII digits only: "¹" is a digit to str.isdigit, not to int

    def offer(self, name, areas, *, waiting_label):
        """Offer only `areas` (None: no parent chosen yet) in the select; return their ids."""
        field = self.fields[name]
        options = (
            [(area.pk, area.name) for area in sorted_by_name(areas.only("pk", "name"))]
            if areas is not None
            else []
        )
        if areas is None:
            placeholder = waiting_label
        elif options:
            placeholder = field.empty_label
        else:
            placeholder = _("— None listed: leave it empty —")
        field.widget.choices = [("", placeholder), *options]
        field.widget.attrs.update(
            {
                "data-waiting-label": waiting_label,
                "data-choose-label": field.empty_label,
                "data-none-label": _("— None listed: leave it empty —"),
            }
        )
        return {pk for pk, _name in options}

    def clean_citizen_id(self):
        try:
            return cid.validate_citizen_id(self.cleaned_data["citizen_id"])
        except ValidationError as error:
            if error.code == "leading_zeros":
                number = cid.normalise(self.cleaned_data["citizen_id"])
                raise citizen_id_length_error(number) from None
            raise

    def clean(self):
        cleaned = super().clean()
        self.check_citizen_id_agrees(cleaned)
        self.check_area_chain(cleaned)
        self.check_passwords(cleaned)
        return cleaned

    def check_citizen_id_agrees(self, cleaned):
        number, gender, year = (cleaned.get(k) for k in ("citizen_id", "gender", "birth_year"))
        if number and gender and year:
            try:
                cid.validate_citizen_id(number, gender=gender, birth_year=year)
            except ValidationError as error:
                self.add_error("citizen_id", error)

    def check_area_chain(self, cleaned):
        province, commune = cleaned.get("province"), cleaned.get("commune")
        residential_area = cleaned.get("residential_area")
        if province and commune and commune.parent_id != province.pk:
            self.add_error(
                "commune",
                ValidationError(
                    _("%(area)s is not in %(parent)s: choose again from the list."),
                    code="wrong_parent",
                    params={"area": commune.name, "parent": province.name},
                ),
            )
        if commune and residential_area and residential_area.parent_id != commune.pk:
            self.add_error(
                "residential_area",
                ValidationError(
                    _("%(area)s is not in %(parent)s: choose again from the list."),
                    code="wrong_parent",
                    params={"area": residential_area.name, "parent": commune.name},
                ),
            )

    def check_passwords(self, cleaned):
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error(
                "password2",
                ValidationError(
                    _("The two passwords are not the same: type the same password twice."),
                    code="password_mismatch",
                ),
            )
        if password1:
            # The same validators as everywhere else, told who the account is for.
            user = UserModel(
                username=cleaned.get("citizen_id") or "",
                email=cleaned.get("email") or "",
                first_name=cleaned.get("full_name") or "",
            )
            try:
                password_validation.validate_password(password1, user)
            except ValidationError as error:
                self.add_error("password1", error)

    def service_arguments(self):
        """Keyword arguments for `services.citizen_register`."""
        data = self.cleaned_data
        return {
            "citizen_id": data["citizen_id"],
            "full_name": data["full_name"],
            "gender": data["gender"],
            "birth_year": data["birth_year"],
            "ethnicity": data["ethnicity"],
            "religion": data["religion"],
            "area": data["residential_area"] or data["commune"],
            "target_group": data["target_group"],
            "occupation": data["occupation"],
            "phone": data["phone"],
            "email": data["email"],
            "password": data["password1"],
            "consent": data["consent"],
        }

    def add_service_errors(self, error):
        """Show a service's ValidationError on the fields it names (its `area` is our commune)."""
        for name, errors in error.update_error_dict({}).items():
            name = "commune" if name == "area" else name
            self.add_error(name if name in self.fields else None, errors)
