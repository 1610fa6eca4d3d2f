"""Filters of the officer admin listings; every choice comes from the user's jurisdiction."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import NumberRangeWidget, WagtailFilterSet
from wagtail.admin.widgets import BooleanRadioSelect

from . import jurisdiction, selectors
from .admin.labels import area_label
from .collation import CollatedChoiceIterator
from .models import Area, AreaLevel, Citizen, Gender, LearningUnit, OfficerRole, TargetGroup


class CollatedFilterChoices(django_filters.fields.ModelChoiceIterator, CollatedChoiceIterator):
    """A filter's area options in Vietnamese order (after django-filters' "null" option)."""


class AreaChoiceField(django_filters.fields.ModelChoiceField):
    iterator = CollatedFilterChoices

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
    province_id = request.GET.get("province", "")
    if province_id.isdigit():
        areas = areas.filter(Q(parent_id=province_id) | Q(parent__parent_id=province_id))
    return areas


def jurisdiction_provinces(request):
    return selectors.provinces_for_officer(request.user).select_related("parent")


class JurisdictionFilterSet(WagtailFilterSet):
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


class AreaFilterSet(WagtailFilterSet):
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
