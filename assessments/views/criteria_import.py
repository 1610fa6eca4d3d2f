"""Importing criteria sets from files: upload → preview (checked, nothing saved) → confirm."""

import json

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin

from ..comparison import compare_sets
from ..criteria_files import data_to_json, read_criteria_file
from ..forms import ImportForm
from ..interchange import InterchangeError, criteria_set_to_data
from ..services.criteria import (
    CriteriaSetFrozen,
    criteria_set_check,
    criteria_set_load,
    criteria_set_load_outcome,
)
from .criteria_sets import CriteriaSetUrlsMixin, band_ranges


class CriteriaSetImportView(
    CriteriaSetUrlsMixin, PermissionCheckedMixin, WagtailAdminTemplateMixin, TemplateView
):
    """Upload → preview (checked, nothing saved) → confirm (all sets in the file, or none)."""

    permission_required = "add"
    page_title = gettext_lazy("Import criteria sets")
    template_name = "assessments/admin/criteria_set_import.html"
    header_icon = "upload"

    def dispatch(self, request, *args, **kwargs):
        if not self.user_has_permission("change"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return self.set_breadcrumbs()

    def get_context_data(self, **kwargs):
        return super().get_context_data(import_url=self.url_for("import"), **kwargs)

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(form=ImportForm()))

    def post(self, request, *args, **kwargs):
        if "payload" in request.POST:
            return self.apply(request.POST["payload"])
        form = ImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        upload = form.cleaned_data["file"]
        try:
            raws = read_criteria_file(upload, upload.name)
        except InterchangeError as error:
            return self.render_to_response(self.get_context_data(form=form, errors=error.errors))
        previews = [self.preview(raw) for raw in raws]
        return self.render_to_response(
            self.get_context_data(
                form=form,
                previews=previews,
                payload=data_to_json([p["data"] for p in previews if not p["errors"]]),
                can_apply=all(not p["errors"] for p in previews),
            )
        )

    def preview(self, raw):
        try:
            data = criteria_set_check(raw=raw)
            existing, outcome = criteria_set_load_outcome(data=data)
        except InterchangeError as error:
            return {"data": raw, "errors": error.errors}
        except CriteriaSetFrozen as error:
            return {"data": raw, "errors": [str(error)]}
        changes = compare_sets(criteria_set_to_data(existing), data) if existing else []
        return {
            "data": data,
            "errors": [],
            "outcome": OUTCOME_LABELS[outcome],
            "changes": changes,
            "bands": band_ranges(data),
        }

    def apply(self, payload):
        try:
            with transaction.atomic():
                results = [criteria_set_load(raw=raw) for raw in json.loads(payload)]
        except (InterchangeError, CriteriaSetFrozen, ValueError) as error:
            messages.error(self.request, _("Nothing was imported: %(error)s") % {"error": error})
            return redirect(self.url_for("import"))
        for result in results:
            messages.success(
                self.request,
                _("%(set)s: %(outcome)s.")
                % {"set": result.criteria_set, "outcome": OUTCOME_LABELS[result.outcome]},
            )
            for warning in result.warnings:
                messages.warning(self.request, warning)
        return redirect(self.url_for("index"))


OUTCOME_LABELS = {
    "created": gettext_lazy("created"),
    "updated": gettext_lazy("updated"),
    "translated": gettext_lazy("updated (English text only)"),
    "unchanged": gettext_lazy("unchanged"),
}
