"""Filters of the officer admin listings; every choice comes from the user's jurisdiction."""

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import NumberRangeWidget, WagtailFilterSet
from wagtail.admin.widgets import BooleanRadioSelect

from . import jurisdiction, selectors
from .admin.labels import area_label
from .collation import CollatedChoiceIterator
from .models import Area, AreaLevel, Citizen, Gender, LearningUnit, OfficerRole, TargetGroup
from .params import MAX_ID, parse_id

# The years a date holds (a year lookup beyond them fails in Python's datetime).
YEAR_RANGE = (1, 9999)


class CollatedFilterChoices(django_filters.fields.ModelChoiceIterator, CollatedChoiceIterator):
    """A filter's area options in Vietnamese order (after django-filters' "null" option)."""


class AreaChoiceField(django_filters.fields.ModelChoiceField):
    iterator = CollatedFilterChoices

    def to_python(self, value):
        """A hostile id ("abc", one beyond the database's integers) is an invalid choice, not
        a query that fails (issue 18)."""
        if value in self.empty_values or value == self.null_value:
            return super().to_python(value)
        if parse_id(str(value)) is None:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)

    def label_from_instance(self, obj):
        return area_label(obj)


class AreaFilter(django_filters.ModelChoiceFilter):
    """A choice of areas in Vietnamese order, labelled with their commune."""

    field_class = AreaChoiceField


class SubtreeFilter(AreaFilter):
    """Rows in the chosen area or anywhere below it (a prefix match on the indexed path)."""

    def __init__(self, *args, path_field="area__path", **kwargs):
        self.path_field = path_field
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        return qs.filter(jurisdiction.under(self.path_field, value.path))


def jurisdiction_areas(request):
    areas = selectors.citizen_area_choices(request.user)
    province_id = parse_id(request.GET.get("province", ""))
    if province_id is not None:
        areas = areas.filter(Q(parent_id=province_id) | Q(parent__parent_id=province_id))
    return areas


def jurisdiction_provinces(request):
    return selectors.provinces_for_officer(request.user).select_related("parent")


class BoundedNumbersMixin:
    """Number filters (and both ends of a range) accept only what the query can hold: a year
    a date has, else a 64-bit integer; anything beyond is a form error, and Wagtail's listing
    ignores filters that do not validate (issue 18: a huge number failed on SQLite)."""

    @property
    def form(self):
        if not hasattr(self, "_form"):
            form = super().form
            for name, field in form.fields.items():
                filter_ = self.filters.get(name)
                year = filter_ is not None and filter_.lookup_expr == "year"
                bound_numbers(field, *(YEAR_RANGE if year else (-MAX_ID, MAX_ID)))
        return self._form


def bound_numbers(field, low, high):
    if isinstance(field, forms.MultiValueField):
        for subfield in field.fields:
            bound_numbers(subfield, low, high)
    elif isinstance(field, forms.IntegerField):  # DecimalField and FloatField too
        field.validators += [MinValueValidator(low), MaxValueValidator(high)]


class JurisdictionFilterSet(BoundedNumbersMixin, WagtailFilterSet):
    """A province filter, then an area filter limited to it, for officers whose jurisdiction
    spans several provinces (a select of 3,321 communes helps nobody); the area filter alone
    for everyone else. Wagtail re-renders the filters when one changes."""

    province = SubtreeFilter(label=_("Province"), queryset=jurisdiction_provinces)
    area = SubtreeFilter(label=_("Area"), queryset=jurisdiction_areas)

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        super().__init__(data, queryset, request=request, prefix=prefix)
        if not jurisdiction.spans_several_provinces(request.user):
            del self.filters["province"]
        elif not (data or {}).get("province"):
            del self.filters["area"]


class CitizenFilterSet(JurisdictionFilterSet):
    target_group = django_filters.ChoiceFilter(label=_("Target group"), choices=TargetGroup.choices)
    gender = django_filters.ChoiceFilter(label=_("Gender"), choices=Gender.choices)
    birth_year = django_filters.RangeFilter(
        label=_("Birth year"), widget=NumberRangeWidget(attrs={"min": 1900})
    )
    has_login = django_filters.BooleanFilter(
        label=_("Has a login"),
        field_name="user",
        lookup_expr="isnull",
        exclude=True,
        widget=BooleanRadioSelect,
    )

    class Meta:
        model = Citizen
        fields = ["province", "area", "target_group", "gender", "birth_year", "has_login"]


class AreaFilterSet(BoundedNumbersMixin, WagtailFilterSet):
    level = django_filters.ChoiceFilter(label=_("Level"), choices=AreaLevel.choices)
    province = SubtreeFilter(
        label=_("Province"), queryset=jurisdiction_provinces, path_field="path"
    )
    is_agency_branch = django_filters.BooleanFilter(
        label=_("Agency branch"), widget=BooleanRadioSelect
    )
    is_active = django_filters.BooleanFilter(label=_("Active"), widget=BooleanRadioSelect)

    class Meta:
        model = Area
        fields = ["level", "province", "is_agency_branch", "is_active"]


class LearningUnitFilterSet(JurisdictionFilterSet):
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=LearningUnit.Kind.choices)

    class Meta:
        model = LearningUnit
        fields = ["kind", "province", "area"]


class OfficerRoleFilterSet(JurisdictionFilterSet):
    role = django_filters.ChoiceFilter(label=_("Role"), choices=OfficerRole.Role.choices)

    class Meta:
        model = OfficerRole
        fields = ["role", "province", "area"]
