"""The reports in the Wagtail admin: a menu item, the report views, a panel on the admin home.

All three are shown to officers only (a user holding an OfficerRole, or a superuser); an editor
without a role sees none of them.
"""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.viewsets.model import ModelViewSet

from learning_units.jurisdiction import is_officer

from . import urls, views
from .models import AreaPopulation, Target


@hooks.register("register_admin_urls")
def register_report_urls():
    return [path("reports/", include(urls, namespace="reports"))]


class ReportMenuItem(MenuItem):
    def is_shown(self, request):
        return is_officer(request.user)


@hooks.register("register_admin_menu_item")
def register_report_menu_item():
    return ReportMenuItem(_("Reports"), reverse("reports:index"), icon_name="table", order=450)


class ReportPanel(Component):
    name = "cdht_reports"
    order = 90
    template_name = "reports/panel.html"

    def __init__(self, context):
        self.panel_context = context

    def get_context_data(self, parent_context=None):
        return self.panel_context

    class Media:
        css = {"all": ["reports/reports.css"]}


@hooks.register("construct_homepage_panels")
def add_report_panel(request, panels):
    if not is_officer(request.user):
        return
    context = views.dashboard_context(request.user)
    if context is not None:
        panels.append(ReportPanel(context))


class TargetViewSet(ModelViewSet):
    """National targets and provinces' own (Django model permissions: superusers by default;
    give a group the reports.*_target permissions to delegate)."""

    model = Target
    icon = "order"
    menu_label = _("Report targets")
    add_to_settings_menu = True
    list_display = ["indicator", "year", "value", "area"]
    list_filter = ["indicator", "year"]
    form_fields = ["indicator", "year", "value", "area"]


class AreaPopulationViewSet(ModelViewSet):
    model = AreaPopulation
    icon = "group"
    menu_label = _("Area populations")
    add_to_settings_menu = True
    list_display = ["area", "year", "adults"]
    list_filter = ["year"]
    form_fields = ["area", "year", "adults"]


@hooks.register("register_admin_viewset")
def register_target_viewsets():
    return [TargetViewSet("report_targets"), AreaPopulationViewSet("area_populations")]
