"""Anonymising a citizen on request, from the citizen's page in the officer admin.

GET explains what goes and what stays and asks for confirmation; POST anonymises
(data_protection.citizen_anonymise). Only an officer who may delete the citizen (their area's
commune officers and above) reaches it; outside the jurisdiction the citizen does not exist (404).
"""

from django.contrib.admin.utils import quote
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin

from ..data_protection import citizen_anonymise, is_anonymised
from ..models import Citizen
from .jurisdiction import JurisdictionMixin


class CitizenAnonymiseView(
    JurisdictionMixin, PermissionCheckedMixin, WagtailAdminTemplateMixin, TemplateView
):
    model = Citizen
    permission_required = "delete"
    template_name = "learning_units/admin/citizen_anonymise.html"
    page_title = gettext_lazy("Anonymise on request")
    header_icon = "warning"
    http_method_names = ["get", "post"]
    index_url_name = None
    inspect_url_name = None

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.object = self.get_object_in_jurisdiction(kwargs["pk"])
        self.check_instance_permission("delete", self.object)

    def get_page_subtitle(self):
        return str(self.object)

    @property
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

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            citizen=self.object,
            anonymised=is_anonymised(self.object),
            inspect_url=self.inspect_url,
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        if request.POST.get("confirm") != "yes":
            messages.error(request, _("Tick the box to confirm the anonymisation."))
            return redirect(request.path)
        try:
            citizen_anonymise(citizen=self.object, officer=request.user, request=request)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _(
                    "The citizen's personal data were removed. Their assessments and "
                    "recognitions stay in the figures, without a name."
                ),
            )
        return redirect(self.inspect_url)
