"""Anonymising a citizen on request, from the citizen's page in the officer admin.

GET explains what goes and what stays and asks for confirmation; POST anonymises
(data_protection.citizen_anonymise). Only an officer who may delete the citizen (their area's
commune officers and above) reaches it; outside the jurisdiction the citizen does not exist (404).
"""

from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin import messages

from ..data_protection import citizen_anonymise, is_anonymised
from .citizen_actions import CitizenActionView


class CitizenAnonymiseView(CitizenActionView):
    permission_required = "delete"
    template_name = "learning_units/admin/citizen_anonymise.html"
    page_title = gettext_lazy("Anonymise on request")
    header_icon = "warning"

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
