"""Admin views of criteria sets beyond Wagtail's generic ones: the tree, versions, files.

Frozen sets (used by assessments) are read-only here: the edit and delete views send the user
back to the inspect page, which offers "New version" instead, and "English text"
(`criteria_translation`), which a frozen set still takes. Imports: `criteria_import`.
"""

from django.contrib.admin.utils import quote, unquote
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic import DeleteView, EditView, IndexView, InspectView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.widgets.button import Button, HeaderButton

from ..comparison import compare_sets
from ..criteria_files import write_xlsx
from ..forms import CompareForm
from ..interchange import criteria_set_to_data
from ..models import CriteriaSet
from ..selectors import criteria_set_tree, criteria_set_versions
from ..services.criteria import (
    criteria_set_new_version,
)

VIEW_PERMISSIONS = ["add", "change", "delete", "view"]


class CriteriaSetUrlsMixin:
    """URL names passed in by the viewset, shared by every criteria set view."""

    model = CriteriaSet
    index_url_name = None
    inspect_url_name = None
    edit_url_name = None
    new_version_url_name = None
    compare_url_name = None
    export_url_name = None
    import_url_name = None
    translate_url_name = None

    def url_for(self, name, *args):
        return reverse(getattr(self, f"{name}_url_name"), args=[quote(arg) for arg in args])

    def set_breadcrumbs(self, criteria_set=None):
        items = [
            *WagtailAdminTemplateMixin.breadcrumbs_items,
            {
                "url": self.url_for("index"),
                "label": capfirst(CriteriaSet._meta.verbose_name_plural),
            },
        ]
        if criteria_set is not None:
            items.append({"url": self.url_for("inspect", criteria_set.pk), "label": criteria_set})
        return [*items, {"url": "", "label": self.get_page_title()}]

    def refuse_locked(self, criteria_set, message):
        messages.warning(self.request, message)
        return redirect(self.url_for("inspect", criteria_set.pk))


def band_ranges(data):
    """(label, from, up to, whether "up to" is included) per band, highest first."""
    ranges = []
    upper, inclusive = data["total_points"], True
    for band in sorted(data["rating_bands"], key=lambda band: -band["min_points"]):
        ranges.append((band["label"], band["min_points"], upper, inclusive))
        upper, inclusive = band["min_points"], False
    return ranges


class CriteriaSetIndexView(CriteriaSetUrlsMixin, IndexView):
    @cached_property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        if self.user_has_permission("add"):
            buttons.append(
                HeaderButton(_("Import"), url=self.url_for("import"), icon_name="upload")
            )
        buttons.append(
            HeaderButton(_("Compare versions"), url=self.url_for("compare"), icon_name="history")
        )
        return buttons


class CriteriaSetInspectView(CriteriaSetUrlsMixin, InspectView):
    """The whole tree on one page: criteria, indicators, points, guidance, evidence, bands."""

    def get_object(self, queryset=None):
        try:
            return criteria_set_tree(unquote(str(self.pk)))
        except CriteriaSet.DoesNotExist:
            raise Http404 from None

    def get_edit_url(self):
        return None if self.object.is_frozen else super().get_edit_url()

    def get_delete_url(self):
        if self.object.is_frozen or self.object.campaign_uses.exists():
            return None
        return super().get_delete_url()

    @cached_property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        pk = self.object.pk
        if self.user_has_permission("add"):
            buttons.append(
                Button(
                    _("New version"),
                    url=self.url_for("new_version", pk),
                    icon_name="copy",
                    priority=30,
                )
            )
        if self.user_has_permission("change"):
            buttons.append(
                Button(
                    _("English text"),
                    url=self.url_for("translate", pk),
                    icon_name="globe",
                    priority=35,
                )
            )
        buttons += [
            Button(
                _("Compare versions"),
                url=f"{self.url_for('compare')}?code={self.object.code}",
                icon_name="history",
                priority=40,
            ),
            Button(
                _("Export to Excel"),
                url=self.url_for("export", pk),
                icon_name="download",
                priority=50,
            ),
        ]
        return buttons

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        tree = criteria_set_to_data(self.object)
        pages = {
            page.url_path: page
            for criterion in self.object.criteria.all()
            for indicator in criterion.indicators.all()
            for page in indicator.guidance_pages.all()
        }
        for criterion in tree["criteria"]:
            for indicator in criterion["indicators"]:
                indicator["pages"] = [pages[path] for path in indicator["guidance_pages"]]
        context.update(
            tree=tree,
            bands=band_ranges(tree),
            campaigns=[
                use.campaign for use in self.object.campaign_uses.select_related("campaign")
            ],
            new_version_url=(
                self.url_for("new_version", self.object.pk)
                if self.user_has_permission("add")
                else None
            ),
        )
        return context


class CriteriaSetEditView(CriteriaSetUrlsMixin, EditView):
    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        if self.object.is_frozen:
            return self.refuse_frozen()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        if self.object.is_frozen:
            return self.refuse_frozen()
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        with transaction.atomic():
            # A set may be frozen by a first assessment while someone edits it: check under lock.
            if CriteriaSet.objects.select_for_update().get(pk=self.object.pk).is_frozen:
                return self.refuse_frozen()
            return super().form_valid(form)

    def refuse_frozen(self):
        return self.refuse_locked(
            self.object,
            _("Assessments use this set, so it can no longer be changed. Make a new version."),
        )

    def get_success_url(self):
        return self.url_for("inspect", self.object.pk)


class CriteriaSetDeleteView(CriteriaSetUrlsMixin, DeleteView):
    def get(self, request, *args, **kwargs):
        return self.refuse_in_use() or super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        return self.refuse_in_use() or super().post(request, *args, **kwargs)

    def refuse_in_use(self):
        if self.object.is_frozen or self.object.campaign_uses.exists():
            return self.refuse_locked(
                self.object,
                _("Campaigns or assessments use this set, so it cannot be deleted."),
            )
        return None


class CriteriaSetNewVersionView(
    CriteriaSetUrlsMixin, PermissionCheckedMixin, WagtailAdminTemplateMixin, TemplateView
):
    """GET asks for confirmation; POST copies the whole tree as a draft and opens its editor."""

    permission_required = "add"
    page_title = gettext_lazy("New version")
    template_name = "assessments/admin/criteria_set_new_version.html"
    header_icon = "tasks"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.object = get_object_or_404(CriteriaSet, pk=unquote(str(kwargs["pk"])))

    def get_page_subtitle(self):
        return str(self.object)

    def get_breadcrumbs_items(self):
        return self.set_breadcrumbs(self.object)

    def get_context_data(self, **kwargs):
        latest = criteria_set_versions(self.object.code).last()
        return super().get_context_data(
            object=self.object,
            next_version=latest.version + 1,
            cancel_url=self.url_for("inspect", self.object.pk),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        new = criteria_set_new_version(criteria_set=self.object)
        messages.success(
            request,
            _("Version %(version)s is a draft copy of version %(old)s. Change it, then publish it.")
            % {"version": new.version, "old": self.object.version},
        )
        return redirect(self.url_for("edit", new.pk))


class CriteriaSetCompareView(
    CriteriaSetUrlsMixin, PermissionCheckedMixin, WagtailAdminTemplateMixin, TemplateView
):
    """Pick a code and two of its versions; lists added, removed and changed rows."""

    any_permission_required = VIEW_PERMISSIONS
    page_title = gettext_lazy("Compare versions")
    template_name = "assessments/admin/criteria_set_compare.html"
    header_icon = "history"

    def get_breadcrumbs_items(self):
        return self.set_breadcrumbs()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        code = self.request.GET.get("code", "")
        codes = CriteriaSet.objects.order_by("code").values_list("code", flat=True).distinct()
        context.update(codes=codes, code=code)
        versions = list(criteria_set_versions(code))
        if not versions:
            return context
        params = self.request.GET.copy()
        params.setdefault("new", str(versions[-1].pk))
        params.setdefault("old", str(versions[-2 if len(versions) > 1 else -1].pk))
        form = CompareForm(params, code=code)
        context["form"] = form
        if form.is_valid():
            old, new = form.cleaned_data["old"], form.cleaned_data["new"]
            context.update(
                old=old,
                new=new,
                changes=compare_sets(criteria_set_to_data(old), criteria_set_to_data(new)),
            )
        return context


class CriteriaSetExportView(CriteriaSetUrlsMixin, PermissionCheckedMixin, View):
    any_permission_required = VIEW_PERMISSIONS

    def get(self, request, pk):
        criteria_set = get_object_or_404(CriteriaSet, pk=unquote(str(pk)))
        response = HttpResponse(
            write_xlsx(criteria_set_to_data(criteria_set)),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        filename = f"{criteria_set.code}-v{criteria_set.version}.xlsx"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
