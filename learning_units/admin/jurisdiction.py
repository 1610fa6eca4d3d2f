"""The jurisdiction layer of the officer admin: every view of a viewset reaches rows only
through its permission policy's scope, so a row outside the officer's subtree is a 404 (its
existence is not confirmed), and a row inside it that the officer may not change is a 403.
"""

import csv

from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import ProtectedError, RestrictedError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail.admin import messages
from wagtail.admin.views import generic
from wagtail.admin.views.generic import history, usage
from wagtail.admin.views.mixins import Echo
from wagtail.admin.viewsets.model import ModelViewSet

from audit.models import AuditAction
from audit.services import actor_area_path, audit_record

from .. import selectors
from ..models import Citizen, LearningUnit
from ..spreadsheets import CSV_BOM, as_text_cell, csv_text, xlsx_value

ALL_ACTIONS = ["add", "change", "delete", "view"]
# Records holding personal data: opening or exporting them is written to the audit log.
AUDITED_MODELS = (Citizen, LearningUnit)


def audit_personal_data(request, instance, action):
    if isinstance(instance, AUDITED_MODELS):
        audit_record(request=request, action=action, obj=instance)


class JurisdictionMixin:
    """Rows come from the permission policy's scope: the officer's subtree, in one query."""

    def get_jurisdiction_queryset(self):
        return self.permission_policy.instances_user_has_any_permission_for(
            self.request.user, ALL_ACTIONS
        )

    def get_object_in_jurisdiction(self, pk):
        return get_object_or_404(self.get_jurisdiction_queryset(), pk=unquote(str(pk)))

    def check_instance_permission(self, action, instance):
        if not self.user_has_permission_for_instance(action, instance):
            raise PermissionDenied


class JurisdictionIndexView(JurisdictionMixin, generic.IndexView):
    """Listing, search and export of the rows in the user's subtree only.

    Search is accent-insensitive on the stored search key (no unaccent extension needed).
    """

    def get_base_queryset(self):
        return self.get_jurisdiction_queryset()

    def search_queryset(self, queryset):
        if not self.is_searching:
            return queryset
        return selectors.search_by_name(queryset, self.search_query)

    def get_edit_url(self, instance):
        if self.user_has_permission_for_instance("change", instance):
            return super().get_edit_url(instance)

    def get_delete_url(self, instance):
        if self.user_has_permission_for_instance("delete", instance):
            return super().get_delete_url(instance)

    def as_spreadsheet(self, queryset, spreadsheet_format):
        if issubclass(self.model, AUDITED_MODELS):
            audit_record(
                request=self.request,
                action=AuditAction.EXPORT,
                object_type=self.model._meta.label,
                area_path=actor_area_path(self.request.user),
                detail={"format": spreadsheet_format, "query": self.request.GET.urlencode()},
            )
        return super().as_spreadsheet(queryset, spreadsheet_format)

    def preprocess_field_value(self, field, value, export_format):
        """Text a spreadsheet would run as a formula (a name typed as "=HYPERLINK(…)" at
        registration) is written as text (learning_units.spreadsheets): Wagtail guards only
        what openpyxl takes for a formula, and only in XLSX."""
        value = super().preprocess_field_value(field, value, export_format)
        return csv_text(value) if export_format == self.FORMAT_CSV else xlsx_value(value)

    def generate_xlsx_row(self, worksheet, row_dict, date_format=None):
        for cell in super().generate_xlsx_row(worksheet, row_dict, date_format=date_format):
            yield as_text_cell(cell)

    def stream_csv(self, queryset):
        """CSV in chunks, with a byte-order mark so that Excel reads Vietnamese as UTF-8."""
        writer = csv.DictWriter(Echo(), fieldnames=self.list_export)
        yield CSV_BOM
        yield writer.writerow(
            {field: self.get_heading(queryset, field) for field in self.list_export}
        )
        for item in queryset.iterator(chunk_size=2000):
            yield self.write_csv_row(writer, self.to_row_dict(item))


class JurisdictionEditView(JurisdictionMixin, generic.EditView):
    def get_queryset(self):
        return self.get_jurisdiction_queryset()

    def get_object(self, queryset=None):
        instance = super().get_object(queryset)
        self.check_instance_permission("change", instance)
        action = AuditAction.CHANGE if self.request.method == "POST" else AuditAction.VIEW
        audit_personal_data(self.request, instance, action)
        return instance

    def get_copy_url(self):
        if self.user_has_permission_for_instance("add", self.object):
            return super().get_copy_url()


class JurisdictionDeleteView(JurisdictionMixin, generic.DeleteView):
    def get_queryset(self):
        return self.get_jurisdiction_queryset()

    def get_object(self, queryset=None):
        if getattr(self, "object", None):
            return self.object
        instance = super().get_object(queryset)
        self.check_instance_permission("delete", instance)
        return instance

    def form_valid(self, form):
        """Records that still point here (PROTECT) keep the row: say which, do not crash."""
        try:
            with transaction.atomic():
                return super().form_valid(form)
        except (ProtectedError, RestrictedError) as error:
            blocking = getattr(error, "protected_objects", None) or error.restricted_objects
            kinds = sorted({str(obj._meta.verbose_name_plural) for obj in blocking})
            messages.error(
                self.request,
                _(
                    "“%(object)s” cannot be deleted while other records refer to it "
                    "(%(kinds)s). Move or delete those first."
                )
                % {"object": self.object, "kinds": ", ".join(kinds)},
            )
            return redirect(self.get_success_url())


class JurisdictionInspectView(JurisdictionMixin, generic.InspectView):
    def get_object(self, queryset=None):
        instance = self.get_object_in_jurisdiction(self.pk)
        audit_personal_data(self.request, instance, AuditAction.VIEW)
        return instance

    def get_edit_url(self):
        if self.edit_url_name and self.user_has_permission_for_instance("change", self.object):
            return reverse(self.edit_url_name, args=(quote(self.object.pk),))

    def get_delete_url(self):
        if self.delete_url_name and self.user_has_permission_for_instance("delete", self.object):
            return reverse(self.delete_url_name, args=(quote(self.object.pk),))


class JurisdictionCopyView(JurisdictionMixin, generic.CopyView):
    """The copy form posts to the add view; reading the original must stay in the subtree."""

    def get_object(self, queryset=None):
        return self.get_object_in_jurisdiction(self.kwargs[self.pk_url_kwarg])


class JurisdictionHistoryView(JurisdictionMixin, history.HistoryView):
    def get_base_object_queryset(self):
        return self.get_jurisdiction_queryset()


class JurisdictionUsageView(JurisdictionMixin, usage.UsageView):
    def get_base_object_queryset(self):
        return self.get_jurisdiction_queryset()


class JurisdictionViewSet(ModelViewSet):
    """A ModelViewSet whose every view is held to the officer's subtree.

    The model's permission policy (registered in wagtail_hooks) decides the scope; the views
    above only ever fetch rows through it. Forms receive ``for_user`` and limit their
    foreign-key choices with the same selectors.
    """

    index_view_class = JurisdictionIndexView
    # Adding is a model-level permission: the forms limit every choice to the jurisdiction.
    edit_view_class = JurisdictionEditView
    delete_view_class = JurisdictionDeleteView
    inspect_view_class = JurisdictionInspectView
    copy_view_class = JurisdictionCopyView
    history_view_class = JurisdictionHistoryView
    usage_view_class = JurisdictionUsageView
    inspect_view_enabled = True
    list_per_page = 50
    search_fields = ["search_name"]  # enables the search box; the views search the stored key
    search_backend_name = None
