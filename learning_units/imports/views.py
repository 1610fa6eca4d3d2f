"""Admin screens: upload → preview (dry run) → apply, plus the sample, errors and exports.

Thin views: reading, checking and writing are `import_run`'s; jurisdiction is the selectors'.
Only officers and superusers get in; an upload is visible only to the user who sent it, in the
session it was sent from.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView
from wagtail.admin.paginator import WagtailPaginator
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from audit.models import AuditAction
from audit.services import actor_area_path, audit_record

from ..jurisdiction import is_officer
from . import storage
from .applying import import_apply_task, runs_as_task, upload_apply
from .forms import UploadForm
from .parsing import ImportFileError, read_upload
from .report import ImportReport
from .service import KIND_LABELS, SPECS, import_run
from .workbooks import (
    XLSX_CONTENT_TYPE,
    errors_workbook,
    export_file,
    sample_workbook,
    unknown_learners_workbook,
)

SESSION_KEY = "learning_units_import_tokens"
PER_PAGE = 50
KEPT_TOKENS = 20


def attachment(content, content_type, filename):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class OfficerOnlyMixin:
    viewset = None

    def dispatch(self, request, *args, **kwargs):
        if not is_officer(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def url(self, name, *args):
        return reverse(self.viewset.get_url_name(name), args=args)


class OwnedUploadMixin(OfficerOnlyMixin):
    """An upload named in the URL that belongs to this user and this session (else 404)."""

    def dispatch(self, request, *args, **kwargs):
        token = kwargs["token"]
        try:
            if token not in request.session.get(SESSION_KEY, []):
                raise storage.UploadMissing(token)
            self.meta = storage.upload_meta(token, user=request.user)
        except storage.UploadMissing as error:
            raise Http404(_("This upload does not exist or has expired.")) from error
        self.token = token
        return super().dispatch(request, *args, **kwargs)

    @property
    def report(self):
        return ImportReport.from_dict(self.meta["report"])


class ImportIndexView(OfficerOnlyMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "learning_units/imports/index.html"
    header_icon = "upload"

    def get_page_title(self):
        return self.viewset.menu_label

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.viewset.menu_label}]

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        context["form"] = form or UploadForm(
            initial={"kind": self.request.GET.get("kind") or "citizens"}, user=self.request.user
        )
        context["kinds"] = [
            {
                "kind": kind,
                "label": label,
                "headers": SPECS[kind].resource_class.headers(),
                "template_url": self.url("template", kind),
                "export_xlsx_url": self.url("export", kind, "xlsx"),
                "export_csv_url": self.url("export", kind, "csv"),
            }
            for kind, label in KIND_LABELS.items()
        ]
        return context

    def post(self, request):
        form = UploadForm(request.POST, request.FILES, user=request.user)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        storage.uploads_purge()
        kind = form.cleaned_data["kind"]
        try:
            upload = read_upload(form.cleaned_data["file"])
        except ImportFileError as error:
            form.add_error("file", error.message)
            return self.render_to_response(self.get_context_data(form=form))
        options = form.import_options()
        report = import_run(
            kind=kind, file=upload, officer=request.user, dry_run=True, options=options
        )
        if report.file_error:
            form.add_error("file", report.file_error.message)
            return self.render_to_response(self.get_context_data(form=form))
        token = storage.upload_store(
            user=request.user, kind=kind, upload=upload, report=report, options=options
        )
        tokens = [*request.session.get(SESSION_KEY, []), token][-KEPT_TOKENS:]
        request.session[SESSION_KEY] = tokens
        return redirect(self.url("preview", token))


class ImportPreviewView(OwnedUploadMixin, WagtailAdminTemplateMixin, TemplateView):
    """The dry run's findings, or the outcome once applied."""

    template_name = "learning_units/imports/preview.html"
    header_icon = "upload"

    def get_page_title(self):
        if self.meta["state"] == storage.APPLIED:
            return _("Import applied")
        return _("Import preview")

    def get_page_subtitle(self):
        return self.meta["name"]

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": self.url("index"), "label": self.viewset.menu_label},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        report = self.report
        show = self.request.GET.get("show")
        if show not in ("errors", "changes"):
            show = "errors" if report.errors else "changes"
        items = report.errors if show == "errors" else report.samples
        paginator = WagtailPaginator(items, PER_PAGE)
        page = paginator.get_page(self.request.GET.get("p"))
        applied = self.meta["state"] == storage.APPLIED
        applying = self.meta["state"] == storage.APPLYING
        context.update(
            {
                "applying": applying,
                "progress": progress_figures(self.meta.get("progress")) if applying else None,
                "refused": self.meta.get("refused", False),
                "report": report,
                "kind_label": KIND_LABELS[self.meta["kind"]],
                "applied": applied,
                "applied_at": self.meta.get("applied_at"),
                "can_apply": not applied
                and not applying
                and report.ok
                and (report.changes > 0 or report.pending > 0),
                "show": show,
                "page_obj": page,
                "elided_page_range": paginator.get_elided_page_range(page.number),
                "apply_url": self.url("apply", self.token),
                "errors_url": self.url("errors", self.token),
                "unknown_learners_url": self.url("unknown_learners", self.token),
                "index_url": self.url("index"),
                "form": UploadForm(initial={"kind": self.meta["kind"]}, user=self.request.user),
            }
        )
        return context


def progress_figures(progress):
    """Rows done and total of the running apply, and the percentage to show."""
    progress = progress or {"stage": "check", "done": 0, "total": 0}
    total = progress["total"]
    return {**progress, "percent": round(100 * progress["done"] / total) if total else 0}


class ImportApplyView(OwnedUploadMixin, View):
    """Run the previewed upload for real; a second submit changes nothing. A big upload is
    applied by a background task and the preview page follows its progress."""

    def post(self, request, token):
        preview_url = self.url("preview", token)
        if self.meta["state"] == storage.APPLIED or not storage.upload_claim(token):
            messages.info(
                request,
                _("This import was already applied (or is being applied): nothing more was done."),
            )
            return redirect(preview_url)
        self.meta.update(state=storage.APPLYING, refused=False)
        storage.write_meta(token, self.meta)
        if runs_as_task(self.report):
            import_apply_task.enqueue(token, request.user.pk)
            return redirect(preview_url)
        report = upload_apply(token=token, user=request.user, request=request)
        if report.applied:  # a refusal is shown by the preview page itself (`refused`)
            messages.success(
                request,
                _("Import applied: %(new)s new, %(updated)s updated, %(unchanged)s unchanged.")
                % {"new": report.new, "updated": report.updated, "unchanged": report.unchanged},
            )
        return redirect(preview_url)


class ImportErrorsView(OwnedUploadMixin, View):
    def get(self, request, token):
        return attachment(
            errors_workbook(self.report), XLSX_CONTENT_TYPE, f"loi-nhap-{self.meta['kind']}.xlsx"
        )


class ImportUnknownLearnersView(OwnedUploadMixin, View):
    """The learners of an LMS report who are no citizens, for the officer to follow up."""

    def get(self, request, token):
        return attachment(
            unknown_learners_workbook(self.report), XLSX_CONTENT_TYPE, "hoc-vien-chua-dang-ky.xlsx"
        )


class ImportTemplateView(OfficerOnlyMixin, View):
    def get(self, request, kind):
        if kind not in SPECS:
            raise Http404
        return attachment(
            sample_workbook(kind, officer=request.user), XLSX_CONTENT_TYPE, f"mau-{kind}.xlsx"
        )


class ExportView(OfficerOnlyMixin, View):
    def get(self, request, kind, file_format):
        if kind not in SPECS or file_format not in ("xlsx", "csv"):
            raise Http404
        content, content_type = export_file(kind, request.user, file_format)
        audit_record(
            request=request,
            action=AuditAction.EXPORT,
            object_type=kind,
            area_path=actor_area_path(request.user),
            detail={"format": file_format},
        )
        stamp = timezone.localdate().isoformat()
        return attachment(content, content_type, f"{kind}-{stamp}.{file_format}")
