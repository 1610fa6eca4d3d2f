"""A page that acts on one citizen from the citizen's admin page (one-time password,
anonymisation): found in the officer's jurisdiction (404 outside it), checked against the
permission the action needs, with breadcrumbs back to the citizen."""

from django.contrib.admin.utils import quote
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin

from ..models import Citizen
from .jurisdiction import JurisdictionMixin


class CitizenActionView(
    JurisdictionMixin, PermissionCheckedMixin, WagtailAdminTemplateMixin, TemplateView
):
    model = Citizen
    http_method_names = ["get", "post"]
    index_url_name = None
    inspect_url_name = None

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.object = self.get_object_in_jurisdiction(kwargs["pk"])
        self.check_instance_permission(self.permission_required, self.object)

    def get_page_subtitle(self):
        return str(self.object)

    @cached_property
    def inspect_url(self):
        return reverse(self.inspect_url_name, args=(quote(self.object.pk),))

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {
                "url": reverse(self.index_url_name),
                "label": capfirst(Citizen._meta.verbose_name_plural),
            },
            {"url": self.inspect_url, "label": str(self.object)},
            {"url": "", "label": self.get_page_title()},
        ]
