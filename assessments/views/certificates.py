"""Certificate downloads and dossiers: the citizen's own certificate on the public site, and the
officers' admin pages (decisions, batch generation with progress, dossiers per campaign/area).

Who may get what is `certificates.selectors` (Http404 outside); rendering is
`certificates.documents` / `certificates.dossiers`; batches are `certificates.services`
(starting) and `certificates.archives` (the zip).
"""

import io

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from audit.models import AuditAction
from audit.services import audit_record
from learning_units.collation import CollatedModelChoiceField
from learning_units.jurisdiction import is_officer

from ..certificates import archives, dossiers, selectors, services
from ..certificates.documents import certificate_filename, render_certificate
from ..conf import setting
from ..private_files import private_file_response
from ..services.recognition import recognition_decision_close
from ..services.review import ReviewRefused
from .verification import baked_badge_response


def pdf_response(content, filename, *, inline=True):
    response = HttpResponse(content, content_type="application/pdf")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- The citizen ("My assessments"). ---


@login_required
@never_cache
def my_certificate(request, pk):
    """The signed-in citizen's own certificate (or a unit's they head); anyone else's is 404."""
    recognition = selectors.own_recognition(request.user, pk)
    return pdf_response(render_certificate(recognition), certificate_filename(recognition))


@login_required
@never_cache
def my_badge(request, pk):
    """The signed-in citizen's own badge picture (PNG, Open Badge baked in); else 404."""
    return baked_badge_response(selectors.own_recognition(request.user, pk))


# --- Officers (Wagtail admin). ---


def _require_officer(request):
    if not is_officer(request.user):
        raise Http404


@never_cache
def officer_certificate(request, pk):
    _require_officer(request)
    recognition = selectors.officer_recognition(request.user, pk)
    return pdf_response(render_certificate(recognition), certificate_filename(recognition))


@never_cache
def decision_zip(request, pk):
    """Every certificate of a small decision in one zip, now; a large one goes to a batch."""
    _require_officer(request)
    decision = selectors.officer_decision(request.user, pk)
    recognitions = selectors.decision_certificates(decision)
    if decision.recognised > setting("CERTIFICATE_SYNC_ZIP_LIMIT"):
        messages.warning(
            request,
            _("This decision has %(count)s certificates: generate them in the background.")
            % {"count": decision.recognised},
        )
        return redirect("assessments_certificates:decisions")
    archive = io.BytesIO()
    archives.write_certificates_zip(recognitions, archive)
    response = HttpResponse(archive.getvalue(), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="giay-chung-nhan-qd-{decision.pk}.zip"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
def batch_start(request, pk):
    _require_officer(request)
    decision = selectors.officer_decision(request.user, pk)
    batch = services.certificate_batch_start(decision=decision, user=request.user)
    return redirect("assessments_certificates:batch", pk=batch.pk)


@require_POST
def decision_close(request, pk):
    """Close a decision of the officer's subtree: no one more can be added to it."""
    _require_officer(request)
    decision = selectors.officer_decision(request.user, pk)
    try:
        recognition_decision_close(decision=decision, officer=request.user)
    except ReviewRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(
            request,
            _("Decision %(number)s is closed: it names %(count)s people.")
            % {"number": decision.number, "count": decision.recognised},
        )
    return redirect("assessments_certificates:decisions")


@never_cache
def batch_download(request, pk):
    _require_officer(request)
    batch = selectors.officer_batch(request.user, pk)
    if batch.status != batch.Status.DONE or not batch.file:
        raise Http404
    audit_record(
        request=request,
        action=AuditAction.EXPORT,
        obj=batch,
        area_path=batch.decision.issuing_area.path,
        detail={"decision": batch.decision_id},
    )
    return private_file_response(
        batch.file,
        as_attachment=True,
        filename=f"giay-chung-nhan-qd-{batch.decision_id}.zip",
        content_type="application/zip",
    )


class OfficerPage(WagtailAdminTemplateMixin, TemplateView):
    header_icon = "doc-full"
    _show_breadcrumbs = True

    def dispatch(self, request, *args, **kwargs):
        _require_officer(request)
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]


class DecisionIndexView(OfficerPage):
    """Decisions of the officer's subtree, each with its downloads and its latest batch."""

    template_name = "assessments/certificates/admin/decisions.html"
    page_title = gettext_lazy("Certificates")

    def get_context_data(self, **kwargs):
        page = Paginator(selectors.officer_decisions(self.request.user), 50).get_page(
            self.request.GET.get("p")
        )
        batches = selectors.latest_batches([decision.pk for decision in page])
        rows = [(decision, batches.get(decision.pk)) for decision in page]
        return super().get_context_data(
            page=page, rows=rows, sync_limit=setting("CERTIFICATE_SYNC_ZIP_LIMIT"), **kwargs
        )


class BatchView(OfficerPage):
    """Progress of a batch; the page reloads itself every 2 s until the batch is finished."""

    template_name = "assessments/certificates/admin/batch.html"
    page_title = gettext_lazy("Certificate batch")

    def get_context_data(self, **kwargs):
        batch = selectors.officer_batch(self.request.user, self.kwargs["pk"])
        return super().get_context_data(batch=batch, **kwargs)


class DossierForm(forms.Form):
    campaign = forms.ModelChoiceField(queryset=None, label=gettext_lazy("Campaign"))
    area = CollatedModelChoiceField(queryset=None, label=gettext_lazy("Area"))
    format = forms.ChoiceField(
        label=gettext_lazy("Format"), choices=[("pdf", "PDF"), ("xlsx", "Excel (xlsx)")]
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = selectors.dossier_campaigns()
        self.fields["area"].queryset = selectors.dossier_areas(user)


class DossierView(OfficerPage):
    """Choose a campaign and an area of the subtree; get the decision list as PDF or xlsx."""

    template_name = "assessments/certificates/admin/dossier.html"
    page_title = gettext_lazy("Dossiers")

    def get(self, request, *args, **kwargs):
        form = DossierForm(request.GET or None, user=request.user)
        if form.is_bound and form.is_valid():
            data = form.cleaned_data
            refusal = dossier_refusal(
                campaign=data["campaign"], area=data["area"], kind=data["format"]
            )
            if refusal is None:
                return dossier_response(
                    campaign=data["campaign"], area=data["area"], kind=data["format"]
                )
            form.add_error("area", refusal)
        return self.render_to_response(self.get_context_data(form=form))


def dossier_refusal(*, campaign, area, kind):
    """Why this dossier cannot be made in the request (a PDF too long to lay out before the
    server's time limit), or None."""
    limit = setting("DOSSIER_PDF_MAX_ROWS")
    if kind != "pdf":
        return None
    rows = selectors.dossier_rows(campaign=campaign, area=area).count()
    if rows <= limit:
        return None
    return _(
        "This dossier has %(rows)s names: a PDF of more than %(limit)s takes too long to make. "
        "Choose a smaller area (a commune or a residential area), or download it as Excel."
    ) % {
        "rows": number_format(rows, force_grouping=True),
        "limit": number_format(limit, force_grouping=True),
    }


def dossier_response(*, campaign, area, kind):
    data = dossiers.dossier_data(campaign=campaign, area=area)
    name = dossiers.dossier_filename(campaign=campaign, area=area, extension=kind)
    if kind == "xlsx":
        response = HttpResponse(
            dossiers.dossier_xlsx(data),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        response["Cache-Control"] = "private, no-store"
        return response
    return pdf_response(dossiers.dossier_pdf(data), name, inline=False)


@never_cache
def dossier_download(request, campaign_id, area_id, kind):
    """A direct link for one campaign and area (used from the decisions page)."""
    _require_officer(request)
    if kind not in ("pdf", "xlsx"):
        raise Http404
    area = selectors.officer_dossier_area(request.user, area_id)
    campaign = selectors.dossier_campaigns().filter(pk=campaign_id).first()
    if campaign is None:
        raise Http404
    refusal = dossier_refusal(campaign=campaign, area=area, kind=kind)
    if refusal is not None:
        messages.error(request, refusal)
        return redirect("assessments_certificates:dossier")
    return dossier_response(campaign=campaign, area=area, kind=kind)


def admin_urls():
    """Admin URLs, registered under /admin/certificates/ by wagtail_hooks."""
    from django.urls import path

    return [
        path("", DecisionIndexView.as_view(), name="decisions"),
        path("recognition/<int:pk>/pdf/", officer_certificate, name="certificate"),
        path("decision/<int:pk>/zip/", decision_zip, name="decision_zip"),
        path("decision/<int:pk>/batch/", batch_start, name="batch_start"),
        path("decision/<int:pk>/close/", decision_close, name="decision_close"),
        path("batch/<int:pk>/", BatchView.as_view(), name="batch"),
        path("batch/<int:pk>/download/", batch_download, name="batch_download"),
        path("dossier/", DossierView.as_view(), name="dossier"),
        path(
            "dossier/<int:campaign_id>/<int:area_id>.<str:kind>",
            dossier_download,
            name="dossier_download",
        ),
    ]


class CertificatesMenuItem(MenuItem):
    def is_shown(self, request):
        return is_officer(request.user)
