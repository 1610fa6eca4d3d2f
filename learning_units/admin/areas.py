"""Areas in the officer admin: the tree in path order, read-only official levels for officers,
residential areas and agency branches added below their communes."""

from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from wagtail.admin.ui.tables import BooleanColumn, Column, TitleColumn

from .. import selectors
from ..admin_forms import AreaAdminForm
from ..filters import AreaFilterSet
from ..models import Area, AreaLevel
from .jurisdiction import JurisdictionIndexView, JurisdictionInspectView, JurisdictionViewSet

INDENT = "\u2003"  # an em space per level below the province keeps the tree readable


class AreaIndexView(JurisdictionIndexView):
    @cached_property
    def columns(self):
        title_column_class = self._get_title_column_class(TitleColumn)
        return [
            title_column_class(
                "name",
                label=_("Name"),
                accessor=self.indented_name,
                sort_key="search_name",
                get_url=self.get_inspect_url,
            ),
            Column("code", label=_("Code"), sort_key="code"),
            Column("level", label=_("Level"), accessor="get_level_display", sort_key="level"),
            Column("division_type", label=_("Division type")),
            Column(
                "parent",
                label=_("Parent area"),
                accessor=lambda area: area.parent.name if area.parent else "",
            ),
            BooleanColumn("is_active", label=_("Active")),
        ]

    def indented_name(self, area):
        if self.ordering in (None, "path"):
            return INDENT * max(area.level - AreaLevel.PROVINCE, 0) + area.name
        return area.name


class AreaInspectView(JurisdictionInspectView):
    template_name = "learning_units/admin/area_inspect.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        area = self.object
        context.update(
            area=area,
            area_path=[a for a in selectors.area_ancestors(area) if a.level > AreaLevel.CENTRAL],
            children=area.children.order_by("path")[:200],
            children_count=area.children.count(),
            citizens_count=area.citizens.count(),
        )
        return context


class AreaViewSet(JurisdictionViewSet):
    model = Area
    icon = "site"
    url_prefix = "learning-citizens/areas"
    index_view_class = AreaIndexView
    inspect_view_class = AreaInspectView
    filterset_class = AreaFilterSet
    ordering = "path"
    export_filename = "dia-ban"
    list_export = ["code", "name", "get_level_display", "division_type", "parent", "path"]
    export_headings = {"get_level_display": Area._meta.get_field("level").verbose_name}

    def get_form_class(self, for_update=False):
        return AreaAdminForm
