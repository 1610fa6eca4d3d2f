"""The import/export screens as one Wagtail viewset (registered from `import_hooks`)."""

from django.urls import path
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet

from ..jurisdiction import is_officer
from . import views


class OfficerMenuItem(MenuItem):
    def is_shown(self, request):
        return is_officer(request.user)


class ImportViewSet(ViewSet):
    name = "learning_units_imports"
    url_prefix = "imports"
    icon = "upload"
    menu_label = _("Import / export")
    add_to_admin_menu = False  # listed in the "Learning citizens" group
    menu_order = 8500

    @cached_property
    def menu_item_class(self):
        return OfficerMenuItem

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(viewset=self, **kwargs)

    def get_urlpatterns(self):
        return [
            path("", self.construct_view(views.ImportIndexView), name="index"),
            path(
                "sample/<slug:kind>/",
                self.construct_view(views.ImportTemplateView),
                name="template",
            ),
            path(
                "export/<slug:kind>/<slug:file_format>/",
                self.construct_view(views.ExportView),
                name="export",
            ),
            path("<slug:token>/", self.construct_view(views.ImportPreviewView), name="preview"),
            path("<slug:token>/apply/", self.construct_view(views.ImportApplyView), name="apply"),
            path(
                "<slug:token>/errors.xlsx",
                self.construct_view(views.ImportErrorsView),
                name="errors",
            ),
            path(
                "<slug:token>/unknown-learners.xlsx",
                self.construct_view(views.ImportUnknownLearnersView),
                name="unknown_learners",
            ),
        ]
