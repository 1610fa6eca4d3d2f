"""Officer roles (user × area × role) in the officer admin."""

from django.db.models import Q
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from wagtail.admin.ui.tables import Column, TitleColumn

from ..admin_forms import OfficerRoleAdminForm
from ..filters import OfficerRoleFilterSet
from ..models import OfficerRole
from ..text import search_key
from .jurisdiction import JurisdictionIndexView, JurisdictionViewSet
from .labels import area_label


def user_label(user):
    full_name = user.get_full_name()
    return f"{full_name} ({user.get_username()})" if full_name else user.get_username()


class OfficerRoleIndexView(JurisdictionIndexView):
    def search_queryset(self, queryset):
        if not self.is_searching:
            return queryset
        query = self.search_query
        return queryset.filter(
            Q(user__username__icontains=query)
            | Q(user__first_name__icontains=query)
            | Q(user__last_name__icontains=query)
            | Q(area__search_name__contains=search_key(query))
        )

    @cached_property
    def columns(self):
        title_column_class = self._get_title_column_class(TitleColumn)
        return [
            title_column_class(
                "user",
                label=_("User"),
                accessor=lambda role: user_label(role.user),
                sort_key="user__username",
                get_url=self.get_inspect_url,
            ),
            Column("role", label=_("Role"), accessor="get_role_display", sort_key="role"),
            Column(
                "area",
                label=_("Area"),
                accessor=lambda role: area_label(role.area),
                sort_key="area__path",
            ),
        ]


class OfficerRoleViewSet(JurisdictionViewSet):
    model = OfficerRole
    icon = "key"
    url_prefix = "learning-citizens/officer-roles"
    index_view_class = OfficerRoleIndexView
    filterset_class = OfficerRoleFilterSet
    ordering = "area__path"
    export_filename = "can-bo"
    list_export = ["user", "get_role_display", "area"]
    export_headings = {"get_role_display": OfficerRole._meta.get_field("role").verbose_name}
    inspect_view_fields = ["user", "role", "area"]

    def get_form_class(self, for_update=False):
        return OfficerRoleAdminForm
