"""Learning units (families, clans, communities, organisations) in the officer admin."""

from django.db.models import Count
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.ui.tables import Column, TitleColumn

from ..admin_forms import LearningUnitAdminForm
from ..filters import LearningUnitFilterSet
from ..models import LearningUnit
from .jurisdiction import JurisdictionIndexView, JurisdictionInspectView, JurisdictionViewSet
from .labels import area_label, citizen_label


class LearningUnitIndexView(JurisdictionIndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().annotate(member_count=Count("members"))

    @cached_property
    def columns(self):
        title_column_class = self._get_title_column_class(TitleColumn)
        return [
            title_column_class(
                "name", label=_("Name"), sort_key="search_name", get_url=self.get_inspect_url
            ),
            Column("kind", label=_("Kind"), accessor="get_kind_display", sort_key="kind"),
            Column(
                "area",
                label=_("Area"),
                accessor=lambda unit: area_label(unit.area),
                sort_key="area__path",
            ),
            Column(
                "head",
                label=_("Head"),
                accessor=lambda unit: unit.head.full_name if unit.head else "",
            ),
            Column("member_count", label=_("Members"), sort_key="member_count"),
        ]


class LearningUnitInspectView(JurisdictionInspectView):
    template_name = "learning_units/admin/learning_unit_inspect.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        unit = self.object
        context.update(
            unit=unit,
            area_name=area_label(unit.area),
            head=citizen_label(unit.head) if unit.head else None,
            members=[
                citizen_label(citizen) for citizen in unit.members.order_by("search_name", "pk")
            ],
        )
        return context


class LearningUnitViewSet(JurisdictionViewSet):
    model = LearningUnit
    icon = "group"
    url_prefix = "learning-citizens/learning-units"
    index_view_class = LearningUnitIndexView
    inspect_view_class = LearningUnitInspectView
    filterset_class = LearningUnitFilterSet
    export_filename = "don-vi-hoc-tap"
    list_export = ["name", "get_kind_display", "code", "area", "head", "member_count"]
    export_headings = {
        "get_kind_display": LearningUnit._meta.get_field("kind").verbose_name,
        "member_count": gettext_lazy("Members"),
    }

    def get_form_class(self, for_update=False):
        return LearningUnitAdminForm
